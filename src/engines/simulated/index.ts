/**
 * The simulated engine: every port in memory on a virtual clock, driven by a script (see script.ts) and
 * recording what happened (see record.ts). It backs `callflow simulate`, `callflow test` and the step tests.
 */
import type { Bots, CallControl, CallInfo, Http, Media, Store } from '../../ports/index.js';
import { createMemoryStore } from '../../store/memory.js';
import { createSimBots } from './bots.js';
import { SimCallLeg } from './call-leg.js';
import { createSimCallControl } from './call-control.js';
import { SimulatedClock } from './clock.js';
import { createSimHttp } from './http.js';
import { createSimMedia } from './media.js';
import type { SimRecord } from './record.js';
import type { SimScript } from './script.js';
import { SimWorld } from './world.js';

export { SimulatedClock, flushMicrotasks } from './clock.js';
export { SimCallLeg, SimCallEndedError } from './call-leg.js';
export { SimRecord } from './record.js';
export type * from './record.js';
export type * from './script.js';
export { globMatch } from './script.js';
export { SimWorld } from './world.js';

/** The ports of a simulated engine (the same shape as the runtime's Ports). */
export interface SimPorts {
  calls: CallControl;
  media: Media;
  http: Http;
  store: Store;
  bots: Bots;
  clock: SimulatedClock;
}

/** Resources still held, for leak assertions after a step or session ends. */
export interface SimLeaks {
  timers: number;
  legs: string[];
  plays: number;
  listens: number;
  channels: number;
  taps: number;
  bots: number;
}

/** A simulated engine. */
export interface SimulatedEngine {
  readonly clock: SimulatedClock;
  readonly world: SimWorld;
  /** Everything that happened, as data. */
  readonly record: SimRecord;
  readonly ports: SimPorts;
  /** A caller's inbound leg (ringing), with the script's caller actions (digits, hangup) applied to it. */
  inboundCall(info?: Partial<CallInfo>): SimCallLeg;
  /**
   * An outbound leg that has already answered, as `originate` or the API hands it to an `on start` session.
   * The script's caller actions (digits, hangup) are those of the party who answered; `{after: answer}` counts
   * from now.
   */
  answeredCall(info?: Partial<CallInfo>): SimCallLeg;
  /** What is still held: pending timers, open legs (except `exceptLegs`), active media. */
  leaks(exceptLegs?: string[]): SimLeaks;
  close(): Promise<void>;
}

/** Options for a simulated engine. */
export interface SimulatedEngineOptions {
  script?: SimScript;
  clock?: SimulatedClock;
  /** The store to use; default a fresh memory store on the virtual clock. */
  store?: Store;
  /** First retry delay of the simulated Http port (default 200 ms, like the fetch client). */
  httpBackoffMs?: number;
}

/** Create a simulated engine. */
export function createSimulatedEngine(opts: SimulatedEngineOptions = {}): SimulatedEngine {
  const clock = opts.clock ?? new SimulatedClock();
  const world = new SimWorld(clock, opts.script ?? {});
  const store = opts.store ?? createMemoryStore({ now: () => clock.now(), sweepMs: 0 });
  const ports: SimPorts = {
    calls: createSimCallControl(world),
    media: createSimMedia(world),
    http: createSimHttp(world, opts.httpBackoffMs === undefined ? {} : { backoffMs: opts.httpBackoffMs }),
    store,
    bots: createSimBots(world),
    clock,
  };
  let callers = 0;
  /** The far party on `leg` does what the script's `caller` says. */
  const scriptCaller = (leg: SimCallLeg): SimCallLeg => {
    const caller = world.script.caller;
    for (const d of caller?.digits ?? []) world.pressKeys(leg.info.id, d.keys, d, d.gap);
    if (caller?.hangup) world.when(caller.hangup, () => leg.endFromFar());
    return leg;
  };
  return {
    clock,
    world,
    record: world.record,
    ports,
    inboundCall(info = {}) {
      callers++;
      return scriptCaller(new SimCallLeg(callInfo(info, `call-${callers}`, 'inbound'), world));
    },
    answeredCall(info = {}) {
      const leg = new SimCallLeg(callInfo(info, info.id ?? world.newId('leg'), 'outbound'), world);
      leg.markAnswered();
      world.moment('answer');
      return scriptCaller(leg);
    },
    leaks(exceptLegs = []) {
      const a = world.active;
      return { timers: clock.pendingTimers(), legs: world.openLegs(exceptLegs), plays: a.plays, listens: a.listens, channels: a.channels, taps: a.taps, bots: a.bots };
    },
    close: () => store.close(),
  };
}

/** A full CallInfo from the parts a test gives. */
function callInfo(info: Partial<CallInfo>, defaultId: string, direction: CallInfo['direction']): CallInfo {
  const id = info.id ?? defaultId;
  const from = info.from ?? '+15550001';
  const to = info.to ?? '+15550100';
  return {
    id,
    direction,
    from,
    to,
    fromUri: info.fromUri ?? `sip:${from}@sim.invalid`,
    toUri: info.toUri ?? `sip:${to}@sim.invalid`,
    domain: info.domain ?? 'sim.invalid',
    headers: info.headers ?? {},
    ...(info.source === undefined ? {} : { source: info.source }),
    ...(info.trunk === undefined ? {} : { trunk: info.trunk }),
    sipCallId: info.sipCallId ?? `${id}@sim.invalid`,
  };
}
