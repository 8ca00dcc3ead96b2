/**
 * `callflow fmt [--write] [--check] [--to yaml|flow] <files|dirs>`: print a flow in canonical form, or convert
 * it to the other syntax. The formatter works from the AST, which keeps no comments, so rewriting a file that
 * has comments in place needs `--force` (converting to a new file is always allowed).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hasErrors } from '../../language/diagnostics.js';
import { formatFlow, FlowFormat, parseSource } from '../../language/index.js';
import { formatDiagnostic, sourceLines } from '../diagnostics-format.js';
import { findFlowFiles, readSource } from '../flow-files.js';
import type { CommandIo } from '../io.js';

/** One-line description for `callflow --help`. */
export const summary = 'format flows, or convert between .flow and YAML';

const HELP = `usage: callflow fmt [--write | --check] [--to flow|yaml] [--force] <files|dirs>...

Prints the flow in canonical form on stdout (one file only), or:
  --write      rewrite the files; with --to the other syntax, write x.yaml beside x.flow (or x.flow beside x.yaml)
  --check      list files that are not formatted; exit 1 if any
  --to FORMAT  the syntax to print: flow or yaml (default: the file's own)
  --force      allow --write to rewrite a file in place although its comments would be lost`;

const FORMATS: readonly string[] = Object.values(FlowFormat);

/** Whether a line has a `#` comment outside double- or single-quoted text (a heuristic good for both syntaxes). */
export function hasComment(text: string): boolean {
  for (const line of sourceLines(text)) {
    let quote = '';
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === '\\' && quote === '"') i++;
        else if (c === quote) quote = '';
      } else if (c === '"' || (c === "'" && (i === 0 || /[\s:[{,-]/.test(line[i - 1]!)))) quote = c;
      else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return true;
    }
  }
  return false;
}

function formatOf(file: string): FlowFormat {
  return /\.ya?ml$/i.test(file) ? 'yaml' : 'flow';
}

function convertedName(file: string, to: FlowFormat): string {
  return to === 'yaml' ? file.replace(/\.flow$/i, '') + '.yaml' : file.replace(/\.ya?ml$/i, '') + '.flow';
}

/** Run the command. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        write: { type: 'boolean', short: 'w' },
        check: { type: 'boolean', short: 'c' },
        to: { type: 'string', short: 't' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`callflow fmt: ${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const usage = (msg: string): number => {
    io.err(`callflow fmt: ${msg}\n\n${HELP}`);
    return 2;
  };
  if (values.to !== undefined && !FORMATS.includes(values.to))
    return usage(`--to must be flow or yaml, not '${values.to}'`);
  if (values.write && values.check) return usage('--write and --check cannot be combined');
  if (positionals.length === 0) return usage('name the flow files to format');
  const found = await findFlowFiles(positionals, io.cwd);
  if (found.missing.length > 0) return usage(`no such file or folder: ${found.missing.join(', ')}`);
  if (found.files.length === 0) return usage(`no .flow, .yaml or .yml files in ${positionals.join(', ')}`);
  if (!values.write && !values.check && found.files.length > 1)
    return usage('without --write or --check, name one file');
  const target = values.to as FlowFormat | undefined;
  if (values.check && target !== undefined && found.files.some((f) => formatOf(f) !== target)) {
    return usage('--check compares files with their own format; leave out --to');
  }

  let status = 0;
  for (const file of found.files) {
    const src = await readSource(file, io.cwd);
    if (src.text === undefined) {
      io.err(`callflow fmt: cannot read ${file}: ${src.error ?? ''}`);
      status = 1;
      continue;
    }
    const result = parseSource(file, src.text);
    if (!result.ast || hasErrors(result.diagnostics)) {
      const lines = sourceLines(src.text);
      for (const d of result.diagnostics) io.err(formatDiagnostic(d, lines));
      io.err(`callflow fmt: ${file} has syntax errors; not formatted`);
      status = 1;
      continue;
    }
    const to = target ?? formatOf(file);
    const output = formatFlow(result.ast, to);
    const inPlace = to === formatOf(file);
    if (values.check) {
      if (output !== src.text) {
        io.out(`${file}: not formatted`);
        status = 1;
      }
      continue;
    }
    if (!values.write) {
      io.out(output);
      if (hasComment(src.text)) io.err(`callflow fmt: note: the comments of ${file} are not kept`);
      continue;
    }
    const dest = inPlace ? file : convertedName(file, to);
    if (inPlace && output === src.text) continue;
    if (inPlace && hasComment(src.text) && !values.force) {
      io.err(`callflow fmt: ${file} has comments that formatting would drop; not rewritten (use --force)`);
      status = 1;
      continue;
    }
    await writeFile(path.resolve(io.cwd, dest), output);
    io.out(`wrote ${dest}`);
  }
  return status;
}
