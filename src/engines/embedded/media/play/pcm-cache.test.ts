import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import alawmulaw from 'alawmulaw';
import { describe, expect, it } from 'vitest';
import { PcmCache } from './pcm-cache.js';
import { PromptLoadError, PromptLoader } from './prompt-loader.js';

describe('PcmCache', () => {
  it('evicts least recently used entries beyond the byte budget', async () => {
    const c = new PcmCache(1000);
    c.put('a', new Int16Array(200));
    c.put('b', new Int16Array(200));
    c.peek('a');
    c.put('c', new Int16Array(200));
    expect(c.peek('a')).toBeDefined();
    expect(c.peek('b')).toBeUndefined();
    expect(c.size).toBeLessThanOrEqual(1000);
  });

  it('shares one load between concurrent callers and does not cache failures', async () => {
    const c = new PcmCache();
    let calls = 0;
    const load = async (): Promise<Int16Array> => {
      calls++;
      await new Promise((r) => setTimeout(r, 10));
      return new Int16Array(4);
    };
    const [x, y] = await Promise.all([c.get('k', load), c.get('k', load)]);
    expect(x).toBe(y);
    expect(calls).toBe(1);
    await expect(c.get('bad', () => Promise.reject(new Error('nope')))).rejects.toThrow('nope');
    await expect(c.get('bad', async () => new Int16Array(1))).resolves.toHaveLength(1);
  });
});

describe('PromptLoader', () => {
  it('reads raw µ-law and A-law, caches by path+mtime, reloads on change', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cf-prompt-'));
    try {
      const pcm = Int16Array.from({ length: 800 }, (_, i) => Math.round(8000 * Math.sin(i / 3)));
      const ul = join(dir, 'p.ulaw');
      const al = join(dir, 'p.alaw');
      await writeFile(ul, alawmulaw.mulaw.encode(pcm));
      await writeFile(al, alawmulaw.alaw.encode(pcm));
      const loader = new PromptLoader();
      const a = await loader.load(ul);
      const b = await loader.load(al);
      expect(a.length).toBe(800);
      expect(b.length).toBe(800);
      expect(Math.abs((a[100] as number) - (pcm[100] as number))).toBeLessThan(300);
      await loader.load(ul);
      expect(loader.cache.loads).toBe(2);
      await writeFile(ul, alawmulaw.mulaw.encode(pcm.subarray(0, 400)));
      await utimes(ul, new Date(), new Date(Date.now() + 5000));
      expect((await loader.load(ul)).length).toBe(400);
      await expect(loader.load(join(dir, 'missing.wav'))).rejects.toBeInstanceOf(PromptLoadError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
