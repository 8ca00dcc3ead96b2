/** Source ranges from Chevrotain tokens (1-based, inclusive ends) to the 0-based, end-exclusive LSP shape. */
import type { IToken } from 'chevrotain';
import type { Diagnostic, SourceRange } from './diagnostics.js';

/** True when the parser invented this token during error recovery (it has no position). */
export function isInvented(tok: IToken): boolean {
  return tok.isInsertedInRecovery === true || Number.isNaN(tok.startOffset) || tok.startLine === undefined;
}

/** The range a token covers. Invented tokens get `fallback`. */
export function tokenRange(file: string, tok: IToken, fallback?: SourceRange): SourceRange {
  if (isInvented(tok)) return fallback ?? { file, start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const line = (tok.startLine ?? 1) - 1;
  const character = (tok.startColumn ?? 1) - 1;
  return {
    file,
    start: { line, character },
    end: { line: (tok.endLine ?? tok.startLine ?? 1) - 1, character: tok.endColumn ?? character },
  };
}

/** The range of `length` characters at `offset` in a string token's content. */
export function inString(file: string, tok: IToken, offset: number, length: number): SourceRange {
  const line = (tok.startLine ?? 1) - 1;
  const character = (tok.startColumn ?? 1) + offset;
  return { file, start: { line, character }, end: { line, character: character + length } };
}

/** The range from the start of `a` to the end of `b`. */
export function span(a: SourceRange, b: SourceRange): SourceRange {
  return { file: a.file, start: a.start, end: b.end };
}

/** Whether `b` ends after `a`. */
export function endsAfter(b: SourceRange, a: SourceRange): boolean {
  return b.end.line > a.end.line || (b.end.line === a.end.line && b.end.character > a.end.character);
}

/** An error diagnostic. */
export function error(code: string, message: string, range: SourceRange, hint?: string): Diagnostic {
  return hint === undefined ? { code, severity: 'error', message, range } : { code, severity: 'error', message, range, hint };
}

/** Order diagnostics by position, then code, so output is stable. */
export function sortDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  return diags.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      a.code.localeCompare(b.code),
  );
}
