/** The README's language tour must stay a flow that compiles cleanly. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';

describe('README', () => {
  it('the tour flow compiles without diagnostics', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /```flow\n([\s\S]*?)```/.exec(readme);
    expect(block, 'README has a ```flow block').not.toBeNull();
    const out = compileSource('README.md#tour.flow', block![1]!);
    expect(out.diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`)).toEqual([]);
    expect(Object.keys(out.ir?.states ?? {}).length).toBeGreaterThan(5);
  });
});
