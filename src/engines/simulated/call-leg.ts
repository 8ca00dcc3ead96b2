/** A simulated call leg: the caller's inbound leg or a dialled one, driven by the world's clock and script. */
import type { CallInfo, CallLeg, EndCause } from '../../ports/call-control.js';
import { sleep } from '../../ports/clock.js';
import { lookupGlob } from './script.js';
import type { SimWorld, WorldLeg } from './world.js';

/** The reason an operation on a simulated leg was cut short. */
export class SimCallEndedError extends Error {
  readonly code = 'call-ended';
  constructor(legId: string) {
    super(`call ${legId} has ended`);
    this.name = 'SimCallEndedError';
  }
}

/** A simulated leg. */
export class SimCallLeg implements CallLeg, WorldLeg {
  private current: 'ringing' | 'answered' | 'ended' = 'ringing';
  private resolveEnded!: (v: { cause: EndCause; status?: number }) => void;
  readonly ended: Promise<{ cause: EndCause; status?: number }>;
  private readonly endListeners = new Set<() => void>();

  constructor(
    readonly info: CallInfo,
    private readonly world: SimWorld,
  ) {
    this.ended = new Promise((r) => (this.resolveEnded = r));
    world.legs.set(info.id, this);
  }

  get state(): 'ringing' | 'answered' | 'ended' {
    return this.current;
  }

  /** Run `fn` once when the leg ends; returns an unsubscribe function. Runs at once if already ended. */
  onEnd(fn: () => void): () => void {
    if (this.current === 'ended') {
      fn();
      return () => undefined;
    }
    this.endListeners.add(fn);
    return () => this.endListeners.delete(fn);
  }

  async answer(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    if (this.current === 'ended') throw new SimCallEndedError(this.info.id);
    if (this.current === 'answered') return;
    this.markAnswered();
    this.world.record.events.push({ at: this.world.t(), type: 'answer', leg: this.info.id });
    this.world.moment('answer');
  }

  /** Mark answered without counting a flow `answer` (dialled legs the far end answers). */
  markAnswered(): void {
    if (this.current === 'ringing') this.current = 'answered';
  }

  async hangup(opts: { status?: number; reason?: string; cause?: EndCause } = {}): Promise<void> {
    if (this.current === 'ended') return;
    const status = this.current === 'ringing' ? (opts.status ?? 480) : undefined;
    this.world.record.events.push({ at: this.world.t(), type: 'hangup', leg: this.info.id, by: 'local', status, reason: opts.reason });
    this.end(opts.cause ?? 'local-hangup', status);
  }

  /** The far end hung up. */
  endFromFar(cause: 'remote-hangup' = 'remote-hangup'): void {
    if (this.current === 'ended') return;
    this.world.record.events.push({ at: this.world.t(), type: 'hangup', leg: this.info.id, by: 'remote' });
    this.end(cause);
  }

  /** End the leg with a cause (no record entry; callers record why). */
  end(cause: EndCause, status?: number): void {
    if (this.current === 'ended') return;
    this.current = 'ended';
    this.resolveEnded(status === undefined ? { cause } : { cause, status });
    for (const fn of [...this.endListeners]) fn();
    this.endListeners.clear();
  }

  async sendDtmf(digits: string, opts: { durationMs: number; gapMs: number }, signal?: AbortSignal): Promise<void> {
    for (const d of digits) {
      if (this.current === 'ended') throw new SimCallEndedError(this.info.id);
      // `w` is a 500 ms pause, as dialers write it.
      const ms = d === 'w' || d === 'W' ? 500 : opts.durationMs + opts.gapMs;
      if (d !== 'w' && d !== 'W') this.world.record.events.push({ at: this.world.t(), type: 'dtmf-sent', leg: this.info.id, digit: d });
      await this.whileUp(sleep(this.world.clock, ms, signal));
    }
  }

  async transfer(to: string, opts: { timeoutMs: number }, signal?: AbortSignal): Promise<'transferred' | 'failed'> {
    if (this.current !== 'answered') throw new SimCallEndedError(this.info.id);
    const result = lookupGlob(this.world.script.transfers, to) ?? 'transferred';
    await this.whileUp(sleep(this.world.clock, Math.min(1000, opts.timeoutMs), signal));
    this.world.record.events.push({ at: this.world.t(), type: 'transfer', leg: this.info.id, to, result });
    if (result === 'transferred') {
      this.world.record.events.push({ at: this.world.t(), type: 'hangup', leg: this.info.id, by: 'transfer' });
      this.end('transferred');
    }
    return result;
  }

  /** Wait for `p`, but fail at once if the leg ends first. */
  whileUp<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const off = this.onEnd(() => reject(new SimCallEndedError(this.info.id)));
      p.then(
        (v) => {
          off();
          resolve(v);
        },
        (e: Error) => {
          off();
          reject(e);
        },
      );
    });
  }
}
