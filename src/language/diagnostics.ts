/** Source positions and diagnostics shared by every phase of the language front end and the compiler. */

/** A 0-based position, as in the Language Server Protocol. */
export interface Position {
  line: number;
  character: number;
}

/** A source range in one file; `end` is exclusive. */
export interface SourceRange {
  file: string;
  start: Position;
  end: Position;
}

/** Severity of a diagnostic. */
export const Severity = { error: 'error', warning: 'warning', info: 'info' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

/**
 * A problem found in a flow, in the flow author's words. Diagnostics are data: no phase throws for a user mistake.
 * Codes are banded by phase: CF1xxx lexing, CF2xxx parsing, CF3xxx linking (names, targets),
 * CF4xxx semantics (reachability, loops, unhandled outcomes, variables), CF5xxx step arguments.
 */
export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  range: SourceRange;
  /** A suggested fix, e.g. "did you mean 'goodbye'?" is usually already in the message; this holds extra advice. */
  hint?: string;
  related?: Array<{ message: string; range: SourceRange }>;
}

/** True when any diagnostic is an error. */
export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** A zero-width range at the start of a file, for problems that concern a whole file. */
export function fileStart(file: string): SourceRange {
  return { file, start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}
