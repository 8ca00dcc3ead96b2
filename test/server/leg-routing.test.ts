/**
 * Leg ids across two nodes on the real Redis: a leg node A dials through the routed CallControl is recorded
 * with its owner, so node B can end it (`end-call`) and read it (`GET /v1/calls/:id`) by that id. The
 * engines are stand-ins (the routing logic is under test); store, bus and directory are the real ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallControl, CallLeg, EndCause } from '../../src/ports/call-control.js';
import type { Bus, Store } from '../../src/ports/store.js';
import { CallDirectory, type LocalCalls } from '../../src/server/cluster/call-directory.js';
import { LegOwners } from '../../src/server/cluster/leg-owners.js';
import { routedCallControl } from '../../src/server/cluster/routed-calls.js';
import type { CallDetail } from '../../src/server/http/api-types.js';
import { createRedisBus, createRedisStore } from '../../src/store/index.js';

const REDIS = process.env.CALLFLOW_TEST_REDIS ?? 'redis://127.0.0.1:6379/0';

/** A leg that ends when hung up. */
function fakeLeg(id: string): CallLeg & { causes: EndCause[] } {
  let end: (r: { cause: EndCause }) => void = () => undefined;
  const causes: EndCause[] = [];
  const leg = {
    causes,
    info: { id, direction: 'outbound', from: '1', to: '2', fromUri: '', toUri: '', domain: '', headers: {} },
    state: 'answered' as CallLeg['state'],
    ended: new Promise<{ cause: EndCause }>((r) => (end = r)),
    answer: async () => undefined,
    async hangup(o?: { cause?: EndCause }) {
      if (leg.state === 'ended') return;
      leg.state = 'ended';
      causes.push(o?.cause ?? 'local-hangup');
      end({ cause: o?.cause ?? 'local-hangup' });
    },
    sendDtmf: async () => undefined,
    transfer: async () => 'failed' as const,
  };
  return leg as CallLeg & { causes: EndCause[] };
}

/** One node: an engine holding `legs`, its LegOwners, directory and routed CallControl. */
async function node(nodeId: string, prefix: string, opened: Array<Store | Bus>) {
  const store = await createRedisStore(REDIS, { prefix });
  const bus = await createRedisBus(REDIS, { prefix });
  opened.push(store, bus);
  const legs = new Map<string, CallLeg>();
  const inner: CallControl = {
    dial: async (req) => {
      const leg = fakeLeg(req.to);
      legs.set(leg.info.id, leg);
      return { outcome: 'answered', leg };
    },
    bridge: async () => ({ endedBy: 'aborted' }),
    endCall: async (id, cause) => {
      const leg = legs.get(id);
      if (!leg || leg.state === 'ended') return false;
      await leg.hangup(cause === undefined ? {} : { cause });
      return true;
    },
  };
  const local: LocalCalls = {
    list: () => [],
    get: (id): CallDetail | undefined => {
      const leg = legs.get(id);
      if (!leg || leg.state === 'ended') return undefined;
      const at = new Date().toISOString();
      return { id: `session-of-${id}`, flow: 'f', version: 'v1', node: nodeId, direction: 'outbound', from: '1', to: '2', state: 'talk', startedAt: at, trace: [] };
    },
    hangup: (id) => inner.endCall(id, 'local-hangup'),
  };
  const owners = new LegOwners({ store, nodeId });
  const directory = new CallDirectory({ store, bus, nodeId, local, owners });
  await directory.start();
  owners.start();
  const calls = routedCallControl({ inner, owners, endRemote: (id) => directory.hangup(id) });
  return { owners, directory, calls, legs, stop: async () => (await owners.stop(), await directory.stop()) };
}

describe('leg ids routed across two nodes on Redis', () => {
  const prefix = `callflow-test-legs-${process.pid}-${Date.now()}:`;
  const opened: Array<Store | Bus> = [];
  let a: Awaited<ReturnType<typeof node>>;
  let b: Awaited<ReturnType<typeof node>>;

  beforeAll(async () => {
    a = await node('A', prefix, opened);
    b = await node('B', prefix, opened);
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
    await Promise.all(opened.map((x) => x.close()));
  });

  it('records a dialled leg with its node as soon as the dial resolves', async () => {
    const res = await a.calls.dial({ to: 'leg-1', timeoutMs: 1000 });
    expect(res.outcome).toBe('answered');
    expect(await b.owners.ownerOf('leg-1')).toBe('A');
    expect(await b.owners.ownerOf('leg-unknown')).toBeUndefined();
  });

  it('reads a remote leg by its id through the directory', async () => {
    await a.calls.dial({ to: 'leg-2', timeoutMs: 1000 });
    expect(await b.directory.get('leg-2')).toMatchObject({ id: 'session-of-leg-2', node: 'A', state: 'talk' });
    expect(await b.directory.get('leg-unknown')).toBeUndefined();
  });

  it('ends a remote leg through endCall, then forgets it once it has ended', async () => {
    await a.calls.dial({ to: 'leg-3', timeoutMs: 1000 });
    expect(await b.calls.endCall('leg-3')).toBe(true);
    const leg = a.legs.get('leg-3') as CallLeg & { causes: EndCause[] };
    expect(leg.state).toBe('ended');
    expect(leg.causes).toEqual(['local-hangup']);
    for (let i = 0; i < 50 && (await b.owners.ownerOf('leg-3')) !== undefined; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await b.owners.ownerOf('leg-3')).toBeUndefined();
    expect(await b.calls.endCall('leg-3')).toBe(false);
    expect(await b.calls.endCall('leg-unknown')).toBe(false);
  });

  it('ends a local leg without a round trip', async () => {
    await a.calls.dial({ to: 'leg-4', timeoutMs: 1000 });
    expect(await a.calls.endCall('leg-4', 'shutdown')).toBe(true);
    expect((a.legs.get('leg-4') as CallLeg & { causes: EndCause[] }).causes).toEqual(['shutdown']);
  });
});
