/** Synthesised tones: generic multi-frequency cadenced tones, call-progress tones and DTMF (ITU-T Q.23). */
import { FRAME_SAMPLES, SAMPLE_RATE, clamp16, msToSamples, type FrameSource } from './pcm.js';

/** Amplitude of each component (about -16 dBFS, so two summed stay clear of clipping). */
const DEFAULT_AMPLITUDE = 0.16 * 32767;

/** A tone's description: frequencies played together, an on/off cadence, a total length. */
export interface ToneSpec {
  freqs: readonly number[];
  /** Alternating on/off durations in ms, repeated; [] or omitted means continuously on. */
  cadence?: readonly number[];
  /** Total duration in ms; Infinity (default) plays until replaced. */
  totalMs?: number;
  /** Per-component peak amplitude in int16 units. */
  amplitude?: number;
}

/** A phase-continuous tone source following `spec`. */
export class ToneSource implements FrameSource {
  private n = 0;
  private readonly total: number;
  private readonly cadence: number[];
  private readonly period: number;
  private readonly steps: number[];
  private readonly amp: number;

  constructor(private readonly spec: ToneSpec) {
    this.total = spec.totalMs === undefined || !Number.isFinite(spec.totalMs) ? Infinity : msToSamples(spec.totalMs);
    this.cadence = (spec.cadence ?? []).map(msToSamples);
    this.period = this.cadence.reduce((a, b) => a + b, 0);
    this.steps = spec.freqs.map((f) => (2 * Math.PI * f) / SAMPLE_RATE);
    this.amp = spec.amplitude ?? DEFAULT_AMPLITUDE;
  }

  private isOn(n: number): boolean {
    if (this.period === 0) return true;
    let t = n % this.period;
    for (let i = 0; i < this.cadence.length; i++) {
      const d = this.cadence[i] as number;
      if (t < d) return i % 2 === 0;
      t -= d;
    }
    return false;
  }

  next(): Int16Array | null {
    if (this.n >= this.total) return null;
    const frame = new Int16Array(FRAME_SAMPLES);
    const len = Math.min(FRAME_SAMPLES, this.total - this.n);
    for (let i = 0; i < len; i++) {
      const n = this.n + i;
      if (!this.isOn(n)) continue;
      let v = 0;
      for (const w of this.steps) v += Math.sin(w * n);
      frame[i] = clamp16(Math.round(v * this.amp));
    }
    this.n += FRAME_SAMPLES;
    return frame;
  }
}

/** Generic tone: `freqs` together, `onMs` on and `offMs` off, for `totalMs` (Infinity by default). */
export function tone(freqs: readonly number[], onMs: number, offMs = 0, totalMs = Infinity): FrameSource {
  return new ToneSource({ freqs, cadence: offMs > 0 ? [onMs, offMs] : [], totalMs });
}

/** Named call-progress tones with their North American defaults. */
export const CALL_PROGRESS = {
  ringback: { freqs: [440, 480], cadence: [2000, 4000] },
  busy: { freqs: [480, 620], cadence: [500, 500] },
  dial: { freqs: [350, 440], cadence: [] },
  beep: { freqs: [1000], cadence: [], totalMs: 200 },
} as const satisfies Record<string, ToneSpec>;

/** Name of a call-progress tone. */
export type CallProgressTone = keyof typeof CALL_PROGRESS;

/** Ringback (US 440+480 Hz, 2 s on 4 s off by default, or a custom cadence such as UK [400,200,400,2000]). */
export function ringback(opts: { cadence?: readonly number[]; freqs?: readonly number[]; totalMs?: number } = {}): FrameSource {
  return new ToneSource({ ...CALL_PROGRESS.ringback, ...opts });
}

/** Busy tone (480+620 Hz, 0.5 s on / 0.5 s off). */
export function busy(totalMs = Infinity): FrameSource {
  return new ToneSource({ ...CALL_PROGRESS.busy, totalMs });
}

/** A 1 kHz beep of 200 ms (the record prompt). */
export function beep(ms = 200): FrameSource {
  return new ToneSource({ freqs: [1000], totalMs: ms });
}

/** DTMF keypad frequencies: [row, column] (ITU-T Q.23). */
export const DTMF_FREQS: Readonly<Record<string, readonly [number, number]>> = {
  '1': [697, 1209], '2': [697, 1336], '3': [697, 1477], A: [697, 1633],
  '4': [770, 1209], '5': [770, 1336], '6': [770, 1477], B: [770, 1633],
  '7': [852, 1209], '8': [852, 1336], '9': [852, 1477], C: [852, 1633],
  '*': [941, 1209], '0': [941, 1336], '#': [941, 1477], D: [941, 1633],
};

/** In-band DTMF for `digits` (unknown characters are skipped), each `onMs` of tone then `offMs` of silence. */
export function dtmfTones(digits: string, onMs = 100, offMs = 60): FrameSource {
  const parts: ToneSpec[] = [];
  for (const ch of digits.toUpperCase()) {
    const f = DTMF_FREQS[ch];
    if (f) parts.push({ freqs: f, cadence: [onMs, offMs], totalMs: onMs + offMs });
  }
  let i = 0;
  let cur: ToneSource | null = parts[0] ? new ToneSource(parts[0]) : null;
  return {
    next: () => {
      while (cur) {
        const f = cur.next();
        if (f) return f;
        i++;
        const p = parts[i];
        cur = p ? new ToneSource(p) : null;
      }
      return null;
    },
  };
}
