import { describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import { decodeWav } from './wav-decode.js';
import { goertzel } from './pcm.js';

/** Build a WAV of a `freq` tone, `ms` long, at `rate` / `bitDepth`, with `channels` channels. */
function makeWav(rate: number, bitDepth: string, channels: number, freq: number, ms: number, amp = 0.5): Uint8Array {
  const n = Math.round((rate * ms) / 1000);
  const chans: number[][] = [];
  for (let c = 0; c < channels; c++) {
    const a: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const x = amp * Math.sin((2 * Math.PI * freq * i) / rate);
      if (bitDepth === '32f') a[i] = x;
      else if (bitDepth === '8') a[i] = Math.round(128 + x * 127);
      else {
        const bits = Number.parseInt(bitDepth, 10);
        a[i] = Math.round(x * (2 ** (bits - 1) - 1));
      }
    }
    chans.push(a);
  }
  const w = new wavefile.WaveFile();
  w.fromScratch(channels, rate, bitDepth, channels === 1 ? (chans[0] as number[]) : chans);
  return w.toBuffer();
}

describe('decodeWav', () => {
  const cases: [number, string, number][] = [
    [8000, '16', 1],
    [11025, '8', 1],
    [16000, '24', 1],
    [22050, '16', 2],
    [44100, '32f', 2],
    [48000, '32', 1],
  ];
  for (const [rate, depth, ch] of cases) {
    it(`converts ${rate} Hz ${depth}-bit ${ch}ch to 8 kHz keeping pitch, level and duration`, () => {
      const pcm = decodeWav(makeWav(rate, depth, ch, 1000, 500));
      expect(Math.abs(pcm.length - 4000)).toBeLessThanOrEqual(2);
      const mid = pcm.subarray(800, 3200);
      const on = goertzel(mid, 1000);
      // A 0.5 amplitude sine gives about 0.0625.
      expect(on).toBeGreaterThan(0.04);
      expect(on).toBeLessThan(0.08);
      expect(goertzel(mid, 1300)).toBeLessThan(on / 100);
      expect(goertzel(mid, 700)).toBeLessThan(on / 100);
    });
  }

  it('low-passes before decimating: a 5 kHz tone at 48 kHz does not alias to 3 kHz', () => {
    const pcm = decodeWav(makeWav(48000, '16', 1, 5000, 300));
    const mid = pcm.subarray(400, 2000);
    expect(goertzel(mid, 3000)).toBeLessThan(0.0625 / 1000);
  });

  it('downmixes stereo by averaging', () => {
    const w = new wavefile.WaveFile();
    const n = 1600;
    const left = Array.from({ length: n }, (_, i) => Math.round(16000 * Math.sin((2 * Math.PI * 500 * i) / 8000)));
    const right = Array.from({ length: n }, (_, i) => Math.round(16000 * Math.sin((2 * Math.PI * 1500 * i) / 8000)));
    w.fromScratch(2, 8000, '16', [left, right]);
    const pcm = decodeWav(w.toBuffer());
    expect(goertzel(pcm, 500)).toBeGreaterThan(0.01);
    expect(goertzel(pcm, 1500)).toBeGreaterThan(0.01);
  });

  it('reads µ-law WAV', () => {
    const w = new wavefile.WaveFile(makeWav(8000, '16', 1, 800, 200));
    w.toMuLaw();
    const pcm = decodeWav(w.toBuffer());
    expect(pcm.length).toBe(1600);
    expect(goertzel(pcm, 800)).toBeGreaterThan(0.04);
  });

  it('rejects garbage with WavDecodeError', () => {
    expect(() => decodeWav(new Uint8Array([1, 2, 3, 4]))).toThrow(/WAV/);
  });
});
