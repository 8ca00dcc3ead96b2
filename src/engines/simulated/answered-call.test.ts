/** `answeredCall`: the answered outbound leg an `on start` session runs on, driven by the script's caller. */
import { describe, expect, it } from 'vitest';
import { createSimulatedEngine } from './index.js';

describe('simulated answered call', () => {
  it('is an answered outbound leg with its own id; the caller presses keys on it from the answer', async () => {
    const engine = createSimulatedEngine({ script: { caller: { digits: [{ after: 'answer', delay: 2000, keys: '12' }] } } });
    const leg = engine.answeredCall({ from: '+1800222333', to: '+447712886400' });
    expect(leg.state).toBe('answered');
    expect(leg.info).toMatchObject({ id: 'leg-1', direction: 'outbound', from: '+1800222333', to: '+447712886400' });
    const first = await engine.clock.run(engine.ports.media.waitForDigit(leg, { timeoutMs: 10_000 }), 60_000);
    expect(first?.digit).toBe('1');
    expect(engine.clock.monotonic()).toBe(2000);
    expect(engine.record.digits.map((d) => [d.leg, d.digit])).toEqual([['leg-1', '1']]);
    await engine.close();
  });

  it('the script hangup ends it from the far end', async () => {
    const engine = createSimulatedEngine({ script: { caller: { hangup: { at: 5000 } } } });
    const leg = engine.answeredCall();
    const ended = await engine.clock.run(leg.ended, 60_000);
    expect(ended.cause).toBe('remote-hangup');
    expect(engine.clock.monotonic()).toBe(5000);
    expect(engine.leaks().legs).toEqual([]);
    await engine.close();
  });
});
