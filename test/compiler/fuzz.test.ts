/** Random and mutated flows never make the compiler throw: it always answers with diagnostics (or an IR). */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBatch, compileSource } from '../../src/compiler/index.js';
import { FIXTURES, fixtureNames } from './golden.js';

const seeds = fixtureNames().map((n) => ({ name: n, text: readFileSync(join(FIXTURES, n), 'utf8') }));
const pieces = [
  'state ',
  'on ',
  '-> ',
  ' max 2 else -> ',
  'end',
  '\n  ',
  '\n    ',
  '"',
  '${',
  '}',
  '{',
  '[',
  '(',
  ')',
  ':',
  'into x',
  'set a.b = ',
  'if ',
  'switch x\n    case 1 -> a',
  'respond',
  'hangup',
  '??',
  '#',
  '\t',
  '-',
];

function mutate(text: string, edits: Array<{ at: number; del: number; insert: string }>): string {
  let out = text;
  for (const e of edits) {
    const at = e.at % (out.length + 1);
    out = out.slice(0, at) + e.insert + out.slice(at + e.del);
  }
  return out;
}

function ok(r: { ir?: unknown; diagnostics: Array<{ severity: string; code: string }> }): void {
  expect(Array.isArray(r.diagnostics)).toBe(true);
  if (r.ir) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(false);
  expect(r.diagnostics.some((d) => d.code === 'CF9001' || d.code === 'CF2999')).toBe(false);
}

describe('the compiler never throws', () => {
  it('on mutated fixtures (both formats)', () => {
    const edit = fc.record({
      at: fc.nat(4000),
      del: fc.nat(6),
      insert: fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 4 })),
    });
    fc.assert(
      fc.property(fc.nat(seeds.length - 1), fc.array(edit, { minLength: 1, maxLength: 5 }), (i, edits) => {
        const seed = seeds[i]!;
        ok(compileSource(seed.name, mutate(seed.text, edits)));
      }),
      { numRuns: 400, seed: 42 },
    );
  });

  it('on random text, alone and in batches', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 200 }), { minLength: 1, maxLength: 3 }), (texts) => {
        const results = compileBatch(
          texts.map((text, i) => ({ file: `r${i}.flow`, text: `flow r${i}\n${text}` })),
        );
        for (const r of results) ok(r);
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
