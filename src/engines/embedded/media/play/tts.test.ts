import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rms } from './pcm.js';
import { EspeakTts, TtsUnavailableError } from './tts.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('EspeakTts (real espeak-ng)', () => {
  it('synthesises non-silent 8 kHz audio of plausible length, once per text', async () => {
    const tts = new EspeakTts();
    const text = 'Please enter your account number followed by the hash key.';
    const [a, b] = await Promise.all([tts.synthesize(text), tts.synthesize(text)]);
    expect(a).toBe(b);
    expect(tts.spawnCount).toBe(1);
    const seconds = a.length / 8000;
    // About ten words at 160 wpm: a few seconds.
    expect(seconds).toBeGreaterThan(1.5);
    expect(seconds).toBeLessThan(8);
    expect(rms(a)).toBeGreaterThan(300);
    await tts.synthesize(text);
    expect(tts.spawnCount).toBe(1);
    await tts.synthesize(text, { rate: 220 });
    expect(tts.spawnCount).toBe(2);
  });

  it('keeps a disk cache that a new instance reuses without spawning', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cf-tts-'));
    dirs.push(dir);
    const first = new EspeakTts({ cacheDir: dir });
    const pcm = await first.synthesize('hello world', { voice: 'en' });
    expect((await readdir(dir)).filter((f) => f.endsWith('.s16'))).toHaveLength(1);
    const second = new EspeakTts({ cacheDir: dir });
    const again = await second.synthesize('hello world', { voice: 'en' });
    expect(second.spawnCount).toBe(0);
    expect(again).toEqual(pcm);
  });

  it('names the missing binary with TtsUnavailableError', async () => {
    const tts = new EspeakTts({ binary: 'espeak-ng-not-installed-xyz' });
    const err = await tts.synthesize('hi').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TtsUnavailableError);
    expect((err as TtsUnavailableError).binary).toBe('espeak-ng-not-installed-xyz');
    expect(String((err as Error).message)).toContain('espeak-ng-not-installed-xyz');
  });

  it('rejects over-long text without spawning', async () => {
    const tts = new EspeakTts({ maxChars: 10 });
    await expect(tts.synthesize('this text is far too long')).rejects.toThrow(/longer than 10/);
    expect(tts.spawnCount).toBe(0);
  });
});
