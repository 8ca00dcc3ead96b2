import { describe, expect, it } from 'vitest';
import { CLEAN, harness, leaksOf } from './test-support.js';

describe('prompt', () => {
  it('plays to the end: done, and records the prompt', async () => {
    const h = await harness();
    const r = await h.run('prompt', { say: 'Welcome to the conference' });
    expect(r).toEqual({ outcome: 'done', value: null });
    expect(h.engine.record.prompts.map((p) => p.items)).toEqual([[{ kind: 'say', text: 'Welcome to the conference', voice: 'en-us' }]]);
    expect(h.engine.record.prompts[0]?.result).toBe('done');
    expect(h.traces.some((t) => t.type === 'prompt.played')).toBe(true);
    expect(leaksOf(h)).toEqual(CLEAN);
  });

  it('loops a tone and a file list in order', async () => {
    const h = await harness({ flowDir: '/flows/x' });
    await h.run('prompt', { file: ['a.wav', '/abs/b.wav'], loop: 2 });
    const p = h.engine.record.prompts[0];
    expect(p?.items).toEqual([{ kind: 'file', path: '/flows/x/a.wav' }, { kind: 'file', path: '/abs/b.wav' }]);
    expect(p?.loop).toBe(2);
    expect((p?.endedAt ?? 0) - (p?.at ?? 0)).toBe(8000);
  });

  it('barge-in: a digit stops the prompt and is the outcome', async () => {
    const h = await harness({ script: { caller: { digits: [{ after: 'prompt', delay: 300, keys: '5' }] } } });
    const r = await h.run('prompt', { say: 'Press a key at any time to skip this long message', 'barge-in': true });
    expect(r).toEqual({ outcome: 'digit', value: '5' });
    expect(h.engine.record.prompts[0]?.result).toBe('barge-in');
    expect(h.engine.clock.monotonic()).toBe(300);
    expect(leaksOf(h)).toEqual(CLEAN);
  });

  it('wait any: the first digit after the prompt', async () => {
    const h = await harness({ script: { caller: { digits: [{ after: 'listen', delay: 2000, keys: '7' }] } } });
    const r = await h.run('prompt', { say: 'Hi', wait: 'any', timeout: 5000 });
    expect(r).toEqual({ outcome: 'digit', value: '7' });
    expect(leaksOf(h)).toEqual(CLEAN);
  });

  it('wait digits: ignores keys outside the set', async () => {
    const h = await harness({ script: { caller: { digits: [{ after: 'listen', delay: 100, keys: '9*2', gap: 100 }] } } });
    const r = await h.run('prompt', { tone: 'beep', wait: 'digits', digits: '12' });
    expect(r).toEqual({ outcome: 'digit', value: '2' });
  });

  it('a barge-in digit outside `digits` does not count; the prompt still waits', async () => {
    const h = await harness({ script: { caller: { digits: [{ after: 'prompt', delay: 100, keys: '9' }] } } });
    const r = await h.run('prompt', { say: 'Press one or two', 'barge-in': true, wait: 'digits', digits: '12', timeout: 3000 });
    expect(r).toEqual({ outcome: 'timeout', value: null });
    expect(h.engine.clock.monotonic()).toBe(3100);
  });

  it('times out when no digit comes', async () => {
    const h = await harness();
    const r = await h.run('prompt', { say: 'Hello there', wait: 'any', timeout: 4000 });
    expect(r.outcome).toBe('timeout');
    expect(h.engine.clock.monotonic()).toBe(660 + 4000);
    expect(leaksOf(h)).toEqual(CLEAN);
  });

  it('type-ahead: a key pressed before the wait is taken from the buffer', async () => {
    const h = await harness({ script: { caller: { digits: [{ at: 100, keys: '3' }] } } });
    const r = await h.run('prompt', { say: 'A long announcement without barge in', wait: 'any' });
    expect(r).toEqual({ outcome: 'digit', value: '3' });
  });

  it('abort mid-prompt: rejects with the reason and cleans up', async () => {
    const h = await harness();
    const p = h.start('prompt', { say: 'Please hold while we connect you', wait: 'any' });
    await h.engine.clock.advance(500);
    h.abort.abort(new Error('left the state'));
    await expect(p).rejects.toThrow('left the state');
    expect(h.engine.record.prompts[0]?.result).toBe('aborted');
    expect(leaksOf(h)).toEqual(CLEAN);
  });

  it('abort while waiting for the digit cleans up the wait', async () => {
    const h = await harness();
    const p = h.start('prompt', { say: 'Hi', wait: 'any' });
    await h.engine.clock.advance(1000);
    expect(leaksOf(h).listens).toBe(1);
    h.abort.abort(new Error('gone'));
    await expect(p).rejects.toThrow('gone');
    expect(leaksOf(h)).toEqual(CLEAN);
  });

  it('far-end hangup mid-prompt ends the step cleanly', async () => {
    const h = await harness({ script: { caller: { hangup: { after: 'prompt', delay: 200 } } } });
    await expect(h.run('prompt', { say: 'Welcome to our service' })).rejects.toBeDefined();
    expect(h.call?.state).toBe('ended');
    expect(h.engine.record.prompts[0]?.result).toBe('ended');
    expect(leaksOf(h)).toEqual(CLEAN);
  });
});
