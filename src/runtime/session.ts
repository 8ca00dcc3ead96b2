/**
 * The session actor: one per call, HTTP request or started flow. Events (a step's result or failure, its
 * timeout, the far end hanging up, the maximum duration, a stop) go through a run-to-completion queue and are
 * handled one at a time; the synchronous Machine decides what comes next, and the actor performs the effects
 * (running step modules, timers, hanging up, answering the HTTP request). No exception escapes a session:
 * every failure becomes a trace `error` event and an end with cause `error`.
 */
import type { StepDecl } from '../catalog/index.js';
import type { EntryIr, FlowIr, TransitionIr } from '../compiler/ir.js';
import type { SourceRange } from '../language/diagnostics.js';
import type { CallLeg, CancelTimer, EndCause } from '../ports/index.js';
import { EvalError, type EvalScope } from './eval.js';
import { Machine, type Next } from './interpreter.js';
import { prepareFlow } from './prepare.js';
import type { Random } from './random.js';
import type { HttpExchange, Ports, SessionStarter, StepResult, StepRun } from './step-context.js';
import { StepAbortedError, StepRunContext, type StepHost } from './step-run.js';
import { DEFAULT_TRACE_SIZE, Trace, type TraceEvent } from './trace.js';

/** Why a session ended: its call's end cause, `completed` (an `end`), or `stopped` (by the API or shutdown). */
export type SessionEndCause = EndCause | 'completed' | 'stopped';

/** How a session ended. */
export interface SessionResult {
  cause: SessionEndCause;
  error?: string;
  range?: SourceRange;
}

/** Limits a session enforces. */
export interface SessionLimits {
  /** The session (and its call) ends after this long, cause `max-duration`. */
  maxDurationMs: number;
  /** Per step kind: ms before a step that has not finished is aborted; null: no timeout. */
  stepTimeoutMs: Readonly<Record<string, number | null>>;
  /** For step kinds not listed: steps that wait (catalog `waits`) have no timeout, others this one. */
  defaultStepTimeoutMs: number;
  maxTransitions: number;
  traceSize: number;
  traceVars: boolean;
}

/** Defaults: 4 h per session, 30 s per instant step, 100,000 transitions, 2000 trace events. */
export const DEFAULT_LIMITS: SessionLimits = {
  maxDurationMs: 4 * 3600_000,
  stepTimeoutMs: {},
  defaultStepTimeoutMs: 30_000,
  maxTransitions: 100_000,
  traceSize: DEFAULT_TRACE_SIZE,
  traceVars: false,
};

/** A finished step, for metrics. */
export interface StepMetric {
  session: string;
  flow: string;
  step: string;
  outcome: string;
  ms: number;
}

/** Everything a session starts from. */
export interface SessionInit {
  id: string;
  flow: FlowIr;
  /** The registry's version label of `flow` (shown in traces and the API). */
  version: string;
  entry: EntryIr;
  /** Start here instead of the entry's transition (an HTTP entry's `invalid` route). */
  transition?: TransitionIr;
  /** Initial variables: call, request, params, config, env, session, and top-level fields. */
  vars: Record<string, unknown>;
  ports: Ports;
  sessions: SessionStarter;
  runners: Readonly<Record<string, StepRun>>;
  call?: CallLeg;
  http?: HttpExchange;
  flowDir: string;
  random: Random;
  limits?: Partial<SessionLimits>;
  onTrace?: (e: TraceEvent) => void;
  onStep?: (m: StepMetric) => void;
}

type SessionEvent =
  | { type: 'result'; ctx: StepRunContext; result: StepResult }
  | { type: 'failure'; ctx: StepRunContext; error: unknown }
  | { type: 'timeout'; ctx: StepRunContext; ms: number }
  | { type: 'call.ended'; cause: EndCause }
  | { type: 'max-duration' }
  | { type: 'stop'; reason: string };

const TIMEOUT_OUTCOMES = ['timeout', 'error', 'failed'] as const;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** One running session. */
export class Session implements StepHost {
  readonly id: string;
  readonly flow: FlowIr;
  readonly version: string;
  readonly trace: Trace;
  readonly scope: EvalScope;
  readonly ports: Ports;
  readonly sessions: SessionStarter;
  readonly call: CallLeg | undefined;
  readonly http: HttpExchange | undefined;
  readonly flowDir: string;
  /** Wall-clock ms when the session started. */
  readonly startedAt: number;
  /** Settles (never rejects) when the session has ended and its call/HTTP request has been closed. */
  readonly done: Promise<SessionResult>;
  status: 'idle' | 'running' | 'ending' | 'ended' = 'idle';
  result: SessionResult | undefined;
  private readonly machine: Machine;
  private readonly limits: SessionLimits;
  private readonly init: SessionInit;
  private ctx: StepRunContext | undefined;
  private stepTimer: CancelTimer | undefined;
  private maxTimer: CancelTimer | undefined;
  private readonly queue: SessionEvent[] = [];
  private busy = false;
  private resolveDone!: (r: SessionResult) => void;

  constructor(init: SessionInit) {
    this.init = init;
    this.id = init.id;
    this.flow = init.flow;
    this.version = init.version;
    this.ports = init.ports;
    this.sessions = init.sessions;
    this.call = init.call;
    this.http = init.http;
    this.flowDir = init.flowDir;
    this.limits = { ...DEFAULT_LIMITS, ...init.limits };
    this.startedAt = init.ports.clock.now();
    const clock = init.ports.clock;
    this.trace = new Trace(clock.monotonic(), () => clock.monotonic(), this.limits.traceSize, init.onTrace);
    const vars = Object.assign(Object.create(null) as Record<string, unknown>, init.vars);
    this.scope = { vars, extra: undefined, env: { now: () => clock.now(), random: init.random } };
    this.machine = new Machine(prepareFlow(init.flow), this.scope, this.trace, { maxTransitions: this.limits.maxTransitions, traceVars: this.limits.traceVars });
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** The state being run. */
  get currentState(): string | undefined {
    return this.machine.state?.name;
  }

  /** The step running now, if any. */
  get currentStep(): { step: string; id: string; since: number } | undefined {
    const c = this.ctx;
    return c ? { step: c.step, id: c.prepared.ir.id, since: c.startedAt } : undefined;
  }

  /** Start interpreting (once). */
  start(): this {
    if (this.status !== 'idle') return this;
    this.status = 'running';
    const { entry } = this.init;
    this.trace.add({ t: 0, type: 'session.start', range: entry.range, flow: this.flow.name, version: this.version, entry: entry.id, session: this.id });
    this.call?.ended.then(
      (r) => this.dispatch({ type: 'call.ended', cause: r.cause }),
      () => this.dispatch({ type: 'call.ended', cause: 'error' }),
    );
    this.maxTimer = this.ports.clock.setTimer(this.limits.maxDurationMs, () => this.dispatch({ type: 'max-duration' }));
    this.busy = true;
    try {
      const prepared = prepareFlow(this.flow);
      this.exec(this.machine.start(prepared.transition(this.init.transition ?? entry.to), entry.range));
    } catch (err) {
      this.fail(err, entry.range);
    } finally {
      this.busy = false;
    }
    this.drain();
    return this;
  }

  /** Stop the session: abort the running step, hang up its call, end with cause `stopped`. */
  stop(reason = 'stopped'): void {
    this.dispatch({ type: 'stop', reason });
  }

  private dispatch(ev: SessionEvent): void {
    this.queue.push(ev);
    if (!this.busy) this.drain();
  }

  private drain(): void {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let ev = this.queue.shift(); ev; ev = this.queue.shift()) {
        try {
          this.handle(ev);
        } catch (err) {
          this.fail(err, this.machine.currentRange());
        }
      }
    } finally {
      this.busy = false;
    }
  }

  private handle(ev: SessionEvent): void {
    if (this.status !== 'running') return;
    switch (ev.type) {
      case 'result': {
        if (ev.ctx !== this.ctx) return;
        this.concludeStep();
        const r = ev.result as StepResult | undefined;
        if (!r || typeof r.outcome !== 'string') throw new Error(`${ev.ctx.step} resolved without an outcome`);
        this.init.onStep?.({ session: this.id, flow: this.flow.name, step: ev.ctx.step, outcome: r.outcome, ms: this.ports.clock.monotonic() - ev.ctx.startedAt });
        this.exec(this.machine.resume(r.outcome, r.value));
        return;
      }
      case 'failure': {
        if (ev.ctx !== this.ctx) return;
        this.concludeStep();
        this.machine.step = undefined;
        // The call is gone: the call.ended event (already settled or about to be) ends the session cleanly.
        if (this.call?.state === 'ended') return;
        const range = ev.error instanceof EvalError ? ev.error.range : ev.ctx.range;
        this.fail(ev.error, range, `${ev.ctx.step} failed: `);
        return;
      }
      case 'timeout': {
        if (ev.ctx !== this.ctx) return;
        this.concludeStep();
        ev.ctx.abort(new StepAbortedError('timeout', `${ev.ctx.step} did not finish within ${ev.ms} ms`));
        const outcome = TIMEOUT_OUTCOMES.find((o) => o in ev.ctx.prepared.outcomes);
        this.trace.add({ t: this.trace.now(), type: 'step.timeout', range: ev.ctx.range, step: ev.ctx.step, ms: ev.ms, ...(outcome ? { outcome } : {}) });
        if (outcome) this.exec(this.machine.resume(outcome, null));
        else this.fail(new Error(`${ev.ctx.step} did not finish within ${ev.ms} ms`), ev.ctx.range);
        return;
      }
      case 'call.ended':
        this.trace.add({ t: this.trace.now(), type: 'call.ended', range: this.machine.currentRange(), cause: ev.cause });
        this.finish(ev.cause);
        return;
      case 'max-duration':
        this.trace.add({ t: this.trace.now(), type: 'max-duration', range: this.machine.currentRange(), ms: this.limits.maxDurationMs });
        this.finish('max-duration');
        return;
      case 'stop':
        this.finish('stopped', ev.reason === 'stopped' ? undefined : ev.reason);
        return;
    }
  }

  /** Run what the machine asked for: a step, or the end. */
  private exec(next: Next): void {
    if ('end' in next) {
      if (next.cause === 'error') this.finish('error', next.error, next.range);
      else this.finish(this.call?.state === 'ended' ? 'local-hangup' : 'completed');
      return;
    }
    const runner = this.init.runners[next.ir.step];
    if (!runner) {
      this.fail(new Error(`no runner for step '${next.ir.step}'`), next.ir.range);
      return;
    }
    const ctx = new StepRunContext(this, next, this.machine.args);
    this.ctx = ctx;
    let p: Promise<StepResult>;
    try {
      p = runner(ctx);
      if (!(p instanceof Promise)) p = Promise.resolve(p);
    } catch (err) {
      p = Promise.reject(err instanceof Error ? err : new Error(messageOf(err)));
    }
    p.then(
      (result) => this.dispatch({ type: 'result', ctx, result }),
      (error: unknown) => this.dispatch({ type: 'failure', ctx, error }),
    );
    const ms = this.timeoutFor(next.ir.step, next.decl);
    // Armed one microtask later: a step that settles at once never costs a timer.
    if (ms !== null) queueMicrotask(() => this.armTimeout(ctx, ms));
  }

  private armTimeout(ctx: StepRunContext, ms: number): void {
    if (ctx !== this.ctx || this.status !== 'running') return;
    const left = Math.max(0, ms - (this.ports.clock.monotonic() - ctx.startedAt));
    this.stepTimer = this.ports.clock.setTimer(left, () => this.dispatch({ type: 'timeout', ctx, ms }));
  }

  private timeoutFor(step: string, decl: StepDecl | undefined): number | null {
    const configured = this.limits.stepTimeoutMs[step];
    if (configured !== undefined) return configured;
    return decl?.waits ? null : this.limits.defaultStepTimeoutMs;
  }

  private concludeStep(): void {
    this.ctx = undefined;
    this.stepTimer?.();
    this.stepTimer = undefined;
  }

  private fail(err: unknown, range: SourceRange | undefined, prefix = ''): void {
    const message = prefix + messageOf(err);
    this.trace.add({ t: this.trace.now(), type: 'error', range, message });
    this.finish('error', message, range);
  }

  /** End: abort the step, cancel timers, close the call and the HTTP exchange, then settle `done`. */
  private finish(cause: SessionEndCause, error?: string, range?: SourceRange): void {
    if (this.status !== 'running') return;
    this.status = 'ending';
    const ctx = this.ctx;
    this.concludeStep();
    ctx?.abort(new StepAbortedError('session-ended', `the session ended (${cause})`));
    this.machine.step = undefined;
    this.maxTimer?.();
    this.maxTimer = undefined;
    const result: SessionResult = { cause, ...(error === undefined ? {} : { error }), ...(range ? { range } : {}) };
    void this.close(result);
  }

  private async close(result: SessionResult): Promise<void> {
    const { cause } = result;
    if (this.call && this.call.state !== 'ended') {
      const hangupCause: EndCause = cause === 'max-duration' || cause === 'error' ? cause : cause === 'stopped' ? 'shutdown' : 'local-hangup';
      try {
        await this.call.hangup({ cause: hangupCause });
        this.trace.add({ t: this.trace.now(), type: 'call.hangup', cause: hangupCause });
      } catch (err) {
        this.trace.add({ t: this.trace.now(), type: 'error', message: `hangup failed: ${messageOf(err)}` });
      }
    }
    if (this.http && !this.http.responded) {
      const message = result.error ?? (cause === 'completed' ? 'the flow ended without responding' : `the flow ended (${cause}) without responding`);
      try {
        this.http.respond(500, { error: message }, {});
        this.trace.add({ t: this.trace.now(), type: 'http.respond', status: 500, body: { error: message } });
      } catch (err) {
        this.trace.add({ t: this.trace.now(), type: 'error', message: `responding failed: ${messageOf(err)}` });
      }
    }
    this.trace.add({ t: this.trace.now(), type: 'session.end', range: result.range, cause, ...(result.error ? { error: result.error } : {}) });
    this.status = 'ended';
    this.result = result;
    this.resolveDone(result);
  }
}
