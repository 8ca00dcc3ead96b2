/** Both front ends compile to the same IR: every example exists as `.flow` and `.yaml`, with the same meaning. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBatch, compileSource } from '../../src/compiler/index.js';

const EXAMPLES = join(import.meta.dirname, '../../examples');

/** The IR without what legitimately differs between formats: ranges, file names and source hashes. */
function meaning(ir: unknown): unknown {
  return JSON.parse(
    JSON.stringify(ir, (k, v: unknown) =>
      ['range', 'keyRange', 'fnRange', 'sourceHash', 'file'].includes(k) ? undefined : v,
    ),
  );
}

function flowFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(flow|ya?ml)$/.test(f) && !/\.test\.ya?ml$/.test(f))
    .map((f) => join(dir, f))
    .sort();
}

describe('examples compile the same from both formats', () => {
  const bases = flowFiles(EXAMPLES)
    .filter((f) => f.endsWith('.flow') && existsSync(f.replace(/\.flow$/, '.yaml')))
    .map((f) => f.replace(/\.flow$/, ''));
  it('has examples in both formats', () => {
    expect(bases.length).toBeGreaterThan(0);
  });
  for (const base of bases) {
    it(base.split('/').pop()!, () => {
      const a = compileSource(`${base}.flow`, readFileSync(`${base}.flow`, 'utf8'));
      const b = compileSource(`${base}.yaml`, readFileSync(`${base}.yaml`, 'utf8'));
      expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(b.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(meaning(b.ir)).toEqual(meaning(a.ir));
    });
  }
});

describe('the examples compile without errors as one batch', () => {
  it('compiles', () => {
    const files = flowFiles(EXAMPLES).filter((f) => f.endsWith('.flow'));
    const results = compileBatch(files.map((file) => ({ file, text: readFileSync(file, 'utf8') })));
    const errors = results.flatMap((r) =>
      r.diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => `${r.file}:${d.range.start.line + 1} ${d.code} ${d.message}`),
    );
    expect(errors).toEqual([]);
  });
});
