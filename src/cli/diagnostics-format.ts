/**
 * How the CLI shows diagnostics: `file:line:col: severity CODE: message` (1-based, the way editors and
 * compilers print them, so terminals make them clickable) with a code frame, or JSON for tools.
 */
import type { Diagnostic } from '../language/diagnostics.js';

/** Options for the text form. */
export interface TextFormatOptions {
  /** Show the source line with a caret under the range (default true). */
  frame?: boolean;
  /** ANSI colours (only for terminals). */
  color?: boolean;
}

const ANSI = {
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
  reset: '\u001b[0m',
} as const;

function paint(text: string, code: string, on: boolean): string {
  return on ? `${code}${text}${ANSI.reset}` : text;
}

/** `file:line:col: error CF3002: message` with 1-based line and column. */
export function diagnosticHeadline(d: Diagnostic, color = false): string {
  const where = `${d.range.file}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
  const sevColor = d.severity === 'error' ? ANSI.red : d.severity === 'warning' ? ANSI.yellow : ANSI.cyan;
  return `${paint(where, ANSI.bold, color)}: ${paint(`${d.severity} ${d.code}`, sevColor, color)}: ${d.message}`;
}

/** Split source text into lines the way the lexer counts them. */
export function sourceLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * The source line of the range's start with carets under the range; a range running past the line is
 * underlined to the end of that line, and a zero-width range gets a single caret.
 */
export function codeFrame(d: Diagnostic, lines: readonly string[], color = false): string {
  const { start, end } = d.range;
  const line = lines[start.line];
  if (line === undefined) return '';
  const num = String(start.line + 1);
  const gutter = ' '.repeat(num.length);
  const lastCol = end.line === start.line ? end.character : line.length;
  const width = Math.max(1, lastCol - start.character);
  // Tabs keep their width in the underline so the carets line up under the text.
  const pad = line.slice(0, start.character).replace(/[^\t]/g, ' ');
  const carets = paint('^'.repeat(width), d.severity === 'error' ? ANSI.red : ANSI.yellow, color);
  const bar = paint('|', ANSI.dim, color);
  return [` ${num} ${bar} ${line}`, ` ${gutter} ${bar} ${pad}${carets}`].join('\n');
}

/** One diagnostic as text: headline, code frame, hint and related locations. */
export function formatDiagnostic(
  d: Diagnostic,
  lines: readonly string[] | undefined,
  opts: TextFormatOptions = {},
): string {
  const color = opts.color ?? false;
  const out = [diagnosticHeadline(d, color)];
  if (opts.frame !== false && lines) {
    const frame = codeFrame(d, lines, color);
    if (frame) out.push(frame);
  }
  if (d.hint) out.push(`  ${paint('hint:', ANSI.cyan, color)} ${d.hint}`);
  for (const r of d.related ?? []) {
    out.push(
      `  ${paint('note:', ANSI.dim, color)} ${r.range.file}:${r.range.start.line + 1}:${r.range.start.character + 1}: ${r.message}`,
    );
  }
  return out.join('\n');
}

/** Counts by severity. */
export interface DiagnosticCounts {
  errors: number;
  warnings: number;
  infos: number;
}

/** Count diagnostics by severity. */
export function countDiagnostics(diags: readonly Diagnostic[]): DiagnosticCounts {
  const c: DiagnosticCounts = { errors: 0, warnings: 0, infos: 0 };
  for (const d of diags) {
    if (d.severity === 'error') c.errors++;
    else if (d.severity === 'warning') c.warnings++;
    else c.infos++;
  }
  return c;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The closing line of `check`: `2 errors, 1 warning in 3 files`, or `ok: 4 files checked`. */
export function formatSummary(counts: DiagnosticCounts, files: number): string {
  if (counts.errors === 0 && counts.warnings === 0) return `ok: ${plural(files, 'file')} checked`;
  return `${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')} in ${plural(files, 'file')}`;
}

/** A diagnostic for `--format json`: the LSP-shaped range plus 1-based line and column for people and scripts. */
export interface JsonDiagnostic extends Diagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Add the 1-based positions to a diagnostic. */
export function toJsonDiagnostic(d: Diagnostic): JsonDiagnostic {
  return {
    file: d.range.file,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    ...d,
  };
}

/** The whole `check --format json` document. */
export function formatJsonReport(files: readonly string[], diags: readonly Diagnostic[]): string {
  const counts = countDiagnostics(diags);
  return JSON.stringify({ files, diagnostics: diags.map(toJsonDiagnostic), ...counts }, null, 2);
}
