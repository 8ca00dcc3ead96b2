/**
 * The flow AST: what both front ends (`.flow` via Chevrotain and `.yaml` via the yaml package) produce.
 * Both front ends must produce the same AST for flows of the same meaning, so the compiler sees one shape.
 * Every node keeps its source range so diagnostics and traces point at file:line:col.
 * Expressions are plain data (no functions), so they can be stored in the IR and evaluated by the runtime.
 */
import type { SourceRange } from './diagnostics.js';

/** A name with the range where it was written (state names, variables, arguments). */
export interface Ident {
  name: string;
  range: SourceRange;
}

// ---------------------------------------------------------------------------------------------- expressions

/** Binary operators, lowest precedence first: `??`, `||`, `&&`, equality, comparison, additive, multiplicative. */
export const BinaryOp = {
  coalesce: '??',
  or: '||',
  and: '&&',
  eq: '==',
  ne: '!=',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
  add: '+',
  sub: '-',
  mul: '*',
  div: '/',
  mod: '%',
} as const;
export type BinaryOp = (typeof BinaryOp)[keyof typeof BinaryOp];

/** An expression. `+` on strings concatenates; `==` compares by value (no coercion). */
export type Expr =
  | StringExpr
  | NumberExpr
  | DurationExpr
  | BoolExpr
  | NullExpr
  | VarExpr
  | MemberExpr
  | IndexExpr
  | UnaryExpr
  | BinaryExpr
  | CallExpr
  | ObjectExpr
  | ArrayExpr;

/** A string literal; `parts` alternates text and `${expr}` interpolations (a plain string has one text part). */
export interface StringExpr {
  kind: 'string';
  parts: Array<string | Expr>;
  range: SourceRange;
}
export interface NumberExpr {
  kind: 'number';
  value: number;
  range: SourceRange;
}
/** A duration literal such as `500ms`, `10s`, `2m`, `1h`; `ms` is its value, `text` how it was written. */
export interface DurationExpr {
  kind: 'duration';
  ms: number;
  text: string;
  range: SourceRange;
}
export interface BoolExpr {
  kind: 'bool';
  value: boolean;
  range: SourceRange;
}
export interface NullExpr {
  kind: 'null';
  range: SourceRange;
}
/** A variable read: a flow variable, or a root such as `call`, `request`, `params`, `config`, `env`. */
export interface VarExpr {
  kind: 'var';
  name: string;
  range: SourceRange;
}
/** `object.name` */
export interface MemberExpr {
  kind: 'member';
  object: Expr;
  name: string;
  range: SourceRange;
}
/** `object[index]` */
export interface IndexExpr {
  kind: 'index';
  object: Expr;
  index: Expr;
  range: SourceRange;
}
export interface UnaryExpr {
  kind: 'unary';
  op: '!' | '-';
  operand: Expr;
  range: SourceRange;
}
export interface BinaryExpr {
  kind: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
  range: SourceRange;
}
/** A call into the fixed function library (src/catalog/functions.ts); there are no user-defined functions. */
export interface CallExpr {
  kind: 'call';
  fn: string;
  fnRange: SourceRange;
  args: Expr[];
  range: SourceRange;
}
export interface ObjectExpr {
  kind: 'object';
  entries: Array<{ key: string; keyRange: SourceRange; value: Expr }>;
  range: SourceRange;
}
export interface ArrayExpr {
  kind: 'array';
  items: Expr[];
  range: SourceRange;
}

// ---------------------------------------------------------------------------------------------- transitions

/**
 * Where control goes: `-> target`, optionally bounded: `-> ask max 3 else -> goodbye`.
 * The reserved target `end` ends the session (hanging up an active call).
 */
export interface TransitionAst {
  target: Ident;
  /** How many times this transition may be taken in one session before `else` is taken instead. */
  max?: { value: number; range: SourceRange };
  else?: TransitionAst;
  range: SourceRange;
}

/** `on busy -> voicemail` under a step. The outcome `*` is the default (written `on other -> x` in the DSL). */
export interface OutcomeAst {
  outcome: Ident;
  transition: TransitionAst;
  range: SourceRange;
}

// ---------------------------------------------------------------------------------------------- steps

/** One argument of a step. `positional` records that the DSL wrote it without its name (for `fmt`). */
export interface ArgAst {
  name: Ident;
  value: Expr;
  positional?: boolean;
  range: SourceRange;
}

/** A step from the catalog (src/catalog/), e.g. `collect-pin max-digits 6 timeout 10s into pin`. */
export interface StepAst {
  kind: 'step';
  name: Ident;
  args: ArgAst[];
  /** `into var`: the variable that receives the step's result. */
  into?: Ident;
  outcomes: OutcomeAst[];
  range: SourceRange;
}

/** `set name = expr` or `set a.b = expr` (assigns into a flow variable's object). */
export interface SetAst {
  kind: 'set';
  target: Ident[];
  value: Expr;
  range: SourceRange;
}

/** `if cond -> a else -> b`; without `else`, a false condition continues with the next step. */
export interface IfAst {
  kind: 'if';
  cond: Expr;
  then: TransitionAst;
  else?: TransitionAst;
  range: SourceRange;
}

/** `switch expr` with `case v1, v2 -> x` lines and an optional `default -> y`; no match and no default continues. */
export interface SwitchAst {
  kind: 'switch';
  subject: Expr;
  cases: Array<{ values: Expr[]; transition: TransitionAst; range: SourceRange }>;
  default?: TransitionAst;
  range: SourceRange;
}

/** `goto x` (also written as a bare `-> x` line, which sets `arrow`). */
export interface GotoAst {
  kind: 'goto';
  transition: TransitionAst;
  arrow?: boolean;
  range: SourceRange;
}

/** Anything that can appear in a state's body, in order. */
export type StatementAst = StepAst | SetAst | IfAst | SwitchAst | GotoAst;

/** A named state: its statements run in order. */
export interface StateAst {
  name: Ident;
  body: StatementAst[];
  range: SourceRange;
}

// ---------------------------------------------------------------------------------------------- entries

/** A type in a request shape or parameter list: a base type, a string-literal enum, or a union of those. */
export type TypeAst =
  | { kind: 'base'; name: 'string' | 'number' | 'boolean' | 'object' | 'array' | 'any'; range: SourceRange }
  | { kind: 'literal'; value: string; range: SourceRange }
  | { kind: 'union'; types: TypeAst[]; range: SourceRange };

/** A declared field of a request body or a start parameter: `channel: string`, `uid?: string | number`. */
export interface FieldAst {
  name: Ident;
  type: TypeAst;
  optional: boolean;
  default?: Expr;
  doc?: string;
  range: SourceRange;
}

/** Matchers an inbound call entry can use. `trunk` is the source trunk name the SIP ingress assigns. */
export const CallMatchField = { to: 'to', user: 'user', domain: 'domain', from: 'from', trunk: 'trunk' } as const;
export type CallMatchField = (typeof CallMatchField)[keyof typeof CallMatchField];

/**
 * `on call to "+15550100" -> welcome`. Patterns are string literals; `*` is a wildcard
 * (`user "lookup_*"`). Several matchers on one entry must all match.
 */
export interface CallEntryAst {
  kind: 'call';
  matchers: Array<{ field: CallMatchField; pattern: Expr; range: SourceRange }>;
  transition: TransitionAst;
  range: SourceRange;
}

/** How an HTTP entry authenticates callers; `args` carry scheme options (e.g. realm, a config key). */
export interface AuthAst {
  scheme: Ident;
  args: ArgAst[];
  range: SourceRange;
}

/**
 * `on http POST /v1/api/pstn` with a declared request shape. `:name` path segments are parameters.
 * `invalid` routes requests that fail validation (request.errors holds the problems) instead of the default 400.
 */
export interface HttpEntryAst {
  kind: 'http';
  method: Ident;
  path: { value: string; range: SourceRange };
  request: FieldAst[];
  auth?: AuthAst;
  invalid?: TransitionAst;
  doc?: string;
  transition: TransitionAst;
  range: SourceRange;
}

/** `on start (to: string, channel: string)`: started by the API or another flow's `originate`. */
export interface StartEntryAst {
  kind: 'start';
  params: FieldAst[];
  transition: TransitionAst;
  range: SourceRange;
}

export type EntryAst = CallEntryAst | HttpEntryAst | StartEntryAst;

// ---------------------------------------------------------------------------------------------- flow

/** `config name [= default]`: a deployment value the flow reads as `config.name`. */
export interface ConfigDeclAst {
  name: Ident;
  default?: Expr;
  doc?: string;
  range: SourceRange;
}

/** One flow file. */
export interface FlowAst {
  kind: 'flow';
  file: string;
  format: 'flow' | 'yaml';
  name: Ident;
  description?: string;
  configs: ConfigDeclAst[];
  entries: EntryAst[];
  states: StateAst[];
  range: SourceRange;
}
