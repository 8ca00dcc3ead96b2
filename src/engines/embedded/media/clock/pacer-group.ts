/**
 * The 20 ms clock of every leg: one timer walks a wheel of K slots per period and serves each slot's legs at
 * n·(20/K) ms on the monotonic clock, so no wake-up sends more than 1/K of the packets and a leg's packets never
 * drift however long the call lasts. A leg joins the least loaded slot. The default K = 20 (1 ms apart) halves
 * the burst of the old 10-slot layout; the timer is re-armed before each burst is sent, so Node's 1 ms minimum
 * delay overlaps the sends instead of adding to them.
 * A late wake-up serves the overdue slots in order; slots more than maxCatchUp periods late are skipped.
 */
import { performance } from 'node:perf_hooks';
import { FRAME_MS } from '../types.js';
import { LatenessHistogram, type Paced, type PacerStats } from './pacer.js';

/** Options of the wheel. */
export interface PacerGroupOptions {
  /** Slots per 20 ms period (default 20). */
  slots?: number;
  /**
   * Periods a slot may be overdue and still be served (default 3: 60 ms, about what receivers' jitter buffers
   * still use); older slots are skipped, so a stall or overload never makes the wheel burst stale audio.
   */
  maxCatchUp?: number;
  /** Wake this much before a slot is due: timers fire late by up to ~1 ms (default 1). */
  earlyMs?: number;
  now?: () => number;
}

interface Place {
  slot: number;
  index: number;
}

/** The shared pacer: a slotted wheel driven by one timer. */
export class PacerGroup {
  private readonly slots: Paced[][] = [];
  private readonly where = new Map<Paced, Place>();
  private readonly hist = new LatenessHistogram();
  private readonly step: number;
  private readonly early: number;
  /** Slots later than this (ms) are skipped rather than sent. */
  private readonly maxLate: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  /** Sub-tick k is due at k·step on the clock (so phases are fixed multiples of step). */
  private k = 0;
  private ticks = 0;
  private skipped = 0;
  private catchUps = 0;

  constructor(opts: PacerGroupOptions = {}) {
    const n = Math.max(1, Math.min(200, Math.floor(opts.slots ?? 20)));
    for (let i = 0; i < n; i++) this.slots.push([]);
    this.step = FRAME_MS / n;
    this.early = opts.earlyMs ?? 1;
    this.maxLate = Math.max(1, opts.maxCatchUp ?? 3) * FRAME_MS;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Legs served. */
  get size(): number {
    return this.where.size;
  }

  /** Serve `p` (in the least loaded slot) from its slot's next turn on. */
  add(p: Paced): void {
    if (this.where.has(p)) return;
    let best = 0;
    for (let i = 1; i < this.slots.length; i++) {
      if ((this.slots[i] as Paced[]).length < (this.slots[best] as Paced[]).length) best = i;
    }
    const slot = this.slots[best] as Paced[];
    this.where.set(p, { slot: best, index: slot.length });
    slot.push(p);
    if (this.timer === undefined) {
      this.k = Math.floor(this.now() / this.step) + 1;
      this.arm();
    }
  }

  /** Stop serving `p` (O(1) swap-remove). */
  remove(p: Paced): void {
    const at = this.where.get(p);
    if (!at) return;
    this.where.delete(p);
    const slot = this.slots[at.slot] as Paced[];
    const last = slot.pop() as Paced;
    if (last !== p) {
      slot[at.index] = last;
      (this.where.get(last) as Place).index = at.index;
    }
    if (this.where.size === 0) this.stop();
  }

  /** Lateness of each served leg's send relative to its slot's ideal time. */
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

  /** Reset statistics (between benchmark phases). */
  resetStats(): void {
    this.hist.reset();
    this.ticks = 0;
    this.skipped = 0;
    this.catchUps = 0;
  }

  /** Stop the timer (legs stay registered; the next add() restarts it). */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.where.size === 0) return;
    const delay = this.k * this.step - this.early - this.now();
    this.timer = setTimeout(this.onTimer, delay > 0 ? delay : 0);
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    const now = this.now();
    const oldest = Math.floor((now - this.maxLate) / this.step);
    if (this.k < oldest) {
      this.skipped += oldest - this.k;
      this.k = oldest;
    }
    if (Math.floor(now / this.step) > this.k) this.catchUps++;
    // Only what is due now: slots that fall due while serving wait for the next turn of the event loop, so
    // received packets and other timers are never starved however far behind the wheel is.
    const last = Math.floor((now + this.early) / this.step);
    // Arm for the next slot before serving: the timer's wait then overlaps the sends instead of following
    // them (setTimeout never waits less than 1 ms, which would make every wake-up late after a long burst).
    const k = this.k;
    this.k = Math.max(k, last + 1);
    this.arm();
    for (let i = k; i <= last; i++) {
      const scheduled = i * this.step;
      // Re-checked per slot: under overload a long burst must drop what it made stale, or the wheel would
      // settle at the bound, serving every packet maxLate behind.
      if (this.now() - scheduled > this.maxLate) {
        this.skipped++;
        continue;
      }
      this.serve(this.slots[i % this.slots.length] as Paced[], scheduled);
      this.ticks++;
    }
  };

  private serve(members: Paced[], scheduled: number): void {
    const hist = this.hist;
    // Backwards: a leg that closes in its tick swap-removes itself, moving an already served one into its place.
    for (let i = members.length - 1; i >= 0; i--) {
      try {
        (members[i] as Paced).tick(scheduled);
      } catch {
        // A faulty source must not stop the other legs; the leg reports its own errors.
      }
      hist.add(this.now() - scheduled);
    }
  }
}
