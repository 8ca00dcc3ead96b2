/**
 * The seam between the interpreter and the step modules (src/steps/<name>.ts). A step sees only this
 * context: its evaluated arguments, the ports, the session's call, an AbortSignal and a trace sink.
 * A step resolves with one of its declared outcomes; it never routes control itself.
 */
import type { Expr } from '../language/ast.js';
import type { SourceRange } from '../language/diagnostics.js';
import type { Bots, CallControl, CallLeg, Clock, Http, Media, Store } from '../ports/index.js';

/** The ports a session works through. */
export interface Ports {
  calls: CallControl;
  media: Media;
  http: Http;
  /** Already namespaced for the flow's deployment (keys are the flow author's). */
  store: Store;
  bots: Bots;
  clock: Clock;
}

/** A trace event a step may add (the interpreter adds state/step start and finish itself). */
export interface StepTraceEvent {
  type: string;
  [field: string]: unknown;
}

/** Starting another session (used by `originate`); implemented by the runtime. */
export interface SessionStarter {
  /**
   * Place a call to `req.to` and, once answered, run `flow`'s start entry on it with `params`.
   * Resolves when answered/failed (wait = answer) or at once (wait = none).
   */
  originate(
    req: {
      to: string;
      from?: string;
      via?: string;
      flow: string;
      params: Record<string, unknown>;
      headers?: Record<string, string>;
      timeoutMs: number;
      maxDurationMs: number;
      wait: 'answer' | 'none';
    },
    signal: AbortSignal,
  ): Promise<{ outcome: 'answered' | 'started' | 'busy' | 'no-answer' | 'invalid' | 'failed'; callId?: string; status?: number }>;
}

/** The HTTP exchange of a session started by an `on http` entry. */
export interface HttpExchange {
  readonly responded: boolean;
  respond(status: number, body: unknown, headers: Record<string, string>): void;
}

/** What a step module receives. */
export interface StepContext {
  /** The step's name and source range (for errors and traces). */
  readonly step: string;
  readonly range: SourceRange;
  /** Arguments evaluated, catalog defaults applied; durations are numbers of milliseconds. */
  readonly args: Readonly<Record<string, unknown>>;
  /** The unevaluated argument expressions (e.g. lookup's `map`, evaluated against the response). */
  readonly argExprs: Readonly<Record<string, Expr>>;
  /** Evaluate an expression in the session's scope plus `extra` bindings. */
  evaluate(expr: Expr, extra?: Record<string, unknown>): unknown;
  /** The session's call leg, when it has one. */
  readonly call?: CallLeg;
  /** The pending HTTP exchange, for sessions started by `on http`. */
  readonly http?: HttpExchange;
  readonly ports: Ports;
  readonly sessions: SessionStarter;
  /** Directory of the flow file, for relative prompt/table paths. */
  readonly flowDir: string;
  /** Aborted when the session leaves the state, the call ends, or the session is stopped. */
  readonly signal: AbortSignal;
  trace(event: StepTraceEvent): void;
}

/** What a step resolves with: one of its declared outcomes, and the value `into` receives. */
export interface StepResult {
  outcome: string;
  value?: unknown;
}

/** A step module's run function. It must clean up every timer, listener, media operation and leg it started. */
export type StepRun = (ctx: StepContext) => Promise<StepResult>;
