/**
 * Several pacers at staggered phases within the 20 ms period. A leg joins the least loaded slot, so each
 * wake-up serves 1/K of the legs: the send burst per wake-up shrinks K-fold, and with it the lateness of the
 * last leg served, while thousands of legs still share only K timers.
 */
import { FRAME_MS } from '../types.js';
import { LatenessHistogram, Pacer, type Paced, type PacerStats } from './pacer.js';

/** Options of the group. */
export interface PacerGroupOptions {
  /** Number of interleaved slots (default 10: one wake-up per 2 ms). */
  slots?: number;
  maxCatchUp?: number;
}

/** Interleaved pacers sharing one lateness histogram. */
export class PacerGroup {
  private readonly pacers: Pacer[] = [];
  private readonly where = new Map<Paced, Pacer>();
  private readonly hist = new LatenessHistogram();

  constructor(opts: PacerGroupOptions = {}) {
    const k = Math.max(1, Math.floor(opts.slots ?? 10));
    for (let i = 0; i < k; i++) {
      this.pacers.push(
        new Pacer({ phaseMs: (i * FRAME_MS) / k, histogram: this.hist, maxCatchUp: opts.maxCatchUp }),
      );
    }
  }

  /** Legs served. */
  get size(): number {
    return this.where.size;
  }

  /** Serve `p` in the least loaded slot. */
  add(p: Paced): void {
    if (this.where.has(p)) return;
    let best = this.pacers[0] as Pacer;
    for (const q of this.pacers) if (q.size < best.size) best = q;
    best.add(p);
    this.where.set(p, best);
  }

  /** Stop serving `p`. */
  remove(p: Paced): void {
    const q = this.where.get(p);
    if (!q) return;
    this.where.delete(p);
    q.remove(p);
  }

  /** Combined statistics (ticks and catch-ups summed over slots). */
  stats(): PacerStats {
    let ticks = 0;
    let skipped = 0;
    let catchUps = 0;
    for (const q of this.pacers) {
      const s = q.stats();
      ticks += s.ticks;
      skipped += s.skipped;
      catchUps += s.catchUps;
    }
    return {
      ticks,
      served: this.hist.total,
      lateP50Ms: this.hist.quantile(0.5),
      lateP99Ms: this.hist.quantile(0.99),
      lateMaxMs: this.hist.max,
      skipped,
      catchUps,
    };
  }

  /** Reset statistics. */
  resetStats(): void {
    for (const q of this.pacers) q.resetStats();
  }

  /** Stop every timer. */
  stop(): void {
    for (const q of this.pacers) q.stop();
  }
}
