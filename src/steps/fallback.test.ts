import { describe, expect, it } from 'vitest';
import { CLEAN, harness, leaksOf } from './test-support.js';

describe('fallback', () => {
  it('moves on from busy and no-answer to the answering target', async () => {
    const h = await harness({ script: { targets: { a: { result: 'busy' }, b: { result: 'no-answer' }, c: { hangupAfter: 1000 } } } });
    const r = await h.run('fallback', { targets: ['a', { uri: 'b', timeout: 4000 }, 'c'] });
    expect(r).toEqual({ outcome: 'answered', value: { target: 'c', call_id: expect.any(String) as unknown, status: 200, tried: ['a', 'b', 'c'] } });
    expect(h.engine.record.dials.map((d) => [d.to, d.result])).toEqual([['a', 'busy'], ['b', 'no-answer'], ['c', 'answered']]);
    expect(h.engine.clock.monotonic()).toBe(1000 + 4000 + 1000 + 1000);
    expect(leaksOf(h)).toEqual(CLEAN);
  });

  it('the outcome is the last tried target: busy, no-answer, declined, failed (invalid counts as failed)', async () => {
    for (const [result, outcome] of [['busy', 'busy'], ['no-answer', 'no-answer'], ['declined', 'declined'], ['failed', 'failed'], ['invalid', 'failed']] as const) {
      const h = await harness({ script: { targets: { a: { result: 'busy' }, b: { result } } } });
      const r = await h.run('fallback', { targets: ['a', 'b'], timeout: 2000 });
      expect(r.outcome).toBe(outcome);
      expect(r.value).toMatchObject({ target: 'b', tried: ['a', 'b'] });
    }
  });

  it('stops at a result not in next-on', async () => {
    const h = await harness({ script: { targets: { a: { result: 'declined' }, b: {} } } });
    const r = await h.run('fallback', { targets: ['a', 'b'], 'next-on': ['busy'] });
    expect(r.outcome).toBe('declined');
    expect(h.engine.record.dials).toHaveLength(1);
  });

  it('abort while ringing the second target cancels it', async () => {
    const h = await harness({ script: { targets: { a: { result: 'busy' }, b: { result: 'no-answer' } } } });
    const p = h.start('fallback', { targets: ['a', 'b'] });
    await h.engine.clock.advance(5000);
    h.abort.abort(new Error('left'));
    await expect(p).rejects.toThrow('left');
    expect(h.engine.record.dials[1]?.result).toBe('cancelled');
    expect(leaksOf(h)).toEqual(CLEAN);
  });

  it('far-end hangup while ringing', async () => {
    const h = await harness({ script: { targets: { '*': { result: 'no-answer' } }, caller: { hangup: { at: 2500 } } } });
    await expect(h.run('fallback', { targets: ['a', 'b'] })).rejects.toBeDefined();
    expect(leaksOf(h)).toEqual(CLEAN);
  });
});
