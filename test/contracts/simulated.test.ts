/** Every port contract against the simulated engine (the real engines run the same suites). */
import type { Clock } from '../../src/ports/clock.js';
import { createSimulatedEngine, SimCallLeg, SimulatedClock, SimWorld } from '../../src/engines/simulated/index.js';
import { createSimHttp } from '../../src/engines/simulated/http.js';
import { SimAudioTap } from '../../src/engines/simulated/tap.js';
import { createMemoryBus, createMemoryStore } from '../../src/store/memory.js';
import { describeBotsContract } from './bots-contract.js';
import { describeCallControlContract } from './call-control-contract.js';
import { describeClockContract } from './clock-contract.js';
import { describeHttpContract } from './http-contract.js';
import { describeMediaContract } from './media-contract.js';
import { describeBusContract, describeStoreContract } from './store-contract.js';

/** A real-time clock, to check the Clock contract itself holds for the system clock too. */
const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

describeClockContract('simulated', () => {
  const clock = new SimulatedClock();
  return { clock, pass: (ms) => clock.advance(ms) };
});
describeClockContract('system (reference)', () => ({ clock: systemClock, pass: (ms) => new Promise((r) => setTimeout(r, ms)) }));

let ids = 0;

describeCallControlContract('simulated', async () => {
  const engine = createSimulatedEngine({ script: { targets: {} } });
  const targets = engine.world.script.targets ?? {};
  return {
    calls: engine.ports.calls,
    inbound() {
      const leg = engine.inboundCall({ id: `in-${++ids}` });
      return Promise.resolve({ leg, hangup: async () => leg.endFromFar() });
    },
    target(b) {
      const uri = `sip:t${++ids}@sim.invalid`;
      targets[uri] = { result: b.result, after: b.afterMs ?? 100 };
      const hangup = async (): Promise<void> => {
        for (const leg of engine.world.legs.values()) if (leg instanceof SimCallLeg && leg.info.toUri === uri) leg.endFromFar();
      };
      return Promise.resolve({ uri, hangup });
    },
    pass: (ms) => engine.clock.advance(ms),
    settle: (p) => engine.clock.run(p),
    close: () => engine.close(),
  };
});

describeMediaContract('simulated', async () => {
  const engine = createSimulatedEngine({ script: { timing: { recordMs: 60_000 } } });
  return {
    media: engine.ports.media,
    call() {
      const leg = engine.inboundCall({ id: `m-${++ids}` });
      leg.markAnswered();
      return Promise.resolve({
        leg,
        async press(keys, gapMs = 150) {
          for (const k of keys) {
            engine.world.press(leg.info.id, k);
            await engine.clock.advance(gapMs);
          }
        },
        hangup: async () => leg.endFromFar(),
      });
    },
    pass: (ms) => engine.clock.advance(ms),
    settle: (p) => engine.clock.run(p),
    close: () => engine.close(),
  };
});

describeBotsContract('simulated', async () => {
  const engine = createSimulatedEngine({ script: { bots: [] } });
  const bots = engine.world.script.bots ?? [];
  return {
    bots: engine.ports.bots,
    tap() {
      const leg = engine.inboundCall({ id: `b-${++ids}` });
      leg.markAnswered();
      return { tap: new SimAudioTap(engine.world, leg, 8000), press: (d) => engine.world.press(leg.info.id, d) };
    },
    bot(b) {
      const url = `wss://bot${++ids}.sim.invalid/`;
      const messages = b.speak
        ? [
            { at: b.speak.afterMs, event: 'media' as const, ms: b.speak.ms },
            { at: b.speak.afterMs, event: 'mark' as const, name: b.speak.mark },
          ]
        : [];
      bots.push({ url, messages, ...(b.unreachable ? { unreachable: true } : {}), ...(b.closeAfterMs === undefined ? {} : { closeAt: b.closeAfterMs }) });
      const seen = () => {
        const msgs = engine.record.bots.filter((r) => r.url === url).flatMap((r) => r.messages.filter((m) => m.from === 'caller'));
        return { marks: msgs.filter((m) => m.event === 'mark').map((m) => m.name ?? ''), digits: msgs.filter((m) => m.event === 'dtmf').map((m) => m.digit ?? '') };
      };
      return Promise.resolve({ url, seen });
    },
    pass: (ms) => engine.clock.advance(ms),
    settle: (p) => engine.clock.run(p),
    close: () => engine.close(),
  };
});

// The simulated Http port on real time, so the shared suite's real-time aborts and delays mean the same thing.
describeHttpContract('simulated', async (routes) => {
  const world = new SimWorld(systemClock, {
    http: routes.map((r) => ({
      method: r.method,
      url: r.path,
      sequence: r.sequence.map((s) => (s === 'drop' ? { error: 'network' as const } : { status: s.status, body: s.body, ...(s.delayMs ? { delay: s.delayMs } : {}), ...(s.headers ? { headers: s.headers } : {}) })),
    })),
  });
  return {
    http: createSimHttp(world, { backoffMs: 10 }),
    baseUrl: 'http://sim.invalid',
    seen: () => world.record.http.map((r) => ({ method: r.method, path: new URL(r.url).pathname, headers: r.headers, body: r.body })),
    close: () => Promise.resolve(),
  };
});

// The simulated engine's store is the memory store; the contract runs it on real time for its TTL checks.
describeStoreContract('simulated engine (memory store)', () => Promise.resolve(createMemoryStore({ sweepMs: 50 })));
describeBusContract('simulated engine (memory bus)', () => Promise.resolve(createMemoryBus()));
