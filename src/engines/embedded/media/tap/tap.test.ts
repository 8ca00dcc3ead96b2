import { describe, expect, it } from 'vitest';
import { FakeLeg, concat, sineFrame } from '../../../../../test/media/support/fake-leg.js';
import { goertzel } from '../play/pcm.js';
import { AudioTap, type TapFrame } from './tap.js';

function ramp(from: number, n: number): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => from + i);
}

describe('AudioTap', () => {
  it('re-chunks odd-sized chunks into contiguous 20 ms frames', () => {
    const leg = new FakeLeg();
    const tap = new AudioTap(leg);
    let n = 0;
    for (const size of [7, 333, 1, 159, 500]) {
      tap.enqueue(ramp(n, size));
      n += size;
    }
    expect(tap.queuedMs).toBe(125);
    const frames: Int16Array[] = [];
    for (let i = 0; i < 7; i++) frames.push((leg.pull() as Int16Array).slice());
    expect(frames.every((f) => f.length === 160)).toBe(true);
    const all = concat(frames);
    for (let i = 0; i < n; i++) expect(all[i]).toBe(i);
    // Padding after the last (partial) frame, then silence.
    expect(all[n]).toBe(0);
    expect(all.length).toBe(1120);
  });

  it('fires a mark only on the pull after its audio was sent', () => {
    const leg = new FakeLeg();
    const tap = new AudioTap(leg);
    const marks: string[] = [];
    tap.onMark((m) => marks.push(m));
    tap.enqueue(new Int16Array(320).fill(5));
    tap.mark('a');
    tap.enqueue(new Int16Array(160).fill(6));
    tap.mark('b');
    leg.pull();
    leg.pull();
    expect(marks).toEqual([]);
    leg.pull();
    expect(marks).toEqual(['a']);
    leg.pull();
    expect(marks).toEqual(['a', 'b']);
  });

  it('clear drops queued audio at once and returns pending marks', () => {
    const leg = new FakeLeg();
    const tap = new AudioTap(leg);
    const fired: string[] = [];
    tap.onMark((m) => fired.push(m));
    tap.enqueue(new Int16Array(8000).fill(100));
    tap.mark('m1');
    tap.enqueue(new Int16Array(800).fill(100));
    tap.mark('m2');
    leg.pull();
    expect(tap.clear()).toEqual(['m1', 'm2']);
    expect(tap.queuedMs).toBe(0);
    const next = leg.pull() as Int16Array;
    expect(next.every((s) => s === 0)).toBe(true);
    for (let i = 0; i < 5; i++) leg.pull();
    expect(fired).toEqual([]);
    tap.mark('after');
    leg.pull();
    expect(fired).toEqual(['after']);
  });

  it('clear first fires the marks whose audio was all sent, then drops the rest', () => {
    const leg = new FakeLeg();
    const tap = new AudioTap(leg);
    const fired: string[] = [];
    tap.onMark((m) => fired.push(m));
    tap.enqueue(new Int16Array(320).fill(7));
    tap.mark('played');
    tap.enqueue(new Int16Array(160).fill(8));
    tap.mark('pending');
    leg.pull();
    leg.pull();
    // The audio before 'played' has all been sent; its mark would fire on the next pull, but clear comes first.
    expect(fired).toEqual([]);
    expect(tap.clear()).toEqual(['pending']);
    expect(fired).toEqual(['played']);
    leg.pull();
    expect(fired).toEqual(['played']);
  });

  it('delivers received audio with timestamps, as events and as an async iterator', async () => {
    const leg = new FakeLeg();
    const tap = new AudioTap(leg);
    const got: number[] = [];
    tap.onAudio((_pcm, ts) => got.push(ts));
    const it = tap.frames();
    const first = it.next();
    leg.receive(sineFrame(400));
    leg.receive(sineFrame(400, 160));
    const f = await first;
    expect(f.done).toBe(false);
    expect((f.value as TapFrame | undefined)?.pcm.length).toBe(160);
    expect(got).toHaveLength(2);
    expect((got[1] as number) >= (got[0] as number)).toBe(true);
    tap.close();
    expect((await it.next()).done).toBe(false);
    expect((await it.next()).done).toBe(true);
    expect(leg.source).toBeNull();
  });

  it('resamples for a 16 kHz bot both ways', () => {
    const leg = new FakeLeg();
    const tap = new AudioTap(leg, { sampleRate: 16000 });
    const frames: Int16Array[] = [];
    tap.onAudio((pcm) => frames.push(pcm));
    for (let i = 0; i < 10; i++) leg.receive(sineFrame(1000, i * 160, 8000));
    const up = concat(frames);
    expect(up.length).toBe(3200);
    expect(goertzel(up.subarray(400), 1000, 16000)).toBeGreaterThan(0.01);
    const bot = Int16Array.from({ length: 3200 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 700 * i) / 16000)));
    tap.enqueue(bot);
    expect(tap.queuedMs).toBe(200);
    const out: Int16Array[] = [];
    for (let i = 0; i < 10; i++) out.push((leg.pull() as Int16Array).slice());
    const down = concat(out);
    expect(goertzel(down.subarray(200), 700)).toBeGreaterThan(0.01);
  });

  it('hands each frame to every audio subscriber, also when one unsubscribes while being called', () => {
    const leg = new FakeLeg();
    const tap = new AudioTap(leg);
    const a: number[] = [];
    const b: number[] = [];
    const offA = tap.onAudio((pcm) => {
      a.push(pcm[0] as number);
      offA();
    });
    const offB = tap.onAudio((pcm) => b.push(pcm[0] as number));
    leg.receive(ramp(1, 160));
    leg.receive(ramp(2, 160));
    offB();
    offB();
    leg.receive(ramp(3, 160));
    expect(a).toEqual([1]);
    expect(b).toEqual([1, 2]);
  });
});
