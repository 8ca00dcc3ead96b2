/**
 * Routes a leg's digits: the newest listener that accepts a digit consumes it; digits nobody takes are buffered
 * (type-ahead, like FreeSWITCH) for the next listener. Observers see every digit regardless.
 */
import type { LegDtmf, LegLike } from '../play/pcm.js';

/** Digits kept for type-ahead. */
const BUFFER_MAX = 32;

/** A consumer returns true when it took the digit. */
export type DigitConsumer = (e: LegDtmf) => boolean;

/** Per-endpoint digit routing with type-ahead. */
export class DigitRouter {
  private readonly consumers: DigitConsumer[] = [];
  private readonly observers = new Set<(e: LegDtmf) => void>();
  private buffer: LegDtmf[] = [];
  private readonly onDtmf = (e: LegDtmf): void => this.deliver(e);

  constructor(private readonly leg: LegLike) {
    leg.on('dtmf', this.onDtmf);
  }

  /** Digits waiting for a listener. */
  get buffered(): readonly LegDtmf[] {
    return this.buffer;
  }

  /** Forget buffered digits. */
  flush(): void {
    this.buffer = [];
  }

  /** Add a consumer; buffered digits are offered to it first (synchronously). Returns unsubscribe. */
  subscribe(fn: DigitConsumer): () => void {
    let active = true;
    while (active && this.buffer.length > 0) {
      const e = this.buffer[0] as LegDtmf;
      if (!fn(e)) break;
      this.buffer.shift();
      // fn may have unsubscribed itself (finished) while handling the digit.
      if (!active) break;
    }
    const wrapped: DigitConsumer = (e) => fn(e);
    this.consumers.push(wrapped);
    const off = (): void => {
      active = false;
      const i = this.consumers.indexOf(wrapped);
      if (i >= 0) this.consumers.splice(i, 1);
    };
    return off;
  }

  /** See every digit; returns unsubscribe. */
  observe(fn: (e: LegDtmf) => void): () => void {
    this.observers.add(fn);
    return () => this.observers.delete(fn);
  }

  /** Handle one digit (normally from the leg). */
  deliver(e: LegDtmf): void {
    for (const fn of this.observers) fn(e);
    for (let i = this.consumers.length - 1; i >= 0; i--) {
      const c = this.consumers[i];
      if (c?.(e)) return;
    }
    if (this.buffer.length >= BUFFER_MAX) this.buffer.shift();
    this.buffer.push(e);
  }

  /** Detach from the leg. */
  close(): void {
    this.leg.off('dtmf', this.onDtmf);
    this.consumers.length = 0;
    this.observers.clear();
    this.buffer = [];
  }
}
