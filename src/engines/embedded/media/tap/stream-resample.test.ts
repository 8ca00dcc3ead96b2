import { describe, expect, it } from 'vitest';
import { clamp16 } from '../play/pcm.js';
import { lowpass, StreamResampler } from './stream-resample.js';

/** The direct-form implementation the polyphase one replaced, kept as the reference. */
class DirectFormResampler {
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

function noise(n: number, seed: number): Int16Array {
  let s = seed;
  return Int16Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return ((s >>> 8) % 60000) - 30000;
  });
}

describe('StreamResampler', () => {
  for (const [from, to] of [[8000, 16000], [8000, 24000], [16000, 8000], [24000, 8000]] as const) {
    it(`${from} → ${to} Hz is identical to the direct form across odd chunk sizes`, () => {
      const fast = new StreamResampler(from, to);
      const ref = new DirectFormResampler(from, to);
      let seed = 7;
      for (const size of [160, 1, 2, 333, 0, 480, 7, 320, 159]) {
        const chunk = noise(size, seed++);
        expect([...fast.process(chunk)]).toEqual([...ref.process(chunk)]);
      }
    });
  }

  it('keeps a tone through 8 → 16 → 8 kHz', () => {
    const up = new StreamResampler(8000, 16000);
    const down = new StreamResampler(16000, 8000);
    const tone = Int16Array.from({ length: 1600 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 500 * i) / 8000)));
    const back = down.process(up.process(tone));
    expect(back.length).toBe(1600);
    const rms = (v: Int16Array, from: number, to: number): number => {
      let e = 0;
      for (let i = from; i < to; i++) e += (v[i] as number) ** 2;
      return Math.sqrt(e / (to - from));
    };
    const ratio = rms(back, 100, 1500) / rms(tone, 100, 1500);
    expect(ratio).toBeGreaterThan(0.9);
    expect(ratio).toBeLessThan(1.1);
  });
});
