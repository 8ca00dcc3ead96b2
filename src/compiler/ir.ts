/**
 * The IR: a serialisable, versioned state machine the runtime interprets. It is plain JSON (no functions, no
 * classes) so it can be printed by `callflow compile`, cached, hashed and shipped between nodes.
 * Every node keeps the source range it came from, so a runtime trace points at file:line:col.
 * Defaults are resolved here: every outcome a step can produce has a transition, so the interpreter never
 * has to decide what an unrouted outcome means.
 */
import type { Expr, TypeAst } from '../language/ast.js';
import type { SourceRange } from '../language/diagnostics.js';

/** Bumped whenever the IR's shape changes incompatibly. */
export const IR_VERSION = 1;

/** Where control goes after a step, a condition or a bounded retry. */
export type TransitionIr =
  /** Enter a state (from its first step). */
  | { kind: 'goto'; state: string; range: SourceRange }
  /** Run the next statement of the current state. */
  | { kind: 'continue' }
  /** End the session: hang up an active call, and answer a pending HTTP request with 500 if none was sent. */
  | { kind: 'end'; range?: SourceRange }
  /**
   * Take `then` at most `max` times per session (counted under `counter`, unique in the flow), then `else`.
   * Written `-> ask max 3 else -> goodbye`.
   */
  | { kind: 'bounded'; counter: string; max: number; then: TransitionIr; else: TransitionIr; range: SourceRange };

/** A catalog step with its arguments (expressions, evaluated when the step starts) and routed outcomes. */
export interface StepIr {
  op: 'step';
  /** Stable id `state/index`, used in traces and coverage. */
  id: string;
  step: string;
  args: Record<string, Expr>;
  into?: string;
  /** Every outcome the step can produce (given its arguments) → where to go. */
  outcomes: Record<string, TransitionIr>;
  range: SourceRange;
}

/** `set a.b = expr`. */
export interface SetIr {
  op: 'set';
  id: string;
  target: string[];
  value: Expr;
  range: SourceRange;
}

/** `if cond -> then else -> else`; `else` is `continue` when the author gave none. */
export interface IfIr {
  op: 'if';
  id: string;
  cond: Expr;
  then: TransitionIr;
  else: TransitionIr;
  range: SourceRange;
}

/** `switch subject`: the first case with a value equal to the subject wins; otherwise `default`. */
export interface SwitchIr {
  op: 'switch';
  id: string;
  subject: Expr;
  cases: Array<{ values: Expr[]; to: TransitionIr }>;
  default: TransitionIr;
  range: SourceRange;
}

/** `goto state` / `-> state`. */
export interface GotoIr {
  op: 'goto';
  id: string;
  to: TransitionIr;
  range: SourceRange;
}

export type StatementIr = StepIr | SetIr | IfIr | SwitchIr | GotoIr;

/** A state: statements run in order. Falling off the end is a compile error unless the last one is terminal. */
export interface StateIr {
  name: string;
  body: StatementIr[];
  range: SourceRange;
}

/** A field of a request shape or a start parameter. */
export interface FieldIr {
  name: string;
  type: TypeAst;
  optional: boolean;
  default?: Expr;
  doc?: string;
}

/** An inbound-call entry: every matcher must match; patterns may use `*` wildcards. */
export interface CallEntryIr {
  kind: 'call';
  id: string;
  matchers: Array<{ field: 'to' | 'user' | 'domain' | 'from' | 'trunk'; pattern: string }>;
  to: TransitionIr;
  range: SourceRange;
}

/** A REST trigger. `path` uses `:name` parameters (available as request.params.name). */
export interface HttpEntryIr {
  kind: 'http';
  id: string;
  method: string;
  path: string;
  request: FieldIr[];
  auth?: { scheme: string; args: Record<string, Expr> };
  /** Where requests that fail validation go (`request.errors` set); absent: the server answers 400 itself. */
  invalid?: TransitionIr;
  doc?: string;
  to: TransitionIr;
  range: SourceRange;
}

/** A start entry for originated calls and API-started sessions. */
export interface StartEntryIr {
  kind: 'start';
  id: string;
  params: FieldIr[];
  to: TransitionIr;
  range: SourceRange;
}

export type EntryIr = CallEntryIr | HttpEntryIr | StartEntryIr;

/** A compiled flow. */
export interface FlowIr {
  irVersion: typeof IR_VERSION;
  name: string;
  description?: string;
  /** The source file it was compiled from. */
  file: string;
  /** A hash of the source text: the flow's version identity. */
  sourceHash: string;
  configs: Array<{ name: string; default?: Expr; doc?: string }>;
  entries: EntryIr[];
  states: Record<string, StateIr>;
}
