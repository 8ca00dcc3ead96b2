/**
 * The Clock port contract. A harness supplies the clock and a way to let time pass: real sleeping for the
 * system clock, `advance` for the simulated one. Bounds are loose enough for a loaded machine.
 */
import { describe, expect, it } from 'vitest';
import { sleep, type Clock } from '../../src/ports/clock.js';

/** A clock under test and how to let `ms` of its time pass. */
export interface ClockHarness {
  clock: Clock;
  pass: (ms: number) => Promise<void>;
}

/** Run the Clock contract against harnesses made by `make`. */
export function describeClockContract(name: string, make: () => ClockHarness): void {
  describe(`Clock contract: ${name}`, () => {
    it('fires a timer once its time has passed, not before', async () => {
      const { clock, pass } = make();
      let fired = 0;
      clock.setTimer(100, () => fired++);
      await pass(30);
      expect(fired).toBe(0);
      await pass(150);
      expect(fired).toBe(1);
      await pass(150);
      expect(fired).toBe(1);
    });

    it('fires timers in due order, equal times in creation order', async () => {
      const { clock, pass } = make();
      const order: string[] = [];
      clock.setTimer(60, () => order.push('b'));
      clock.setTimer(20, () => order.push('a'));
      clock.setTimer(60, () => order.push('c'));
      await pass(200);
      expect(order).toEqual(['a', 'b', 'c']);
    });

    it('a cancelled timer never fires, and cancelling twice is harmless', async () => {
      const { clock, pass } = make();
      let fired = false;
      const cancel = clock.setTimer(50, () => (fired = true));
      cancel();
      cancel();
      await pass(150);
      expect(fired).toBe(false);
    });

    it('monotonic time moves forward by about the time passed', async () => {
      const { clock, pass } = make();
      const t0 = clock.monotonic();
      const w0 = clock.now();
      await pass(100);
      const dt = clock.monotonic() - t0;
      expect(dt).toBeGreaterThanOrEqual(99);
      expect(dt).toBeLessThan(2000);
      expect(clock.now() - w0).toBeGreaterThanOrEqual(99);
    });

    it('sleep resolves after its time, and rejects with the reason when aborted (clearing its timer)', async () => {
      const { clock, pass } = make();
      let done = false;
      const p = sleep(clock, 80).then(() => (done = true));
      await pass(150);
      await p;
      expect(done).toBe(true);
      const ac = new AbortController();
      const s = sleep(clock, 10_000, ac.signal);
      ac.abort(new Error('stop'));
      await expect(s).rejects.toThrow('stop');
      const pre = new AbortController();
      pre.abort(new Error('already'));
      await expect(sleep(clock, 1, pre.signal)).rejects.toThrow('already');
    });
  });
}
