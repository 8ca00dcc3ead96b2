/**
 * One shared 20 ms pacer for every leg. Ticks are scheduled at start + n·20 ms on the monotonic clock, so
 * there is no drift however long a call lasts; a late wake-up serves the missed ticks at once (bounded),
 * and every registered leg is served in the same wake-up, so thousands of streams share one timer.
 */
import { performance } from 'node:perf_hooks';
import { FRAME_MS } from '../types.js';

/** Something the pacer serves once per tick. */
export interface Paced {
  /** Called once per 20 ms tick; `scheduled` is the ideal time of this tick (performance.now() ms). */
  tick(scheduled: number): void;
}

/** Lateness statistics of served packets. */
export interface PacerStats {
  ticks: number;
  served: number;
  lateP50Ms: number;
  lateP99Ms: number;
  lateMaxMs: number;
  /** Ticks skipped because the process was stalled longer than the catch-up bound. */
  skipped: number;
  catchUps: number;
}

/** Options of the pacer. */
export interface PacerOptions {
  intervalMs?: number;
  /** At most this many overdue ticks are replayed after a stall; older ones are dropped. */
  maxCatchUp?: number;
  /** Wake this much before the tick (timers fire late by up to ~1 ms; sending < 1 ms early is harmless). */
  earlyMs?: number;
  now?: () => number;
  /** Align ticks to times ≡ phaseMs (mod interval) on the clock, so several pacers can interleave. */
  phaseMs?: number;
  /** Share a lateness histogram with other pacers (a PacerGroup). */
  histogram?: LatenessHistogram;
}

const BUCKET_MS = 0.05;
const BUCKETS = 2000;

/** Histogram of lateness in 50 µs buckets up to 100 ms. */
export class LatenessHistogram {
  private readonly counts = new Float64Array(BUCKETS + 1);
  total = 0;
  max = 0;

  add(ms: number): void {
    const v = ms < 0 ? 0 : ms;
    const i = Math.min(BUCKETS, Math.floor(v / BUCKET_MS));
    this.counts[i] = (this.counts[i] as number) + 1;
    this.total++;
    if (v > this.max) this.max = v;
  }

  quantile(q: number): number {
    if (this.total === 0) return 0;
    const target = q * this.total;
    let acc = 0;
    for (let i = 0; i <= BUCKETS; i++) {
      acc += this.counts[i] as number;
      if (acc >= target) return (i + 1) * BUCKET_MS;
    }
    return this.max;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.max = 0;
  }
}

/** The shared pacer. Starts its timer when the first leg is added and stops when the last one leaves. */
export class Pacer {
  private readonly members: Paced[] = [];
  private readonly index = new Map<Paced, number>();
  private readonly interval: number;
  private readonly maxCatchUp: number;
  private readonly early: number;
  private readonly now: () => number;
  private readonly hist: LatenessHistogram;
  private readonly phase: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private start = 0;
  private n = 0;
  private ticks = 0;
  private skipped = 0;
  private catchUps = 0;

  constructor(opts: PacerOptions = {}) {
    this.interval = opts.intervalMs ?? FRAME_MS;
    this.maxCatchUp = opts.maxCatchUp ?? 5;
    this.early = opts.earlyMs ?? 1;
    this.now = opts.now ?? (() => performance.now());
    this.phase = opts.phaseMs;
    this.hist = opts.histogram ?? new LatenessHistogram();
  }

  /** Legs currently served. */
  get size(): number {
    return this.members.length;
  }

  /** Serve `p` from the next tick on. */
  add(p: Paced): void {
    if (this.index.has(p)) return;
    this.index.set(p, this.members.length);
    this.members.push(p);
    if (this.timer === undefined) {
      const now = this.now();
      const ph = this.phase;
      this.start = ph === undefined ? now : now - ((((now - ph) % this.interval) + this.interval) % this.interval);
      this.n = 1;
      this.arm();
    }
  }

  /** Stop serving `p` (O(1) swap-remove). */
  remove(p: Paced): void {
    const i = this.index.get(p);
    if (i === undefined) return;
    this.index.delete(p);
    const last = this.members.pop() as Paced;
    if (last !== p) {
      this.members[i] = last;
      this.index.set(last, i);
    }
    if (this.members.length === 0) this.stop();
  }

  /** Lateness of each served leg's send relative to its tick's ideal time. */
  stats(): PacerStats {
    return {
      ticks: this.ticks,
      served: this.hist.total,
      lateP50Ms: this.hist.quantile(0.5),
      lateP99Ms: this.hist.quantile(0.99),
      lateMaxMs: this.hist.max,
      skipped: this.skipped,
      catchUps: this.catchUps,
    };
  }

  /** Reset the lateness statistics (between benchmark steps). */
  resetStats(): void {
    this.hist.reset();
    this.ticks = 0;
    this.skipped = 0;
    this.catchUps = 0;
  }

  /** Stop the timer (legs stay registered; add() restarts it). */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    const due = this.start + this.n * this.interval - this.early;
    const delay = Math.max(0, due - this.now());
    this.timer = setTimeout(this.onTimer, delay);
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    let now = this.now();
    let overdue = Math.floor((now - (this.start + this.n * this.interval)) / this.interval);
    if (overdue > this.maxCatchUp) {
      // A stall longer than the bound: drop the oldest ticks rather than bursting seconds of audio.
      const drop = overdue - this.maxCatchUp;
      this.n += drop;
      this.skipped += drop;
      overdue = this.maxCatchUp;
    }
    if (overdue > 0) this.catchUps++;
    while (this.start + this.n * this.interval - this.early <= now) {
      const scheduled = this.start + this.n * this.interval;
      this.serve(scheduled);
      this.n++;
      this.ticks++;
      now = this.now();
    }
    if (this.members.length > 0) this.arm();
  };

  private serve(scheduled: number): void {
    const members = this.members;
    for (let i = 0; i < members.length; i++) {
      const m = members[i] as Paced;
      try {
        m.tick(scheduled);
      } catch {
        // A faulty source must not stop the other legs; the leg reports its own errors.
      }
      this.hist.add(this.now() - scheduled);
    }
  }
}
