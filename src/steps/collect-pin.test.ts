import { describe, expect, it } from 'vitest';
import { CLEAN, harness, leaksOf } from './test-support.js';

const keys = (k: string, delay = 500) => ({ caller: { digits: [{ after: 'listen' as const, delay, keys: k }] } });

describe('collect-pin', () => {
  it('ok: digits up to the terminator, without it', async () => {
    const h = await harness({ script: keys('1234#') });
    const r = await h.run('collect-pin', { say: 'Enter your PIN', 'min-digits': 4 });
    expect(r).toEqual({ outcome: 'ok', value: '1234' });
    expect(h.engine.record.collects[0]).toMatchObject({ digits: '1234', reason: 'terminator' });
    expect(h.traces.find((t) => t.type === 'digits.collected')).toMatchObject({ digits: '1234', verdict: 'ok' });
    expect(leaksOf(h)).toEqual(CLEAN);
  });

  it('ok: stops at max-digits without a terminator', async () => {
    const h = await harness({ script: keys('123456') });
    const r = await h.run('collect-pin', { 'max-digits': 4 });
    expect(r).toEqual({ outcome: 'ok', value: '1234' });
  });

  it('keys pressed during the prompt barge in and count', async () => {
    const h = await harness({ script: { caller: { digits: [{ after: 'prompt', delay: 100, keys: '42#' }] } } });
    const r = await h.run('collect-pin', { say: 'Please enter your conference PIN followed by hash' });
    expect(r).toEqual({ outcome: 'ok', value: '42' });
    expect(h.engine.record.prompts[0]?.result).toBe('barge-in');
  });

  it('timeout: nothing pressed within the first-digit timeout', async () => {
    const h = await harness();
    const r = await h.run('collect-pin', { 'first-digit-timeout': 3000 });
    expect(r).toEqual({ outcome: 'timeout', value: '' });
    expect(h.engine.clock.monotonic()).toBe(3000);
    expect(leaksOf(h)).toEqual(CLEAN);
  });

  it('timeout: too few digits before the inter-digit timeout', async () => {
    const h = await harness({ script: keys('12') });
    const r = await h.run('collect-pin', { 'min-digits': 4, 'inter-digit-timeout': 2000 });
    expect(r.outcome).toBe('timeout');
    expect(r.value).toBe('12');
  });

  it('ok when the inter-digit timeout ends input that is long enough', async () => {
    const h = await harness({ script: keys('1234') });
    expect((await h.run('collect-pin', { 'min-digits': 4 })).outcome).toBe('ok');
  });

  it('invalid: too few digits before the terminator, or the pattern does not match', async () => {
    const h1 = await harness({ script: keys('12#') });
    expect((await h1.run('collect-pin', { 'min-digits': 4 })).outcome).toBe('invalid');
    const h2 = await harness({ script: keys('9999#') });
    expect((await h2.run('collect-pin', { pattern: '[0-8]{4}' })).outcome).toBe('invalid');
  });

  it('attempts: reprompts after invalid-say and succeeds on the second attempt', async () => {
    const h = await harness({
      script: { caller: { digits: [{ after: 'listen', nth: 1, delay: 500, keys: '99#' }, { after: 'listen', nth: 2, delay: 500, keys: '1234#' }] } },
    });
    const r = await h.run('collect-pin', { say: 'PIN please', 'min-digits': 4, attempts: 3, 'invalid-say': 'That is not valid.' });
    expect(r).toEqual({ outcome: 'ok', value: '1234' });
    const said = h.engine.record.prompts.map((p) => (p.items[0]?.kind === 'say' ? p.items[0].text : ''));
    expect(said).toEqual(['PIN please', 'That is not valid.', 'PIN please']);
  });

  it('max-attempts: every attempt failed', async () => {
    const h = await harness();
    const r = await h.run('collect-pin', { attempts: 2, 'first-digit-timeout': 1000 });
    expect(r.outcome).toBe('max-attempts');
    expect(h.engine.record.collects).toHaveLength(2);
    expect(leaksOf(h)).toEqual(CLEAN);
  });

  it('a bad pattern is a step error, not an outcome', async () => {
    const h = await harness();
    await expect(h.run('collect-pin', { pattern: '([' })).rejects.toMatchObject({ code: 'bad-argument' });
  });

  it('abort mid-collect cleans up the prompt, timers and listener', async () => {
    const h = await harness({ script: keys('12', 100) });
    const p = h.start('collect-pin', { say: 'Enter the PIN now please' });
    await h.engine.clock.advance(400);
    h.abort.abort(new Error('left'));
    await expect(p).rejects.toThrow('left');
    expect(leaksOf(h)).toEqual(CLEAN);
  });

  it('far-end hangup mid-collect', async () => {
    const h = await harness({ script: { caller: { digits: [{ after: 'listen', delay: 100, keys: '12' }], hangup: { at: 2000 } } } });
    await expect(h.run('collect-pin', { 'min-digits': 4 })).rejects.toBeDefined();
    expect(h.engine.record.collects[0]?.reason).toBe('ended');
    expect(leaksOf(h)).toEqual(CLEAN);
  });
});
