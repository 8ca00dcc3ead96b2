import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeLeg, sineFrame } from '../../../../../test/media/support/fake-leg.js';
import { goertzel } from '../play/pcm.js';
import { legFeed, mixedFeed } from './feeds.js';
import { Recorder } from './recorder.js';

let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});
async function tmp(name: string): Promise<string> {
  if (!dir) dir = await mkdtemp(join(tmpdir(), 'cf-rec-'));
  return join(dir, name);
}

async function readWav(file: string): Promise<{ rate: number; samples: Int16Array }> {
  const w = new wavefile.WaveFile(await readFile(file));
  const s = w.getSamples(false, Int16Array) as unknown as Int16Array;
  return { rate: (w.fmt as { sampleRate: number }).sampleRate, samples: s };
}

describe('Recorder', () => {
  it('stops at the maximum duration, frame-exact, with a valid WAV header', async () => {
    const leg = new FakeLeg();
    const file = await tmp('max.wav');
    const rec = await Recorder.start(file, legFeed(leg), { maxDurationMs: 1000 });
    for (let i = 0; i < 80; i++) leg.receive(sineFrame(700, i * 160));
    const r = await rec.done;
    expect(r.reason).toBe('max-duration');
    expect(r.durationMs).toBe(1000);
    const wav = await readWav(file);
    expect(wav.rate).toBe(8000);
    expect(wav.samples.length).toBe(8000);
    expect(goertzel(wav.samples, 700)).toBeGreaterThan(0.01);
  });

  it('stops after sustained silence', async () => {
    const leg = new FakeLeg();
    const file = await tmp('sil.wav');
    const rec = await Recorder.start(file, legFeed(leg), { maxDurationMs: 10_000, silenceMs: 500 });
    for (let i = 0; i < 25; i++) leg.receive(sineFrame(700, i * 160));
    for (let i = 0; i < 40; i++) leg.receive(new Int16Array(160));
    const r = await rec.done;
    expect(r.reason).toBe('silence');
    // 500 ms of speech, then 25 silent frames trip the 500 ms threshold.
    expect(r.durationMs).toBe(1000);
  });

  it('fills RTP timestamp gaps with silence, ends on hangup and on abort', async () => {
    const leg = new FakeLeg();
    const rec = await Recorder.start(await tmp('gap.wav'), legFeed(leg), {});
    leg.emit('audio', sineFrame(500), { ts: 0 });
    leg.emit('audio', sineFrame(500), { ts: 160 * 5 });
    leg.close();
    const r = await rec.done;
    expect(r.reason).toBe('hangup');
    expect(r.durationMs).toBe(120);
    const ac = new AbortController();
    const rec2 = await Recorder.start(await tmp('abort.wav'), legFeed(new FakeLeg()), { signal: ac.signal });
    ac.abort();
    expect((await rec2.done).reason).toBe('aborted');
  });

  it('mixed mode records both directions clocked by what is sent', async () => {
    const leg = new FakeLeg();
    const sentFns = new Set<(p: Int16Array) => void>();
    const onSent = (fn: (p: Int16Array) => void): (() => void) => {
      sentFns.add(fn);
      return () => sentFns.delete(fn);
    };
    const file = await tmp('mixed.wav');
    const rec = await Recorder.start(file, mixedFeed(leg, onSent), { maxDurationMs: 400 });
    for (let i = 0; i < 20; i++) {
      leg.receive(sineFrame(600, i * 160, 5000));
      for (const fn of sentFns) fn(sineFrame(1400, i * 160, 5000));
    }
    const r = await rec.done;
    expect(r.durationMs).toBe(400);
    const { samples } = await readWav(file);
    expect(goertzel(samples, 600)).toBeGreaterThan(0.005);
    expect(goertzel(samples, 1400)).toBeGreaterThan(0.005);
  });
});
