/**
 * Per-chunk timestamps of the way back inside the measured process (bot's WebSocket frame → RTP packet to the
 * caller), taken at the places that define each phase:
 * - read: `ws` emitting 'message' for the frame (it does so synchronously in the socket read that completed it);
 * - queued: our client handing the PCM to the tap (`tap.enqueue`);
 * - slot: the ideal time of the pacer slot that sent it (the `scheduled` the pacer passes to the leg's tick);
 * - sent: the leg pulling the frame from the tap, immediately followed by encoding and the UDP send.
 * All in CLOCK_MONOTONIC ms. Bench-only instrumentation: nothing here is in the product.
 */
import WebSocket from 'ws';
import type { AudioTap } from '../src/engines/embedded/media/index.js';
import { SILENCE_FRAME } from '../src/engines/embedded/media/play/pcm.js';
import { monoMs } from './stream-peer-proto.js';

/** One bot chunk's way through our process. */
export interface BackChunk {
  read: number;
  queued: number;
  slot?: number;
  sent?: number;
}

let lastRead = 0;
type Emit = (this: WebSocket, event: string | symbol, ...args: unknown[]) => boolean;
let hooked: Emit | undefined;

/** Record when `ws` hands each message to its listeners (restored by unhookReads). */
export function hookReads(): void {
  if (hooked) return;
  const proto = WebSocket.prototype as unknown as { emit: Emit };
  const real = proto.emit;
  hooked = real;
  proto.emit = function (this: WebSocket, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'message') lastRead = monoMs();
    return real.call(this, event, ...args);
  };
}

/** Undo hookReads. */
export function unhookReads(): void {
  if (hooked) (WebSocket.prototype as unknown as { emit: Emit }).emit = hooked;
  hooked = undefined;
}

/** Wrap one stream's tap and leg so each bot chunk gets its timestamps; `log` gets one entry per chunk. */
export function traceBackPath(tap: AudioTap, leg: { tick(scheduled: number): void }, log: BackChunk[], onQueued: (mono: number) => void): void {
  const perfToMono = monoMs() - performance.now();
  let slot = 0;
  let next = 0;
  const realTick = leg.tick.bind(leg);
  leg.tick = (scheduled: number): void => {
    slot = scheduled + perfToMono;
    realTick(scheduled);
  };
  const realEnqueue = tap.enqueue.bind(tap);
  tap.enqueue = (pcm: Int16Array): void => {
    const queued = monoMs();
    onQueued(queued);
    log.push({ read: lastRead, queued });
    realEnqueue(pcm);
  };
  const src = tap.source;
  const realNext = src.next.bind(src);
  src.next = (): Int16Array | null => {
    const f = realNext();
    if (f !== null && f !== SILENCE_FRAME) {
      const c = log[next];
      if (c) {
        next++;
        c.slot = slot;
        c.sent = monoMs();
      }
    }
    return f;
  };
}

const pct = (v: number[], p: number): number => {
  if (v.length === 0) return NaN;
  const s = Float64Array.from(v).sort();
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

/** p50/p99 of each phase, over chunks read inside [from, to). */
export function backPhases(logs: BackChunk[][], from: number, to: number): Record<string, [number, number]> {
  const parse: number[] = [];
  const slotWait: number[] = [];
  const late: number[] = [];
  const readToSent: number[] = [];
  const added: number[] = [];
  for (const log of logs) {
    for (const c of log) {
      if (c.read < from || c.read >= to || c.sent === undefined || c.slot === undefined) continue;
      const wait = Math.max(0, c.slot - c.queued);
      parse.push(c.queued - c.read);
      slotWait.push(wait);
      late.push(c.sent - Math.max(c.slot, c.queued));
      readToSent.push(c.sent - c.read);
      added.push(c.sent - c.read - wait);
    }
  }
  const pp = (v: number[]): [number, number] => [pct(v, 50), pct(v, 99)];
  return { parse: pp(parse), slotWait: pp(slotWait), late: pp(late), readToSent: pp(readToSent), added: pp(added) };
}

/** Bot frame sent (peer's clock, just before its socket write) → our RTP packet sent, p50/p99, with and without the slot wait. */
export function backFromBot(sends: number[][], logs: BackChunk[][], from: number, to: number): { botToRtp: [number, number]; botToRtpNoSlot: [number, number] } {
  const all: number[] = [];
  const noSlot: number[] = [];
  sends.forEach((s, i) => {
    const log = logs[i] ?? [];
    s.forEach((t, k) => {
      const c = log[k];
      if (t < from || t >= to || c?.sent === undefined || c.slot === undefined) return;
      all.push(c.sent - t);
      noSlot.push(c.sent - t - Math.max(0, c.slot - c.queued));
    });
  });
  return { botToRtp: [pct(all, 50), pct(all, 99)], botToRtpNoSlot: [pct(noSlot, 50), pct(noSlot, 99)] };
}
