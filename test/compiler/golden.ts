/** Golden-file helpers: compile a fixture and print its diagnostics as `line:col severity CODE message`. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileSource } from '../../src/compiler/index.js';

/** The fixtures directory. */
export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** Fixture flow files, sorted. */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => /\.(flow|ya?ml)$/.test(f))
    .sort();
}

/** The diagnostics of one fixture, one line each, 1-based positions as the CLI prints them. */
export function render(name: string): string {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  const out = compileSource(name, text);
  return out.diagnostics
    .map(
      (d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`,
    )
    .join('\n');
}
