import { describe, expect, it } from 'vitest';
import { TimerWheel } from './timer-wheel.js';

function manual() {
  let now = 0;
  const wheel = new TimerWheel({ tickMs: 10, slots: 64, now: () => now, autoDrive: false });
  const advance = (ms: number) => {
    now += ms;
    wheel.advanceTo(now);
  };
  return { wheel, advance };
}

describe('TimerWheel', () => {
  it('fires after the delay, not before', () => {
    const { wheel, advance } = manual();
    const fired: number[] = [];
    wheel.schedule(25, () => fired.push(1));
    advance(20);
    expect(fired).toEqual([]);
    advance(10);
    expect(fired).toEqual([1]);
    expect(wheel.size).toBe(0);
  });

  it('handles delays longer than one turn of the wheel', () => {
    const { wheel, advance } = manual();
    let fired = false;
    wheel.schedule(64 * 10 * 3 + 5, () => (fired = true));
    advance(64 * 10 * 3);
    expect(fired).toBe(false);
    advance(20);
    expect(fired).toBe(true);
  });

  it('cancelled timers never fire and are not counted', () => {
    const { wheel, advance } = manual();
    let fired = 0;
    const h = wheel.schedule(50, () => fired++);
    wheel.schedule(50, () => fired++);
    expect(wheel.size).toBe(2);
    h.cancel();
    h.cancel();
    expect(wheel.size).toBe(1);
    expect(h.active).toBe(false);
    advance(100);
    expect(fired).toBe(1);
  });

  it('keeps 100,000 timers cheaply and fires them all in order of deadline', () => {
    const { wheel, advance } = manual();
    let fired = 0;
    let last = -1;
    let ordered = true;
    for (let i = 0; i < 100_000; i++) {
      const d = (i * 7) % 5000;
      wheel.schedule(d, () => {
        fired++;
        if (Math.max(1, Math.ceil(d / 10)) < last) ordered = false;
        last = Math.max(1, Math.ceil(d / 10));
      });
    }
    expect(wheel.size).toBe(100_000);
    advance(6000);
    expect(fired).toBe(100_000);
    expect(ordered).toBe(true);
  });

  it('100,000 timers with half cancelled: only the rest fire, each once, in deadline order and not early', () => {
    let now = 0;
    const wheel = new TimerWheel({ tickMs: 10, slots: 256, now: () => now, autoDrive: false });
    const N = 100_000;
    const delay = (i: number): number => ((i * 7919) % 5000) + 1;
    const firedAt = new Array<number>(N).fill(-1);
    const order: number[] = [];
    const handles = Array.from({ length: N }, (_, i) =>
      wheel.schedule(delay(i), () => {
        if (firedAt[i] !== -1) throw new Error(`timer ${i} fired twice`);
        firedAt[i] = now;
        order.push(i);
      }),
    );
    for (let i = 1; i < N; i += 2) handles[i]!.cancel();
    expect(wheel.size).toBe(N / 2);
    for (now = 10; now <= 5100; now += 10) wheel.advanceTo(now);
    expect(wheel.size).toBe(0);
    expect(order).toHaveLength(N / 2);
    expect(order.every((i) => i % 2 === 0)).toBe(true);
    const early = order.filter((i) => firedAt[i]! < delay(i));
    expect(early).toEqual([]);
    for (let k = 1; k < order.length; k++) {
      const a = Math.ceil(delay(order[k - 1]!) / 10);
      const b = Math.ceil(delay(order[k]!) / 10);
      if (b < a) throw new Error(`out of order at ${k}: tick ${b} after ${a}`);
    }
  });

  it('a throwing callback does not stop the others', () => {
    const { wheel, advance } = manual();
    let ok = false;
    wheel.schedule(10, () => {
      throw new Error('boom');
    });
    wheel.schedule(10, () => (ok = true));
    advance(20);
    expect(ok).toBe(true);
  });

  it('drives itself with a real clock', async () => {
    const wheel = new TimerWheel({ tickMs: 5 });
    const t0 = performance.now();
    const at = await new Promise<number>((resolve) => wheel.schedule(30, () => resolve(performance.now())));
    expect(at - t0).toBeGreaterThanOrEqual(25);
    wheel.stop();
  });
});
