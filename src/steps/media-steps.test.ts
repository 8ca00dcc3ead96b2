import { describe, expect, it } from 'vitest';
import { CLEAN, harness, leaksOf } from './test-support.js';

describe('record', () => {
  it('done at max-duration with {file, duration_ms, reason}', async () => {
    const h = await harness({ flowDir: '/rec' });
    const r = await h.run('record', { file: 'msg.wav', 'max-duration': 5000 });
    expect(r).toEqual({ outcome: 'done', value: { file: '/rec/msg.wav', duration_ms: 5000, reason: 'max-duration' } });
  });
  it('done early on the terminator', async () => {
    const h = await harness({ script: { caller: { digits: [{ at: 1500, keys: '#' }] } } });
    expect((await h.run('record', { file: '/tmp/a.wav' })).value).toMatchObject({ duration_ms: 1500, reason: 'terminator' });
  });
  it('failed when the file cannot be written', async () => {
    const h = await harness({ script: { recordFails: true } });
    expect((await h.run('record', { file: '/tmp/a.wav' })).outcome).toBe('failed');
  });
  it('abort and far-end hangup mid-recording', async () => {
    const h = await harness();
    const p = h.start('record', { file: '/tmp/a.wav' });
    await h.engine.clock.advance(1000);
    h.abort.abort(new Error('left'));
    await expect(p).rejects.toThrow('left');
    expect(leaksOf(h)).toEqual(CLEAN);
    const h2 = await harness({ script: { caller: { hangup: { at: 700 } } } });
    await expect(h2.run('record', { file: '/tmp/a.wav' })).rejects.toBeDefined();
    expect(leaksOf(h2)).toEqual(CLEAN);
  });
});

describe('bridge-to-channel', () => {
  it('left when the channel is emptied', async () => {
    const h = await harness({ script: { channels: [{ channel: 'room-1', at: 4000 }] } });
    const r = await h.run('bridge-to-channel', { channel: 'room-1', muted: true });
    expect(r.outcome).toBe('left');
    expect(h.engine.record.channels[0]).toMatchObject({ channel: 'room-1', muted: true, result: 'left', leftAt: 4000 });
    expect(leaksOf(h)).toEqual(CLEAN);
  });
  it('timeout after max-duration', async () => {
    const h = await harness();
    const r = await h.run('bridge-to-channel', { channel: 'c', 'max-duration': 3000 });
    expect(r.outcome).toBe('timeout');
    expect(h.engine.clock.monotonic()).toBe(3000);
    expect(leaksOf(h)).toEqual(CLEAN);
  });
  it('abort and far-end hangup leave the channel', async () => {
    const h = await harness();
    const p = h.start('bridge-to-channel', { channel: 'c', 'max-duration': 60_000 });
    await h.engine.clock.advance(1000);
    expect(leaksOf(h).channels).toBe(1);
    h.abort.abort(new Error('left'));
    await expect(p).rejects.toThrow('left');
    expect(leaksOf(h)).toEqual(CLEAN);
    const h2 = await harness({ script: { caller: { hangup: { at: 900 } } } });
    await expect(h2.run('bridge-to-channel', { channel: 'c' })).rejects.toBeDefined();
    expect(h2.engine.record.channels[0]?.result).toBe('ended');
    expect(leaksOf(h2)).toEqual(CLEAN);
  });
});

describe('stream-to-websocket', () => {
  const bot = { url: 'wss://bot.example/*', messages: [{ at: 100, event: 'media' as const, ms: 400 }, { at: 150, event: 'mark' as const, name: 'greeting' }], closeAt: 2000 };

  it('closed when the bot closes; marks echo after the audio played; digits reach the bot', async () => {
    const h = await harness({ script: { bots: [bot], caller: { digits: [{ at: 1000, keys: '5' }] } } });
    const r = await h.run('stream-to-websocket', { url: 'wss://bot.example/v1', params: { lang: 'en' } });
    expect(r.outcome).toBe('closed');
    const rec = h.engine.record.bots[0];
    expect(rec?.params).toEqual({ lang: 'en' });
    expect(rec?.messages).toEqual([
      { at: 100, from: 'bot', event: 'media', ms: 400 },
      { at: 150, from: 'bot', event: 'mark', name: 'greeting' },
      { at: 500, from: 'caller', event: 'mark', name: 'greeting' },
      { at: 1000, from: 'caller', event: 'dtmf', digit: '5' },
    ]);
    expect(leaksOf(h)).toEqual(CLEAN);
  });
  it('error when the bot is unreachable; timeout at max-duration', async () => {
    const h = await harness({ script: { bots: [{ url: 'wss://down/', unreachable: true }] } });
    expect((await h.run('stream-to-websocket', { url: 'wss://down/' })).outcome).toBe('error');
    expect(leaksOf(h)).toEqual(CLEAN);
    const h2 = await harness({ script: { bots: [{ url: 'wss://slow/' }] } });
    expect((await h2.run('stream-to-websocket', { url: 'wss://slow/', 'max-duration': 5000 })).outcome).toBe('timeout');
    expect(leaksOf(h2)).toEqual(CLEAN);
  });
  it('abort and far-end hangup close the stream and the tap', async () => {
    const h = await harness({ script: { bots: [bot] } });
    const p = h.start('stream-to-websocket', { url: 'wss://bot.example/x' });
    await h.engine.clock.advance(300);
    expect(leaksOf(h).taps).toBe(1);
    h.abort.abort(new Error('left'));
    await expect(p).rejects.toThrow('left');
    expect(leaksOf(h)).toEqual(CLEAN);
    const h2 = await harness({ script: { bots: [bot], caller: { hangup: { at: 1200 } } } });
    await expect(h2.run('stream-to-websocket', { url: 'wss://bot.example/x' })).rejects.toBeDefined();
    expect(leaksOf(h2)).toEqual(CLEAN);
  });
});
