/** A leg stand-in for unit tests of media logic: the test drives the pacer by calling pull(). */
import { EventEmitter } from 'node:events';
import type { FrameSource, LegDtmf, LegLike } from '../../../src/engines/embedded/media/play/pcm.js';

let nextId = 0;

/** Records what was sent and lets tests inject received audio and digits. */
export class FakeLeg extends EventEmitter implements LegLike {
  readonly id = `fake-${++nextId}`;
  source: FrameSource | null = null;
  readonly sent: Int16Array[] = [];
  readonly dtmfSent: string[] = [];
  private ts = 0;
  closed = false;

  setSource(src: FrameSource | null): void {
    this.source = src;
  }

  async sendDtmf(digits: string): Promise<void> {
    this.dtmfSent.push(digits);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }

  /** One pacer tick: pull a frame (null when idle/ended). */
  pull(): Int16Array | null {
    const src = this.source;
    if (!src) return null;
    const f = src.next();
    if (f === null) {
      this.source = null;
      this.emit('source-end');
      return null;
    }
    this.sent.push(f.slice());
    return f;
  }

  /** Simulate a received frame. */
  receive(pcm: Int16Array): void {
    this.emit('audio', pcm, { seq: 0, ts: this.ts, arrival: performance.now() });
    this.ts += 160;
  }

  /** Simulate a received digit. */
  digit(d: string): void {
    const e: LegDtmf = { digit: d, durationMs: 100, at: performance.now(), mode: 'rfc4733' };
    this.emit('dtmf', e);
  }
}

/** A frame of a sine at `freq` Hz, continuing phase from sample index `n0`. */
export function sineFrame(freq: number, n0 = 0, amp = 8000, len = 160): Int16Array {
  const f = new Int16Array(len);
  for (let i = 0; i < len; i++) f[i] = Math.round(amp * Math.sin((2 * Math.PI * freq * (n0 + i)) / 8000));
  return f;
}

/** Concatenate frames. */
export function concat(frames: Int16Array[]): Int16Array {
  const out = new Int16Array(frames.reduce((a, f) => a + f.length, 0));
  let o = 0;
  for (const f of frames) {
    out.set(f, o);
    o += f.length;
  }
  return out;
}
