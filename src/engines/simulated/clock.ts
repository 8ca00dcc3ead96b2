/**
 * A virtual clock for the simulated engine: time only moves when asked (`advance`, `runUntilIdle`), timers
 * fire in (due time, creation order) order, and pending promise callbacks are flushed between timers, so a
 * simulated call replays identically every time.
 */
import type { CancelTimer, Clock } from '../../ports/clock.js';

interface Timer {
  due: number;
  seq: number;
  fn: () => void;
}

/** Let every queued promise callback (and anything it queues) run; one macrotask turn is enough. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Options for a simulated clock. */
export interface SimulatedClockOptions {
  /** Wall-clock epoch ms that monotonic 0 corresponds to (for `now()`); default 2026-01-01T00:00:00Z. */
  epochMs?: number;
}

/** Virtual time; implements the Clock port. */
export class SimulatedClock implements Clock {
  private current = 0;
  private seq = 0;
  private readonly timers: Timer[] = [];
  private readonly epochMs: number;

  constructor(opts: SimulatedClockOptions = {}) {
    this.epochMs = opts.epochMs ?? Date.UTC(2026, 0, 1);
  }

  /** Wall-clock ms (the epoch plus virtual time). */
  now(): number {
    return this.epochMs + this.current;
  }

  /** Virtual monotonic ms since the clock was created. */
  monotonic(): number {
    return this.current;
  }

  /** Schedule `fn` at now + ms (negative counts as 0). */
  setTimer(ms: number, fn: () => void): CancelTimer {
    const timer: Timer = { due: this.current + Math.max(0, ms), seq: this.seq++, fn };
    this.insert(timer);
    return () => {
      const i = this.timers.indexOf(timer);
      if (i >= 0) this.timers.splice(i, 1);
    };
  }

  /** How many timers are waiting (tests assert 0 after a step cleaned up). */
  pendingTimers(): number {
    return this.timers.length;
  }

  /** When the next timer is due, if any. */
  nextDue(): number | undefined {
    return this.timers[0]?.due;
  }

  /** Move time forward by `ms`, firing every timer due on the way (in order) and settling promises after each. */
  async advance(ms: number): Promise<void> {
    const until = this.current + Math.max(0, ms);
    await flushMicrotasks();
    for (;;) {
      const next = this.timers[0];
      if (!next || next.due > until) break;
      this.fireNext();
      await flushMicrotasks();
    }
    this.current = until;
    await flushMicrotasks();
  }

  /**
   * Fire timers until none are left, or `limitMs` of virtual time has passed, or `until()` turns true.
   * Returns true when it stopped because there was nothing left to do.
   */
  async runUntilIdle(opts: { limitMs?: number; until?: () => boolean } = {}): Promise<boolean> {
    const deadline = this.current + (opts.limitMs ?? Number.POSITIVE_INFINITY);
    await flushMicrotasks();
    for (;;) {
      if (opts.until?.()) return false;
      const next = this.timers[0];
      if (!next) return true;
      if (next.due > deadline) {
        this.current = deadline;
        return false;
      }
      this.fireNext();
      await flushMicrotasks();
    }
  }

  /** Drive the clock until `promise` settles (or `limitMs` passes), then return its result. */
  async run<T>(promise: Promise<T>, limitMs = 24 * 3600_000): Promise<T> {
    let settled = false;
    const watched = promise.finally(() => {
      settled = true;
    });
    watched.catch(() => undefined);
    const deadline = this.current + limitMs;
    // Real I/O (a table file read) can be pending while no timer is: give it a few real turns before giving up.
    for (let idleTurns = 0; !settled && idleTurns < 50; ) {
      const idle = await this.runUntilIdle({ limitMs: deadline - this.current, until: () => settled });
      if (!idle) break;
      idleTurns++;
      await new Promise((r) => setTimeout(r, 2));
    }
    if (!settled) throw new Error(`simulation did not finish: no timers left and the operation is still pending at ${this.current} ms`);
    return watched;
  }

  private fireNext(): void {
    const t = this.timers.shift();
    if (!t) return;
    this.current = Math.max(this.current, t.due);
    t.fn();
  }

  private insert(timer: Timer): void {
    let i = this.timers.length;
    while (i > 0) {
      const prev = this.timers[i - 1];
      if (prev && (prev.due < timer.due || (prev.due === timer.due && prev.seq < timer.seq))) break;
      i--;
    }
    this.timers.splice(i, 0, timer);
  }
}
