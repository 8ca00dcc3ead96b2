/** What the 20 ms pacer (PacerGroup) serves and reports: the paced interface, its statistics, the lateness histogram. */

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
