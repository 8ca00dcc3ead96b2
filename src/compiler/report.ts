/** The diagnostics sink shared by lowering and the checks. */
import type { Diagnostic, SourceRange } from '../language/diagnostics.js';
import type { Code } from './codes.js';

/** Collects diagnostics; every check reports through one of these. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  /** Report an error (duplicates at the same place with the same code and message are dropped). */
  error(code: Code, message: string, range: SourceRange, extra?: Pick<Diagnostic, 'hint' | 'related'>): void {
    this.add({ code, severity: 'error', message, range, ...extra });
  }

  /** Report a warning. */
  warning(
    code: Code,
    message: string,
    range: SourceRange,
    extra?: Pick<Diagnostic, 'hint' | 'related'>,
  ): void {
    this.add({ code, severity: 'warning', message, range, ...extra });
  }

  /** Add a diagnostic as is. */
  add(d: Diagnostic): void {
    const key = `${d.code}@${d.range.file}:${d.range.start.line}:${d.range.start.character}:${d.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const clean: Diagnostic = { code: d.code, severity: d.severity, message: d.message, range: d.range };
    if (d.hint !== undefined) clean.hint = d.hint;
    if (d.related !== undefined) clean.related = d.related;
    this.diagnostics.push(clean);
  }
}
