import { describe, expect, it } from 'vitest';
import { CLEAN, harness, leaksOf } from './test-support.js';

describe('fork', () => {
  it('first answer wins, losers are cancelled, winner bridged until it hangs up', async () => {
    const h = await harness({
      script: { targets: { alice: { after: 3000, hangupAfter: 10_000 }, bob: { after: 1000, hangupAfter: 5000 }, carol: { result: 'no-answer' } } },
    });
    const r = await h.run('fork', { targets: ['alice', 'bob', 'carol'] });
    expect(r.outcome).toBe('answered');
    expect(r.value).toMatchObject({ target: 'bob', status: 200 });
    const dials = Object.fromEntries(h.engine.record.dials.map((d) => [d.to, d.result]));
    expect(dials).toEqual({ alice: 'cancelled', bob: 'answered', carol: 'cancelled' });
    expect(h.engine.clock.monotonic()).toBe(6000);
    expect(h.engine.record.events.some((e) => e.type === 'bridge')).toBe(true);
    expect(h.traces.filter((t) => t.type === 'leg.dialled').map((t) => t.outcome).sort()).toEqual(['answered', 'cancelled', 'cancelled']);
    expect(leaksOf(h)).toEqual(CLEAN);
  });

  it('answers a ringing caller before bridging', async () => {
    const h = await harness({ call: 'ringing', script: { targets: { a: { hangupAfter: 100 } } } });
    await h.run('fork', { targets: ['a'] });
    expect(h.engine.record.events.find((e) => e.type === 'answer')).toBeDefined();
  });

  it('without bridge: returns the answered leg (still up) and does not bridge', async () => {
    const h = await harness({ script: { targets: { a: {} } } });
    const r = await h.run('fork', { targets: ['a'], bridge: false });
    expect(r.outcome).toBe('answered');
    expect(h.engine.record.events.some((e) => e.type === 'bridge')).toBe(false);
    expect(leaksOf(h).legs).toEqual([(r.value as { call_id: string }).call_id]);
  });

  it('max-duration hangs the bridged leg up', async () => {
    const h = await harness({ script: { targets: { a: {} } } });
    const r = await h.run('fork', { targets: ['a'], 'max-duration': 5000 });
    expect(r.outcome).toBe('answered');
    expect(h.engine.clock.monotonic()).toBe(6000);
    expect(leaksOf(h)).toEqual(CLEAN);
  });

  it('busy only when every target is busy', async () => {
    const h = await harness({ script: { targets: { a: { result: 'busy' }, b: { result: 'busy', after: 200 } } } });
    expect((await h.run('fork', { targets: ['a', 'b'] })).outcome).toBe('busy');
    const h2 = await harness({ script: { targets: { a: { result: 'busy' }, b: { result: 'declined' } } } });
    expect((await h2.run('fork', { targets: ['a', 'b'] })).outcome).toBe('failed');
  });

  it('no-answer when a target rings out; failed when all fail', async () => {
    const h = await harness({ script: { targets: { a: { result: 'busy' }, b: { result: 'no-answer' } } } });
    expect((await h.run('fork', { targets: ['a', 'b'], timeout: 5000 })).outcome).toBe('no-answer');
    expect(h.engine.clock.monotonic()).toBe(5000);
    const h2 = await harness({ script: { targets: { '*': { result: 'failed' } } } });
    expect((await h2.run('fork', { targets: ['x', { uri: 'y' }] })).outcome).toBe('failed');
  });

  it('abort while ringing cancels every leg', async () => {
    const h = await harness({ script: { targets: { '*': { result: 'no-answer' } } } });
    const p = h.start('fork', { targets: ['a', 'b'] });
    await h.engine.clock.advance(2000);
    h.abort.abort(new Error('left'));
    await expect(p).rejects.toThrow('left');
    expect(h.engine.record.dials.map((d) => d.result)).toEqual(['cancelled', 'cancelled']);
    expect(leaksOf(h)).toEqual(CLEAN);
  });

  it('abort while bridged hangs up the winner', async () => {
    const h = await harness({ script: { targets: { a: {} } } });
    const p = h.start('fork', { targets: ['a'] });
    await h.engine.clock.advance(3000);
    expect(leaksOf(h).legs).toHaveLength(1);
    h.abort.abort(new Error('left'));
    await expect(p).rejects.toThrow('left');
    expect(leaksOf(h)).toEqual(CLEAN);
  });

  it('far-end hangup while bridged ends the step and hangs up the callee', async () => {
    const h = await harness({ script: { targets: { a: {} }, caller: { hangup: { at: 4000 } } } });
    await expect(h.run('fork', { targets: ['a'] })).rejects.toBeDefined();
    expect(leaksOf(h)).toEqual(CLEAN);
  });
});
