import { describe, expect, it } from 'vitest';
import { concat } from '../../../../../test/media/support/fake-leg.js';
import { goertzel, rms, type FrameSource } from './pcm.js';
import { Playlist, PcmSource, loop, silence } from './sources.js';
import { DTMF_FREQS, beep, busy, dtmfTones, ringback, tone } from './tones.js';

function drain(src: FrameSource, max = 10_000): Int16Array[] {
  const out: Int16Array[] = [];
  for (let f = src.next(); f && out.length < max; f = src.next()) out.push(f.slice());
  return out;
}

describe('tones', () => {
  it('beep is 200 ms of 1 kHz', () => {
    const frames = drain(beep());
    expect(frames.length).toBe(10);
    expect(goertzel(concat(frames), 1000)).toBeGreaterThan(0.005);
  });

  it('ringback follows 2 s on / 4 s off with 440+480 Hz', () => {
    const frames = drain(ringback({ totalMs: 12_000 }));
    expect(frames.length).toBe(600);
    const on = concat(frames.slice(0, 100));
    const off = concat(frames.slice(100, 300));
    expect(goertzel(on, 440)).toBeGreaterThan(0.003);
    expect(goertzel(on, 480)).toBeGreaterThan(0.003);
    expect(rms(off)).toBe(0);
    expect(rms(concat(frames.slice(300, 400)))).toBeGreaterThan(1000);
  });

  it('a custom ringback cadence is honoured', () => {
    const frames = drain(ringback({ cadence: [400, 200, 400, 2000], totalMs: 3000 }));
    const level = frames.map((f) => (rms(f) > 0 ? 1 : 0));
    expect(level.slice(0, 20).every((x) => x === 1)).toBe(true);
    expect(level.slice(20, 30).every((x) => x === 0)).toBe(true);
    expect(level.slice(30, 50).every((x) => x === 1)).toBe(true);
    expect(level.slice(50, 150).every((x) => x === 0)).toBe(true);
  });

  it('busy alternates every 500 ms', () => {
    const frames = drain(busy(2000));
    expect(frames.length).toBe(100);
    expect(rms(frames[10] as Int16Array)).toBeGreaterThan(0);
    expect(rms(frames[30] as Int16Array)).toBe(0);
    expect(goertzel(concat(frames.slice(0, 25)), 620)).toBeGreaterThan(0.003);
  });

  it('DTMF tones carry the row and column frequencies', () => {
    const frames = drain(dtmfTones('5#', 100, 60));
    expect(frames.length).toBe(16);
    const five = concat(frames.slice(0, 5));
    const [r, c] = DTMF_FREQS['5'] as readonly [number, number];
    expect(goertzel(five, r)).toBeGreaterThan(0.003);
    expect(goertzel(five, c)).toBeGreaterThan(0.003);
    expect(goertzel(five, 697)).toBeLessThan(0.0003);
    const hash = concat(frames.slice(8, 13));
    expect(goertzel(hash, 941)).toBeGreaterThan(0.003);
    expect(goertzel(hash, 1477)).toBeGreaterThan(0.003);
  });

  it('generic tone(freqs, on, off, total) and phase continuity across frames', () => {
    const frames = drain(tone([1000], 1000, 0, 400));
    expect(frames.length).toBe(20);
    const all = concat(frames);
    // A phase break would spread energy away from 1 kHz.
    expect(goertzel(all, 1000)).toBeGreaterThan(0.006);
    expect(goertzel(all, 1100)).toBeLessThan(0.0001);
  });
});

describe('sources', () => {
  it('PcmSource pads the last frame and ends', () => {
    const s = new PcmSource(new Int16Array(170).fill(7));
    expect(s.next()?.length).toBe(160);
    const last = s.next();
    expect(last?.[9]).toBe(7);
    expect(last?.[10]).toBe(0);
    expect(s.next()).toBeNull();
  });

  it('silence rounds up to frames; playlist chains without gaps; loop repeats', () => {
    expect(drain(silence(50)).length).toBe(3);
    const p = new Playlist([new PcmSource(new Int16Array(320).fill(1)), silence(40), new PcmSource(new Int16Array(160).fill(2))]);
    const frames = drain(p);
    expect(frames.map((f) => f[0])).toEqual([1, 1, 0, 0, 2]);
    expect(drain(loop(() => new PcmSource(new Int16Array(160)), 3)).length).toBe(3);
  });
});
