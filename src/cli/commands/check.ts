/**
 * `callflow check <files|dirs> [--format text|json]`: compile every flow found (folders are searched for
 * `.flow`, `.yaml` and `.yml`, flow tests excepted) and report every problem. Exit 1 when any is an error,
 * 2 on a usage error, 0 otherwise.
 */
import { parseArgs } from 'node:util';
import type { Diagnostic } from '../../language/diagnostics.js';
import { compileFiles } from '../compile-files.js';
import {
  countDiagnostics,
  formatDiagnostic,
  formatJsonReport,
  formatSummary,
  sourceLines,
} from '../diagnostics-format.js';
import { findFlowFiles } from '../flow-files.js';
import type { CommandIo } from '../io.js';

/** One-line description for `callflow --help`. */
export const summary = 'check flows; exit 1 on errors (--format json)';

const HELP = `usage: callflow check <files|dirs>... [--format text|json]

Compiles every .flow, .yaml and .yml file given or found under the given folders (flow tests, *.test.yaml,
are skipped) and prints every problem as file:line:col: severity CODE: message, with the source line.
--format json prints one JSON document for tools instead.
Exit status: 0 when there are no errors, 1 when there are, 2 on a usage error.`;

/** Run the command. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f', default: 'text' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`callflow check: ${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const format = values.format;
  if (format !== 'text' && format !== 'json') {
    io.err(`callflow check: --format must be text or json, not '${format}'`);
    return 2;
  }
  if (positionals.length === 0) {
    io.err(`callflow check: name the flow files or folders to check\n\n${HELP}`);
    return 2;
  }
  const found = await findFlowFiles(positionals, io.cwd);
  if (found.missing.length > 0) {
    io.err(found.missing.map((m) => `callflow check: no such file or folder: ${m}`).join('\n'));
    return 2;
  }
  if (found.files.length === 0) {
    io.err(`callflow check: no .flow, .yaml or .yml files in ${positionals.join(', ')}`);
    return 2;
  }
  const compiled = await compileFiles(found.files, io.cwd);
  const all: Diagnostic[] = compiled.flatMap((c) => c.diagnostics);
  const counts = countDiagnostics(all);
  if (format === 'json') {
    io.out(formatJsonReport(found.files, all));
  } else {
    const blocks: string[] = [];
    for (const c of compiled) {
      const lines = c.text === undefined ? undefined : sourceLines(c.text);
      for (const d of c.diagnostics)
        blocks.push(formatDiagnostic(d, d.range.file === c.file ? lines : undefined, { color: io.isTty }));
    }
    if (blocks.length > 0) io.out(`${blocks.join('\n\n')}\n`);
    io.out(formatSummary(counts, found.files.length));
  }
  return counts.errors > 0 ? 1 : 0;
}
