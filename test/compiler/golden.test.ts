/** Every broken flow under fixtures/ gives exactly the diagnostics listed in its `.expected` file. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureNames, render } from './golden.js';

describe('golden diagnostics', () => {
  const names = fixtureNames();
  it('has fixtures', () => {
    expect(names.length).toBeGreaterThan(10);
  });
  for (const name of names) {
    it(name, () => {
      const expectedFile = join(FIXTURES, name.replace(/\.(flow|ya?ml)$/, '.expected'));
      expect(existsSync(expectedFile), `missing ${expectedFile}`).toBe(true);
      const expected = readFileSync(expectedFile, 'utf8').trimEnd();
      expect(render(name)).toBe(expected);
    });
  }
});
