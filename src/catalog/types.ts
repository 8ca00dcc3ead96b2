/**
 * The shape of a step declaration. Each step is declared once, as data; that declaration drives the parser's
 * argument checks, the YAML JSON Schema, the generated docs, and the runtime (outcomes, defaults, needs).
 * This folder imports nothing from the rest of callflow, so every layer may read it.
 */

/** The type of a step argument. `duration` values are written with a unit (`10s`, `500ms`). */
export type ArgType =
  | { kind: 'string' }
  | { kind: 'number'; integer?: boolean; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'duration'; minMs?: number; maxMs?: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'object' }
  | { kind: 'array'; items?: ArgType }
  | { kind: 'any' }
  /** One of several types, e.g. a file path or a list of them. */
  | { kind: 'oneOf'; types: readonly ArgType[] };

/** One argument of a step. */
export interface ArgDecl {
  name: string;
  type: ArgType;
  doc: string;
  required?: boolean;
  /** The literal default the runtime uses when the argument is absent (durations in ms). */
  default?: string | number | boolean | null;
  /** The argument the DSL accepts without its name, right after the step name. At most one per step. */
  positional?: boolean;
  /** A flag: written alone in the DSL (`barge-in`), meaning `true`. Only for boolean arguments. */
  flag?: boolean;
  /** Must be a literal (checked at compile time) rather than an expression evaluated at run time. */
  literal?: boolean;
}

/** One outcome a step can produce. */
export interface OutcomeDecl {
  name: string;
  doc: string;
  /**
   * The outcome can only happen when one of these arguments is given (e.g. `timeout` of a prompt needs `wait`;
   * its `digit` needs `wait` or `barge-in`). "Given" means present and not its catalog default.
   */
  onlyWith?: string | readonly string[];
  /** The outcome never happens when this argument is given (a prompt that waits never ends with `done`). */
  notWith?: string;
}

/** When an outcome can happen, in words (`only when 'wait' or 'barge-in' is given`), or undefined when always. */
export function outcomeCondition(o: OutcomeDecl): string | undefined {
  const parts: string[] = [];
  if (o.onlyWith !== undefined) parts.push(`only when ${[o.onlyWith].flat().map((a) => `'${a}'`).join(' or ')} is given`);
  if (o.notWith !== undefined) parts.push(`never when '${o.notWith}' is given`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** What a step needs from the session before it can run. */
export interface StepNeeds {
  /** A call leg (inbound call or a started call). */
  call?: boolean;
  /** The call must be answered first; the compiler checks an `answer` (or an answering step) comes earlier. */
  answered?: boolean;
  /** Only in sessions started by an `on http` entry. */
  http?: boolean;
}

/** A step's declaration. */
export interface StepDecl {
  name: string;
  summary: string;
  args: readonly ArgDecl[];
  outcomes: readonly OutcomeDecl[];
  /** Outcomes that, when the flow does not route them, continue with the next step in the state. */
  continueOn: readonly string[];
  needs: StepNeeds;
  /** What `into var` receives, or undefined when the step has no result. */
  into?: string;
  /** The step ends the state: nothing after it in the same state can run (hangup, respond-and-end...). */
  terminal?: boolean;
  /** The step waits for the caller or the clock, so a loop through it is not a busy loop. */
  waits?: boolean;
  /** Groups of arguments of which exactly one must be given (e.g. prompt: file | say | tone). */
  oneOf?: ReadonlyArray<readonly string[]>;
  /** This step answers the call (so later steps that need an answered call are satisfied). */
  answers?: boolean;
}

/** Declare a step; the identity function, kept for type inference and a single place to add validation. */
export function declareStep<const T extends StepDecl>(decl: T): T {
  return decl;
}

/** Duration helper for defaults, so declarations read `default: seconds(10)`. */
export function seconds(n: number): number {
  return n * 1000;
}
