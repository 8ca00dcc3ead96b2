/**
 * `callflow graph <file> --format mermaid|dot|svg [-o out]`: draw the state machine: entries, states with their
 * steps, and an arrow per routed outcome. SVG is laid out and rendered in-process.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compileFiles } from '../compile-files.js';
import { countDiagnostics, formatDiagnostic, sourceLines } from '../diagnostics-format.js';
import { GraphFormat, renderGraph } from '../graph/index.js';
import type { CommandIo } from '../io.js';

/** One-line description for `callflow --help`. */
export const summary = 'draw the state machine (mermaid, dot or svg)';

const HELP = `usage: callflow graph <file> [--format mermaid|dot|svg] [--output file]

Draws the compiled flow: entry points, states with their steps, and an arrow for every routed outcome,
condition and goto (dashed: the 'else' side of a bounded retry). Default format: mermaid.
Writes to stdout unless --output is given. A flow with errors is not drawn (exit status 1).`;

const FORMATS: readonly string[] = Object.values(GraphFormat);

/** Run the command. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f', default: 'mermaid' },
        output: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`callflow graph: ${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const format = values.format;
  if (!FORMATS.includes(format)) {
    io.err(`callflow graph: --format must be one of ${FORMATS.join(', ')}, not '${format}'`);
    return 2;
  }
  if (positionals.length !== 1) {
    io.err(`callflow graph: name exactly one flow file\n\n${HELP}`);
    return 2;
  }
  const [c] = await compileFiles(positionals, io.cwd);
  if (!c) return 2;
  const lines = c.text === undefined ? undefined : sourceLines(c.text);
  for (const d of c.diagnostics) io.err(formatDiagnostic(d, lines));
  if (countDiagnostics(c.diagnostics).errors > 0 || !c.ir) return 1;
  const picture = renderGraph(c.ir, format as GraphFormat);
  if (values.output) {
    await writeFile(path.resolve(io.cwd, values.output), picture);
    io.err(`wrote ${values.output}`);
  } else io.out(picture);
  return 0;
}
