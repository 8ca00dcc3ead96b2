/**
 * Reading and compiling the flow files a command names. All files of one run are compiled together
 * (compileBatch), so checks across flows (an `originate` naming another flow, conflicting HTTP routes) see
 * every file. A file that cannot be read becomes a diagnostic like any other problem.
 */
import { compileBatch, type CompileResult } from '../compiler/index.js';
import type { FlowIr } from '../compiler/ir.js';
import type { Diagnostic } from '../language/diagnostics.js';
import { fileStart } from '../language/diagnostics.js';
import { readSource } from './flow-files.js';

/** One compiled file: its text (for code frames), its IR when it compiled, and its diagnostics. */
export interface CompiledFile {
  file: string;
  text?: string;
  ir?: FlowIr;
  diagnostics: Diagnostic[];
}

/** The code for a file the CLI could not read. */
export const UNREADABLE_FILE = 'CF0001';

const stem = (file: string): string => file.replace(/\.(flow|ya?ml)$/i, '');

/**
 * YAML files with a `.flow` file of the same name beside them: the same flow written twice (examples ship both).
 * Compiled in one batch they would conflict with each other (same HTTP routes), so each run of the batch sees
 * one of the two.
 */
export function yamlTwins(files: readonly string[]): Set<string> {
  const flows = new Set(files.filter((f) => /\.flow$/i.test(f)).map(stem));
  return new Set(files.filter((f) => /\.ya?ml$/i.test(f) && flows.has(stem(f))));
}

/** The files of one run are every flow there is: an `originate flow "x"` naming none of them is an error. */
const strict = { knownFlows: [] } as const;

function compileWithTwins(
  sources: ReadonlyArray<{ file: string; text: string }>,
): Map<string, CompileResult> {
  const twins = yamlTwins(sources.map((s) => s.file));
  const twinStems = new Set([...twins].map(stem));
  const main = sources.filter((s) => !twins.has(s.file));
  const out = new Map(compileBatch(main, strict).map((c) => [c.file, c]));
  if (twins.size > 0) {
    const alt = sources.filter((s) => twins.has(s.file) || !twinStems.has(stem(s.file)));
    for (const c of compileBatch(alt, strict)) if (twins.has(c.file)) out.set(c.file, c);
  }
  return out;
}

/** Read and compile `files` (display paths, resolved against `cwd`) as one batch. */
export async function compileFiles(files: readonly string[], cwd: string): Promise<CompiledFile[]> {
  const read = await Promise.all(files.map(async (file) => ({ file, ...(await readSource(file, cwd)) })));
  const sources = read.filter((r): r is { file: string; text: string } => r.text !== undefined);
  const compiled = compileWithTwins(sources);
  return read.map((r): CompiledFile => {
    if (r.text === undefined) {
      const d: Diagnostic = {
        code: UNREADABLE_FILE,
        severity: 'error',
        message: `cannot read the file: ${r.error ?? 'unknown error'}`,
        range: fileStart(r.file),
      };
      return { file: r.file, diagnostics: [d] };
    }
    const c = compiled.get(r.file);
    const out: CompiledFile = { file: r.file, text: r.text, diagnostics: c?.diagnostics ?? [] };
    if (c?.ir) out.ir = c.ir;
    return out;
  });
}
