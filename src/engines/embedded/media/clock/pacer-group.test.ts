import { describe, expect, it } from 'vitest';
import { PacerGroup } from './pacer-group.js';

describe('PacerGroup', () => {
  it('spreads members over staggered slots and ticks each every 20 ms on the grid', async () => {
    const g = new PacerGroup({ slots: 4 });
    const seen = new Map<number, number[]>();
    const members = Array.from({ length: 8 }, (_, i) => ({
      tick: (scheduled: number) => {
        const l = seen.get(i) ?? [];
        l.push(scheduled);
        seen.set(i, l);
      },
    }));
    for (const m of members) g.add(m);
    expect(g.size).toBe(8);
    await new Promise((r) => setTimeout(r, 300));
    for (const m of members) g.remove(m);
    expect(g.size).toBe(0);
    const phases = new Set<number>();
    for (const [, times] of seen) {
      // Loaded machines fire late, but the scheduled grid itself never drifts.
      expect(times.length).toBeGreaterThanOrEqual(5);
      for (let k = 1; k < times.length; k++) {
        const steps = (times[k]! - times[k - 1]!) / 20;
        expect(steps).toBeGreaterThanOrEqual(0.999);
        expect(Math.abs(steps - Math.round(steps))).toBeLessThan(1e-6);
      }
      phases.add(Math.round(((times[0]! % 20) + 20) % 20) % 20);
    }
    expect(phases).toEqual(new Set([0, 5, 10, 15]));
    const st = g.stats();
    expect(st.served).toBeGreaterThan(40);
    expect(st.lateP50Ms).toBeGreaterThanOrEqual(0);
    g.stop();
  });
});
