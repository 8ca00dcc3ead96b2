/**
 * Hashed timer wheel: one Node timer drives every SIP transaction timer, so 100,000 pending
 * timers cost one array slot each and cancelling is O(1) (lazy removal on the slot sweep).
 */

/** A scheduled callback that can be cancelled. */
export interface TimerHandle {
  cancel(): void;
  readonly active: boolean;
}

/** Clock and driver hooks; tests inject a manual clock and call `advance`. */
export interface TimerWheelOptions {
  tickMs?: number;
  slots?: number;
  now?: () => number;
  /** When false, no Node timer is created; the owner calls `advanceTo(now)` itself. */
  autoDrive?: boolean;
}

class WheelTimer implements TimerHandle {
  active = true;
  constructor(
    readonly deadlineTick: number,
    public fn: (() => void) | undefined,
    private readonly wheel: TimerWheel,
  ) {}
  cancel(): void {
    if (!this.active) return;
    this.active = false;
    this.fn = undefined;
    this.wheel.onCancel();
  }
}

/** The wheel: `schedule(ms, fn)` returns a handle; expiry is rounded up to the next tick. */
export class TimerWheel {
  readonly tickMs: number;
  private readonly mask: number;
  private readonly buckets: WheelTimer[][];
  private readonly now: () => number;
  private readonly autoDrive: boolean;
  private currentTick: number;
  private pending = 0;
  private driver: NodeJS.Timeout | undefined;

  constructor(opts: TimerWheelOptions = {}) {
    this.tickMs = opts.tickMs ?? 10;
    let slots = 1;
    while (slots < (opts.slots ?? 1024)) slots <<= 1;
    this.mask = slots - 1;
    this.buckets = Array.from({ length: slots }, () => []);
    this.now = opts.now ?? (() => performance.now());
    this.autoDrive = opts.autoDrive ?? true;
    this.currentTick = Math.floor(this.now() / this.tickMs);
  }

  /** Number of timers not yet fired or cancelled. */
  get size(): number {
    return this.pending;
  }

  /** Runs `fn` after at least `ms` milliseconds. */
  schedule(ms: number, fn: () => void): TimerHandle {
    const ticks = Math.max(1, Math.ceil(ms / this.tickMs));
    const deadline = Math.floor(this.now() / this.tickMs) + ticks;
    const t = new WheelTimer(Math.max(deadline, this.currentTick + 1), fn, this);
    this.buckets[t.deadlineTick & this.mask]!.push(t);
    this.pending++;
    if (this.autoDrive && !this.driver) this.startDriver();
    return t;
  }

  /** Fires every timer whose deadline is at or before `nowMs`. */
  advanceTo(nowMs: number): void {
    const target = Math.floor(nowMs / this.tickMs);
    while (this.currentTick < target) {
      this.currentTick++;
      this.sweep(this.currentTick);
    }
    if (this.pending === 0) this.stopDriver();
  }

  /** Stops the driver; pending timers stay but no longer fire on their own. */
  stop(): void {
    this.stopDriver();
  }

  /** @internal */
  onCancel(): void {
    this.pending--;
  }

  private sweep(tick: number): void {
    const bucket = this.buckets[tick & this.mask]!;
    if (bucket.length === 0) return;
    let keep = 0;
    const due: WheelTimer[] = [];
    for (let i = 0; i < bucket.length; i++) {
      const t = bucket[i]!;
      if (!t.active) continue;
      if (t.deadlineTick <= tick) due.push(t);
      else bucket[keep++] = t;
    }
    bucket.length = keep;
    for (const t of due) {
      if (!t.active) continue;
      const fn = t.fn;
      t.active = false;
      t.fn = undefined;
      this.pending--;
      try {
        fn?.();
      } catch {
        // A timer callback must never kill the driver; callers handle their own errors.
      }
    }
  }

  private startDriver(): void {
    this.driver = setInterval(() => this.advanceTo(this.now()), this.tickMs);
    this.driver.unref?.();
  }

  private stopDriver(): void {
    if (this.driver) clearInterval(this.driver);
    this.driver = undefined;
  }
}
