/** Shared helpers for the language tests: AST comparison without ranges, file discovery, parse-error filtering. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../src/language/index.js';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const POSITIONAL_KEYS = new Set(['range', 'fnRange', 'keyRange', 'file', 'format']);

/** A deep copy of an AST without source ranges, the file name or the source format, for comparing meaning. */
export function stripRanges(ast: unknown): unknown {
  if (Array.isArray(ast)) return ast.map(stripRanges);
  if (ast === null || typeof ast !== 'object') return ast;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ast))
    if (!POSITIONAL_KEYS.has(k) && v !== undefined) out[k] = stripRanges(v);
  return out;
}

/** A YAML file is a flow when it has a top-level `flow:` key (other YAML files, e.g. config, are not); `*.test.yaml` are flow tests. */
function isYamlFlow(path: string): boolean {
  return /^flow:/m.test(readFileSync(path, 'utf8'));
}

/** Flow files (.flow, .yaml, .yml) under a directory, relative to the repository root; [] when it is missing. */
export function flowFiles(dir: string): string[] {
  const abs = join(ROOT, dir);
  const out: string[] = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names.sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.flow$/.test(n) || (/\.ya?ml$/.test(n) && !/\.test\.ya?ml$/.test(n) && isYamlFlow(p)))
        out.push(relative(ROOT, p));
    }
  };
  walk(abs);
  return out;
}

/** Lexing and parsing problems (CF1xxx, CF2xxx), as opposed to the compiler's checks. */
export function parseErrors(diags: readonly Diagnostic[]): Diagnostic[] {
  return diags.filter((d) => d.severity === 'error' && /^CF[12]\d{3}$/.test(d.code));
}

/** `code@line:col message` (1-based), for readable assertion failures. */
export function show(diags: readonly Diagnostic[]): string[] {
  return diags.map((d) => `${d.code}@${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
}
