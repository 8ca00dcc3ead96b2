/** Helpers shared by the step modules: typed argument access, abort plumbing, and the step error type. */
import type { CallLeg, Clock } from '../ports/index.js';
import type { StepContext } from '../runtime/step-context.js';

/** Why a step failed (not an outcome: a flow bug or a lost call). */
export const StepErrorCode = {
  noCall: 'no-call',
  noHttp: 'no-http',
  callEnded: 'call-ended',
  badArgument: 'bad-argument',
  alreadyResponded: 'already-responded',
} as const;
export type StepErrorCode = (typeof StepErrorCode)[keyof typeof StepErrorCode];

/** The one error type steps throw. The interpreter ends the session cleanly on `call-ended`. */
export class StepError extends Error {
  constructor(
    readonly code: StepErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StepError';
  }
}

/** The session's call leg, or a StepError (the compiler's `needs` checks make this rare). */
export function requireCall(ctx: StepContext): CallLeg {
  if (!ctx.call) throw new StepError('no-call', `${ctx.step} needs a call, and this session has none`);
  return ctx.call;
}

/**
 * Turn a port failure into what the step should throw: the abort reason when the step was aborted (leaving
 * the state, or the call ended), `call-ended` when the call is gone, else the error itself.
 */
export function failure(ctx: StepContext, err: unknown): unknown {
  if (ctx.signal.aborted) return ctx.signal.reason;
  if (ctx.call?.state === 'ended') return new StepError('call-ended', `the call ended during ${ctx.step}`);
  return err;
}

/** True when the step was aborted or its call is gone: a port failure then is not an outcome. */
export function interrupted(ctx: StepContext): boolean {
  return ctx.signal.aborted || ctx.call?.state === 'ended';
}

/**
 * Throw if the step has been aborted (checked after awaits that can take long). Instant steps (store, log)
 * skip it: the session creates a step's AbortSignal lazily on first read, and ignores late results anyway.
 */
export function checkAborted(ctx: StepContext): void {
  if (ctx.signal.aborted) throw ctx.signal.reason;
}

/** A child AbortSignal: aborts with the parent, or after `ms` (reason 'timeout') when given. */
export function childSignal(clock: Clock, parent: AbortSignal, ms?: number): { signal: AbortSignal; timedOut: () => boolean; dispose: () => void } {
  const ac = new AbortController();
  let timedOut = false;
  const onAbort = (): void => ac.abort(parent.reason);
  if (parent.aborted) ac.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  const cancel =
    ms === undefined
      ? () => undefined
      : clock.setTimer(ms, () => {
          timedOut = true;
          ac.abort('timeout');
        });
  return {
    signal: ac.signal,
    timedOut: () => timedOut,
    dispose: () => {
      cancel();
      parent.removeEventListener('abort', onAbort);
    },
  };
}

/** Any value as text the way `String` shows it (the argument stays `unknown`, so no narrowing hides objects). */
export function textOf(v: unknown): string {
  return String(v);
}

/** A string argument, or undefined. */
export function str(ctx: StepContext, name: string): string | undefined {
  const v = ctx.args[name];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : textOf(v);
}

/** A number argument (durations are ms), or the fallback. */
export function num(ctx: StepContext, name: string, fallback: number): number;
export function num(ctx: StepContext, name: string): number | undefined;
export function num(ctx: StepContext, name: string, fallback?: number): number | undefined {
  const v = ctx.args[name];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return fallback;
}

/** A boolean argument. */
export function bool(ctx: StepContext, name: string, fallback = false): boolean {
  const v = ctx.args[name];
  return typeof v === 'boolean' ? v : fallback;
}

/** An object argument with string values (headers, params); other values are stringified. */
export function stringMap(ctx: StepContext, name: string): Record<string, string> | undefined {
  const v = ctx.args[name];
  if (v === undefined || v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) out[k] = typeof x === 'string' ? x : JSON.stringify(x);
  return out;
}

/** A dial target as written in a flow: a string, or {uri, timeout?, from?, headers?}. */
export interface Target {
  uri: string;
  timeoutMs?: number;
  from?: string;
  headers?: Record<string, string>;
}

/** Normalise a `targets` argument. */
export function targetsOf(ctx: StepContext): Target[] {
  const v = ctx.args.targets;
  const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return list.map((t): Target => {
    if (typeof t === 'string') return { uri: t };
    if (t && typeof t === 'object' && typeof (t as { uri?: unknown }).uri === 'string') {
      const o = t as { uri: string; timeout?: unknown; from?: unknown; headers?: unknown };
      const target: Target = { uri: o.uri };
      if (typeof o.timeout === 'number') target.timeoutMs = o.timeout;
      if (typeof o.from === 'string') target.from = o.from;
      if (o.headers && typeof o.headers === 'object') target.headers = o.headers as Record<string, string>;
      return target;
    }
    throw new StepError('bad-argument', `${ctx.step}: a target must be a string or {uri, ...}, got ${JSON.stringify(t)}`);
  });
}
