/**
 * The StepContext a session hands each step run. Its AbortController is created only when the step reads
 * `signal` (most instant steps never do), which keeps cheap steps cheap on the interpreter's hot path.
 */
import type { Expr } from '../language/ast.js';
import type { SourceRange } from '../language/diagnostics.js';
import type { CallLeg } from '../ports/index.js';
import { compileExpr, type EvalScope } from './eval.js';
import type { PStep } from './prepare.js';
import type { HttpExchange, Ports, SessionStarter, StepContext, StepTraceEvent } from './step-context.js';
import type { Trace } from './trace.js';

/** Why a step's signal was aborted: the session ended, or the step ran past its timeout. */
export class StepAbortedError extends Error {
  constructor(readonly reason: 'session-ended' | 'timeout', message: string) {
    super(message);
    this.name = 'StepAbortedError';
  }
}

/** What a step run needs from its session. */
export interface StepHost {
  readonly scope: EvalScope;
  readonly trace: Trace;
  readonly ports: Ports;
  readonly sessions: SessionStarter;
  readonly call: CallLeg | undefined;
  readonly http: HttpExchange | undefined;
  readonly flowDir: string;
}

/** One run of one step. */
export class StepRunContext implements StepContext {
  readonly step: string;
  readonly range: SourceRange;
  readonly argExprs: Readonly<Record<string, Expr>>;
  readonly call: CallLeg | undefined;
  readonly http: HttpExchange | undefined;
  readonly ports: Ports;
  readonly sessions: SessionStarter;
  readonly flowDir: string;
  /** Monotonic ms when the step started. */
  readonly startedAt: number;
  private controller: AbortController | undefined;
  private abortReason: unknown;
  private aborted = false;

  constructor(
    private readonly host: StepHost,
    readonly prepared: PStep,
    readonly args: Readonly<Record<string, unknown>>,
  ) {
    this.step = prepared.ir.step;
    this.range = prepared.ir.range;
    this.argExprs = prepared.ir.args;
    this.call = host.call;
    this.http = host.http;
    this.ports = host.ports;
    this.sessions = host.sessions;
    this.flowDir = host.flowDir;
    this.startedAt = host.ports.clock.monotonic();
  }

  /** Aborted when the session ends, the call ends, or the step times out. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** True once aborted. */
  get isAborted(): boolean {
    return this.aborted;
  }

  /** Abort the step (idempotent). */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  /** Evaluate an expression in the session's scope, with `extra` bindings shadowing variables. */
  evaluate(expr: Expr, extra?: Record<string, unknown>): unknown {
    const s = this.host.scope;
    return compileExpr(expr)(extra === undefined ? s : { vars: s.vars, extra, env: s.env });
  }

  /** Add a step event to the session trace, at the step's source range. */
  trace(event: StepTraceEvent): void {
    const t = this.host.trace;
    t.add({ t: t.now(), range: this.range, ...event });
  }
}
