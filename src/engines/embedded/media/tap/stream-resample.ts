/**
 * Streaming integer-ratio resampling for taps (8 kHz ↔ 16/24 kHz): polyphase windowed-sinc FIR with history,
 * so chunk boundaries leave no clicks. Up by L interpolates; down by M low-passes at the 8 kHz Nyquist first.
 * Every frame of a 16/24 kHz bot stream passes through here both ways, so the filter only visits the taps that
 * meet real samples (1 in L when interpolating, outputs only when decimating), summed in the same order as the
 * direct form so results are identical to it.
 */
import { clamp16 } from '../play/pcm.js';

/** Taps per phase (per input sample when interpolating, per output sample when decimating, times the ratio). */
const ZEROS = 8;

/** The windowed-sinc (Blackman) low-pass both directions share, scaled for a gain of `factor`. */
export function lowpass(factor: number): Float64Array {
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
  /** The last `keep` input samples of earlier chunks, oldest first (zeros before the stream starts). */
  private hist: Float64Array;
  private readonly keep: number;
  /** Work buffer: history followed by the current chunk. */
  private work = new Float64Array(0);
  private phase = 0;
  /** Interpolation sub-filters: for output phase p, the taps h[n-1-p-jL] for j descending (oldest input first). */
  private readonly phases: Float64Array[];

  constructor(readonly inRate: number, readonly outRate: number) {
    this.up = outRate > inRate;
    const f = this.up ? outRate / inRate : inRate / outRate;
    if (!Number.isInteger(f) || f < 1) throw new RangeError(`unsupported resampling ${inRate} -> ${outRate}`);
    this.factor = f;
    this.h = lowpass(f);
    // Interpolating, an output needs the inputs within n stuffed samples: ceil(n / L) of them.
    this.keep = this.up ? Math.ceil(this.h.length / f) : this.h.length - 1;
    this.hist = new Float64Array(this.keep);
    const n = this.h.length;
    this.phases = Array.from({ length: f }, (_, p) => {
      const taps = Math.floor((n - 1 - p) / f) + 1;
      return Float64Array.from({ length: taps }, (_, m) => this.h[n - 1 - p - (taps - 1 - m) * f] as number);
    });
  }

  /** Resample one chunk of any length. */
  process(input: Int16Array): Int16Array {
    if (this.factor === 1) return input.slice();
    const k = this.keep;
    if (this.work.length < k + input.length) this.work = new Float64Array(k + input.length);
    const x = this.work;
    x.set(this.hist, 0);
    for (let i = 0; i < input.length; i++) x[k + i] = input[i] as number;
    const out = this.up ? this.interpolate(x, input.length) : this.decimate(x, input.length);
    this.hist.set(x.subarray(input.length, input.length + k));
    return out;
  }

  /**
   * Zero-stuffed stream through the filter: output p of input i is Σ_d h[n-1-d]·s(iL+p-d), and s is non-zero
   * only at multiples of L, so d = p + jL meets input i-j. The filter gain of L restores the level.
   */
  private interpolate(x: Float64Array, count: number): Int16Array {
    const L = this.factor;
    const k = this.keep;
    const phases = this.phases;
    const out = new Int16Array(count * L);
    let o = 0;
    for (let i = 0; i < count; i++) {
      for (let p = 0; p < L; p++) {
        const ph = phases[p] as Float64Array;
        const base = k + i - (ph.length - 1);
        // Same order as the direct form (oldest sample first), so sums are bit-identical to it.
        let acc = 0;
        for (let m = 0; m < ph.length; m++) acc += (ph[m] as number) * (x[base + m] as number);
        out[o++] = clamp16(Math.round(acc));
      }
    }
    return out;
  }

  /** Low-pass then keep every M-th sample: an output only where the phase lands, over the last n inputs. */
  private decimate(x: Float64Array, count: number): Int16Array {
    const M = this.factor;
    const h = this.h;
    const n = h.length;
    const k = this.keep;
    const outs = Math.floor((this.phase + count) / M);
    const out = new Int16Array(outs);
    let o = 0;
    for (let i = M - 1 - this.phase; i < count; i += M) {
      // Newest input is x[k + i]; the window is the n samples ending there.
      const start = k + i - (n - 1);
      let acc = 0;
      for (let t = 0; t < n; t++) acc += (h[t] as number) * (x[start + t] as number);
      out[o++] = clamp16(Math.round(acc / M));
    }
    this.phase = (this.phase + count) % M;
    return out;
  }
}
