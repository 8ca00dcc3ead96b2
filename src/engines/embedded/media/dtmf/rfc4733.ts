/**
 * RFC 4733 telephone-event payloads (§2.3) and the receive state machine: one report per event, however the
 * sender repeats packets. Tolerates SIPp's pcaps, whose replays reuse the same timestamp (and sequence numbers):
 * a marker bit after the previous event ended always starts a new event.
 */
import { SAMPLE_RATE } from '../types.js';

/** Event codes 0-15 (§3.2) to keypad characters. */
export const EVENT_DIGITS = '0123456789*#ABCD' as const;

/** Keypad character → event code; undefined for anything else. */
export function digitToEvent(digit: string): number | undefined {
  const i = EVENT_DIGITS.indexOf(digit.toUpperCase());
  return i >= 0 ? i : undefined;
}

/** Event code → keypad character; undefined for non-DTMF events (e.g. fax tones). */
export function eventToDigit(event: number): string | undefined {
  return event >= 0 && event < 16 ? EVENT_DIGITS[event] : undefined;
}

/** A decoded telephone-event payload. */
export interface TelephoneEvent {
  event: number;
  end: boolean;
  volume: number;
  /** In timestamp units (8 kHz) since the event's start timestamp. */
  duration: number;
}

/** Parse the 4-byte payload; null when too short. Extra bytes (redundant events) are ignored. */
export function parseTelephoneEvent(p: Uint8Array): TelephoneEvent | null {
  if (p.length < 4) return null;
  const b1 = p[1] as number;
  return {
    event: p[0] as number,
    end: (b1 & 0x80) !== 0,
    volume: b1 & 0x3f,
    duration: ((p[2] as number) << 8) | (p[3] as number),
  };
}

/** Write the 4-byte payload into `out` at `off`. */
export function writeTelephoneEvent(out: Uint8Array, off: number, e: TelephoneEvent): void {
  out[off] = e.event & 0xff;
  out[off + 1] = (e.end ? 0x80 : 0) | (e.volume & 0x3f);
  out[off + 2] = (e.duration >>> 8) & 0xff;
  out[off + 3] = e.duration & 0xff;
}

/** A digit finished on the wire. */
export interface ReceivedDigit {
  digit: string;
  durationMs: number;
  /** Local clock (ms) when the event's first packet arrived. */
  at: number;
}

interface Current {
  ts: number;
  event: number;
  /** Duration of earlier segments of a long event (RFC 4733 §2.5.1). */
  base: number;
  duration: number;
  at: number;
  lastUpdate: number;
  ended: boolean;
}

/** An event without updates for this long is reported anyway (its end packets were lost). */
export const EVENT_EXPIRY_MS = 1000;

/** Receive side of RFC 4733 for one RTP stream. */
export class TelephoneEventReceiver {
  private cur: Current | null = null;
  /** Start timestamps of the last few finished events. */
  private readonly recent: number[] = [];

  constructor(private readonly report: (d: ReceivedDigit) => void) {}

  /** Handle one telephone-event packet (`now` in ms). */
  onPacket(ts: number, marker: boolean, payload: Uint8Array, now: number): void {
    const e = parseTelephoneEvent(payload);
    if (!e) return;
    const cur = this.cur;
    if (cur && ts === cur.ts && !(marker && cur.ended)) {
      // An update or a repeated end packet of the current event (RFC 4733 §2.5.2).
      if (cur.ended || e.event !== cur.event) return;
      this.update(cur, e, now);
      return;
    }
    if (cur && !cur.ended && !marker && e.event === cur.event && isContinuation(cur, ts)) {
      // A long event continues under a new timestamp once its duration would overflow 16 bits (RFC 4733 §2.5.1).
      cur.base += (ts - cur.ts) >>> 0;
      cur.ts = ts;
      this.update(cur, e, now);
      return;
    }
    if (cur && !cur.ended) {
      // A newer event while the previous one never ended: its end packets were lost.
      this.finish(cur);
    }
    // A late repeat of an earlier event's end packet (reordered behind a newer event).
    if (!marker && this.recent.includes(ts)) return;
    const next: Current = {
      ts,
      event: e.event,
      base: 0,
      duration: e.duration,
      at: now,
      lastUpdate: now,
      ended: false,
    };
    this.cur = next;
    if (e.end) this.finish(next);
  }

  /** Report an event whose end never arrived once it has been silent for EVENT_EXPIRY_MS. */
  poll(now: number): void {
    const cur = this.cur;
    if (cur && !cur.ended && now - cur.lastUpdate >= EVENT_EXPIRY_MS) this.finish(cur);
  }

  /** True while an event is in progress (for suppressing in-band detection of the same tone). */
  get active(): boolean {
    return this.cur !== null && !this.cur.ended;
  }

  private update(cur: Current, e: TelephoneEvent, now: number): void {
    if (e.duration > cur.duration || cur.base > 0) cur.duration = e.duration;
    cur.lastUpdate = now;
    if (e.end) this.finish(cur);
  }

  private finish(cur: Current): void {
    cur.ended = true;
    this.recent.push(cur.ts);
    if (this.recent.length > 4) this.recent.shift();
    const digit = eventToDigit(cur.event);
    if (digit === undefined) return;
    this.report({
      digit,
      durationMs: Math.round(((cur.base + cur.duration) * 1000) / SAMPLE_RATE),
      at: cur.at,
    });
  }
}

function isContinuation(cur: Current, ts: number): boolean {
  const step = (ts - cur.ts) >>> 0;
  return step > 0 && step <= cur.duration + SAMPLE_RATE / 10 && cur.duration >= 0xf000;
}
