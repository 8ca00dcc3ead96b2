/** `callflow compile <file>`: print the compiled IR (the checked state machine) as JSON on stdout. */
import { parseArgs } from 'node:util';
import { compileFiles } from '../compile-files.js';
import { countDiagnostics, formatDiagnostic, sourceLines } from '../diagnostics-format.js';
import type { CommandIo } from '../io.js';

/** One-line description for `callflow --help`. */
export const summary = 'print the compiled IR as JSON';

const HELP = `usage: callflow compile <file> [--compact]

Compiles one .flow or .yaml file and prints its IR as JSON on stdout (pretty-printed unless --compact).
Problems go to stderr; with errors nothing is printed on stdout and the exit status is 1.`;

/** Run the command. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { compact: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    io.err(`callflow compile: ${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(HELP);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    io.err(`callflow compile: name exactly one flow file\n\n${HELP}`);
    return 2;
  }
  const [c] = await compileFiles(parsed.positionals, io.cwd);
  if (!c) return 2;
  const lines = c.text === undefined ? undefined : sourceLines(c.text);
  for (const d of c.diagnostics) io.err(formatDiagnostic(d, lines, { color: false }));
  if (countDiagnostics(c.diagnostics).errors > 0 || !c.ir) return 1;
  io.out(JSON.stringify(c.ir, null, parsed.values.compact ? undefined : 2));
  return 0;
}
