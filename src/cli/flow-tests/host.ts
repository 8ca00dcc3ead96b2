/**
 * The FlowHost `callflow test` and `callflow simulate` use: the real compiler and the real session runtime
 * on a simulated engine. Kept apart so the runner's own tests can give it IR directly.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { compileSource } from '../../compiler/index.js';
import type { FlowIr } from '../../compiler/ir.js';
import { formatRange } from '../../runtime/trace.js';
import type { FlowHost } from './run.js';
import { runSimSession } from './sim-session.js';

/** Paths under the working folder are shown relative to it, so traces and diagnostics stay short. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** Compile with the project compiler; errors come back as `file:line:col CODE message` lines. */
async function compileFile(file: string): Promise<{ ir?: FlowIr; errors: string[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { errors: [`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`] };
  }
  const out = compileSource(displayPath(file), text);
  const errors = out.diagnostics.filter((d) => d.severity === 'error').map((d) => `${formatRange(d.range)} ${d.code} ${d.message}`);
  return out.ir && errors.length === 0 ? { ir: out.ir, errors: [] } : { errors };
}

/** The host used by the CLI. */
export function createFlowHost(): FlowHost {
  return { compile: compileFile, runSession: (req) => runSimSession(req) };
}
