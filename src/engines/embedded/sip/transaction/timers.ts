/** RFC 3261 Table 4 and RFC 6026 timer values, derived from T1/T2/T4 and the transport. */
import type { TimerHandle, TimerWheel } from '../timer-wheel.js';

/** Base timer values in ms; tests shrink them. */
export interface TimerConfig {
  t1: number;
  t2: number;
  t4: number;
  /** Timer D on unreliable transports (≥ 32 s, §17.1.1.2). */
  d: number;
  /** Delay before an automatic 100 Trying (§17.2.1: 200 ms). */
  trying: number;
}

/** RFC 3261 defaults. */
export const DEFAULT_TIMERS: TimerConfig = { t1: 500, t2: 4000, t4: 5000, d: 32_000, trying: 200 };

/** Everything a transaction needs from its environment. */
export interface TxContext {
  wheel: TimerWheel;
  timers: TimerConfig;
}

/** Schedules on the wheel, or returns undefined for a zero duration (reliable transports). */
export function arm(ctx: TxContext, ms: number, fn: () => void): TimerHandle | undefined {
  if (ms <= 0) {
    queueMicrotask(fn);
    return undefined;
  }
  return ctx.wheel.schedule(ms, fn);
}

/** Cancels a possibly absent handle. */
export function disarm(h: TimerHandle | undefined): undefined {
  h?.cancel();
  return undefined;
}
