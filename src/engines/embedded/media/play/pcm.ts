/**
 * Shared PCM basics for the media sources and sinks: 8 kHz signed 16-bit mono, 20 ms frames, and the slice
 * of an RTP leg they rely on. Typed structurally so any leg with this shape (the embedded RtpLeg) fits.
 */
import type { EventEmitter } from 'node:events';
import { shareFrame } from '../codec/g711.js';
import { FRAME_SAMPLES, SAMPLE_RATE, type FrameSource } from '../types.js';

export { FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE } from '../types.js';
export type { FrameSource } from '../types.js';

/** A digit received on a leg. */
export interface LegDtmf {
  digit: string;
  durationMs: number;
  at: number;
  mode?: string;
}

/** What the media sinks need from an RTP leg (events: 'audio', 'dtmf', 'close'). */
export interface LegLike extends EventEmitter {
  readonly id: string;
  setSource(src: FrameSource | null): void;
  sendDtmf(digits: string, opts?: { durationMs?: number }): Promise<void>;
  close(): void;
}

/** One shared frame of silence; consumers must treat returned frames as read-only. */
export const SILENCE_FRAME: Int16Array = new Int16Array(FRAME_SAMPLES);
shareFrame(SILENCE_FRAME);

/** Milliseconds of audio in `samples` samples at 8 kHz. */
export function samplesToMs(samples: number): number {
  return (samples * 1000) / SAMPLE_RATE;
}

/** Samples in `ms` milliseconds at 8 kHz, rounded down. */
export function msToSamples(ms: number): number {
  return Math.floor((ms * SAMPLE_RATE) / 1000);
}

/** Saturate a number to the int16 range. */
export function clamp16(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

/** Root-mean-square level of a frame (0..32768). */
export function rms(frame: Int16Array): number {
  let acc = 0;
  for (let i = 0; i < frame.length; i++) {
    const s = frame[i] as number;
    acc += s * s;
  }
  return frame.length === 0 ? 0 : Math.sqrt(acc / frame.length);
}

/** Relative power of `freq` in `pcm` (Goertzel); normalised so a full-scale sine gives about 0.25. */
export function goertzel(pcm: Int16Array | Float32Array, freq: number, rate: number = SAMPLE_RATE): number {
  const n = pcm.length;
  if (n === 0) return 0;
  const k = (2 * Math.cos((2 * Math.PI * freq) / rate));
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const s0 = (pcm[i] as number) / 32768 + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - k * s1 * s2;
  return power / (n * n);
}
