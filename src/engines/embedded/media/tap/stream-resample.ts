/**
 * Streaming integer-ratio resampling for taps (8 kHz ↔ 16/24 kHz): polyphase windowed-sinc FIR with history,
 * so chunk boundaries leave no clicks. Up by L interpolates; down by M low-passes at the 8 kHz Nyquist first.
 */
import { clamp16 } from '../play/pcm.js';

/** Taps per phase (per input sample when interpolating, per output sample when decimating, times the ratio). */
const ZEROS = 8;

function lowpass(factor: number): Float64Array {
  const len = 2 * ZEROS * factor + 1;
  const h = new Float64Array(len);
  const mid = (len - 1) / 2;
  let sum = 0;
  for (let i = 0; i < len; i++) {
    const x = (i - mid) / factor;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x * 0.95) / (Math.PI * x);
    const w = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (len - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (len - 1));
    h[i] = sinc * w;
    sum += h[i] as number;
  }
  for (let i = 0; i < len; i++) h[i] = ((h[i] as number) * factor) / sum;
  return h;
}

/** A stateful resampler between 8000 Hz and a multiple of it. */
export class StreamResampler {
  private readonly h: Float64Array;
  private readonly factor: number;
  private readonly up: boolean;
  private hist: Float64Array;
  private phase = 0;

  constructor(readonly inRate: number, readonly outRate: number) {
    this.up = outRate > inRate;
    const f = this.up ? outRate / inRate : inRate / outRate;
    if (!Number.isInteger(f) || f < 1) throw new RangeError(`unsupported resampling ${inRate} -> ${outRate}`);
    this.factor = f;
    this.h = lowpass(f);
    this.hist = new Float64Array(this.h.length);
  }

  /** Resample one chunk of any length. */
  process(input: Int16Array): Int16Array {
    if (this.factor === 1) return input.slice();
    return this.up ? this.interpolate(input) : this.decimate(input);
  }

  private push(s: number): void {
    this.hist.copyWithin(0, 1);
    this.hist[this.hist.length - 1] = s;
  }

  private interpolate(input: Int16Array): Int16Array {
    const L = this.factor;
    const out = new Int16Array(input.length * L);
    const h = this.h;
    const n = h.length;
    let o = 0;
    // Zero-stuffed stream; the filter gain of L restores the level.
    for (let i = 0; i < input.length; i++) {
      for (let p = 0; p < L; p++) {
        this.push(p === 0 ? (input[i] as number) : 0);
        let acc = 0;
        for (let k = 0; k < n; k++) acc += (h[k] as number) * (this.hist[k] as number);
        out[o++] = clamp16(Math.round(acc));
      }
    }
    return out;
  }

  private decimate(input: Int16Array): Int16Array {
    const M = this.factor;
    const out: number[] = [];
    const h = this.h;
    for (let i = 0; i < input.length; i++) {
      this.push(input[i] as number);
      this.phase++;
      if (this.phase === M) {
        this.phase = 0;
        let acc = 0;
        for (let k = 0; k < h.length; k++) acc += (h[k] as number) * (this.hist[k] as number);
        out.push(clamp16(Math.round(acc / M)));
      }
    }
    return Int16Array.from(out);
  }
}
