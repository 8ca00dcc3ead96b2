import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STEPS } from '../../catalog/index.js';
import { renderStepsDoc } from './render.js';
import { SEMANTICS } from './semantics.js';

describe('docs/steps.md', () => {
  it('has hand-written semantics for every step, mentioning every outcome', () => {
    for (const step of Object.values(STEPS)) {
      const text = SEMANTICS[step.name];
      expect(text, step.name).toBeDefined();
      for (const o of step.outcomes) expect(text, `${step.name} → ${o.name}`).toContain(o.name);
    }
  });
  it('is up to date with the catalog (regenerate: npx tsx src/steps/docs/render.ts > docs/steps.md)', () => {
    expect(readFileSync(new URL('../../../docs/steps.md', import.meta.url), 'utf8')).toBe(renderStepsDoc());
  });
});
