import { describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
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

describe('PacerGroup wheel', () => {
  it('serves 20 one-millisecond slots and keeps serving when a member leaves in its own tick', async () => {
    const g = new PacerGroup({ slots: 20 });
    const counts = new Map<number, number>();
    const phases = new Set<number>();
    const members: Array<{ tick(s: number): void }> = [];
    for (let i = 0; i < 40; i++) {
      const m = {
        tick: (scheduled: number) => {
          counts.set(i, (counts.get(i) ?? 0) + 1);
          phases.add(Math.round(((scheduled % 20) + 20) % 20) % 20);
          // Member 0 leaves on its first tick; the slot's other member must still be served every round.
          if (i === 0) g.remove(m);
        },
      };
      members.push(m);
      g.add(m);
    }
    await new Promise((r) => setTimeout(r, 250));
    for (const m of members) g.remove(m);
    expect(phases.size).toBe(20);
    expect(counts.get(0)).toBe(1);
    for (let i = 1; i < 40; i++) expect(counts.get(i) ?? 0).toBeGreaterThanOrEqual(4);
    g.stop();
  });
});

describe('PacerGroup overload', () => {
  it('skips slots that went stale instead of sending them ever later', async () => {
    const g = new PacerGroup({ slots: 2, maxCatchUp: 1 });
    const lateAtStart: number[] = [];
    // Each tick busies the thread for 25 ms: twice what a 10 ms slot allows.
    const busy = (scheduled: number): void => {
      const t0 = performance.now();
      lateAtStart.push(t0 - scheduled);
      while (performance.now() - t0 < 25);
    };
    const members = [{ tick: busy }, { tick: busy }];
    for (const m of members) g.add(m);
    await new Promise((r) => setTimeout(r, 400));
    for (const m of members) g.remove(m);
    g.stop();
    expect(g.stats().skipped).toBeGreaterThan(0);
    expect(lateAtStart.length).toBeGreaterThan(3);
    // Served slots were at most one period (20 ms) late when checked; generous slack for a loaded machine.
    for (const l of lateAtStart) expect(l).toBeLessThan(20 + 40);
  });
});
