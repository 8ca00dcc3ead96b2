import { describe, expect, it } from 'vitest';
import { CLEAN, harness, leaksOf } from './test-support.js';

describe('answer', () => {
  it('answers a ringing call, and is idempotent', async () => {
    const h = await harness({ call: 'ringing' });
    expect(await h.run('answer')).toEqual({ outcome: 'ok' });
    expect(h.call?.state).toBe('answered');
    expect(await h.run('answer')).toEqual({ outcome: 'ok' });
    expect(h.traces.map((t) => t.already)).toEqual([false, true]);
  });
  it('fails with call-ended when the caller already hung up; an aborted step rethrows', async () => {
    const h = await harness({ call: 'ringing' });
    h.call?.endFromFar();
    await expect(h.run('answer')).rejects.toBeDefined();
    const h2 = await harness({ call: 'ringing' });
    h2.abort.abort(new Error('left'));
    await expect(h2.run('answer')).rejects.toThrow('left');
  });
  it('a step without a call is a no-call error', async () => {
    const h = await harness({ call: 'none' });
    await expect(h.run('answer')).rejects.toMatchObject({ code: 'no-call' });
  });
});

describe('hangup', () => {
  it('rejects a ringing call with the status, ends an answered one', async () => {
    const h = await harness({ call: 'ringing' });
    await h.run('hangup', { status: 486, reason: 'busy here' });
    expect(h.engine.record.events.find((e) => e.type === 'hangup')).toMatchObject({ status: 486, by: 'local' });
    expect(await h.call?.ended).toEqual({ cause: 'local-hangup', status: 486 });
    const h2 = await harness();
    await h2.run('hangup');
    expect(h2.call?.state).toBe('ended');
  });
});

describe('transfer', () => {
  it('transferred (the leg ends) or failed', async () => {
    const h = await harness({ script: { transfers: { 'sip:desk@x': 'failed' } } });
    expect((await h.run('transfer', { to: 'sip:desk@x' })).outcome).toBe('failed');
    expect(h.call?.state).toBe('answered');
    expect((await h.run('transfer', { to: 'sip:other@x' })).outcome).toBe('transferred');
    expect(h.call?.state).toBe('ended');
  });
  it('abort and far-end hangup mid-transfer', async () => {
    const h = await harness();
    const p = h.start('transfer', { to: 'x' });
    h.abort.abort(new Error('left'));
    await expect(p).rejects.toThrow('left');
    expect(leaksOf(h)).toEqual(CLEAN);
    const h2 = await harness({ script: { caller: { hangup: { at: 300 } } } });
    await expect(h2.run('transfer', { to: 'x' })).rejects.toBeDefined();
    expect(leaksOf(h2)).toEqual(CLEAN);
  });
});

describe('send-dtmf', () => {
  it('sends each digit with duration + gap; w pauses', async () => {
    const h = await harness();
    expect((await h.run('send-dtmf', { digits: '12w#' })).outcome).toBe('sent');
    expect(h.engine.record.events.filter((e) => e.type === 'dtmf-sent').map((e) => e.digit)).toEqual(['1', '2', '#']);
    expect(h.engine.clock.monotonic()).toBe(200 * 3 + 500);
  });
  it('abort and far-end hangup mid-sending', async () => {
    const h = await harness();
    const p = h.start('send-dtmf', { digits: '123456' });
    await h.engine.clock.advance(250);
    h.abort.abort(new Error('left'));
    await expect(p).rejects.toThrow('left');
    expect(leaksOf(h)).toEqual(CLEAN);
    const h2 = await harness({ script: { caller: { hangup: { at: 300 } } } });
    await expect(h2.run('send-dtmf', { digits: '123456' })).rejects.toBeDefined();
    expect(leaksOf(h2)).toEqual(CLEAN);
  });
});

describe('wait', () => {
  it('done after the duration; abort clears the timer; hangup ends it', async () => {
    const h = await harness();
    expect(await h.run('wait', { duration: 2500 })).toEqual({ outcome: 'done' });
    expect(h.engine.clock.monotonic()).toBe(2500);
    const p = h.start('wait', { duration: 10_000 });
    await h.engine.clock.advance(100);
    h.abort.abort(new Error('left'));
    await expect(p).rejects.toThrow('left');
    expect(leaksOf(h)).toEqual(CLEAN);
    const h2 = await harness({ script: { caller: { hangup: { at: 300 } } } });
    await expect(h2.run('wait', { duration: 10_000 })).rejects.toBeDefined();
    expect(leaksOf(h2)).toEqual(CLEAN);
  });
});

describe('end-call', () => {
  it('ended for a live call (its own dialled leg or a known call), missing otherwise', async () => {
    const h = await harness({ script: { otherCalls: ['c-42'] } });
    expect(await h.run('end-call', { id: 'c-42' })).toEqual({ outcome: 'ended', value: true });
    expect(await h.run('end-call', { id: 'c-42' })).toEqual({ outcome: 'missing', value: false });
    const dialled = await h.engine.clock.run(h.engine.ports.calls.dial({ to: 'x', timeoutMs: 5000 }));
    const id = dialled.outcome === 'answered' ? dialled.leg.info.id : '';
    expect(await h.run('end-call', { id })).toEqual({ outcome: 'ended', value: true });
    expect(leaksOf(h)).toEqual(CLEAN);
  });
});
