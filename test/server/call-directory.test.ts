/** Two nodes' call directories on the real Redis: a call on node A is listed, read and hung up through node B. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallDirectory, type LocalCalls } from '../../src/server/cluster/call-directory.js';
import type { CallDetail } from '../../src/server/http/api-types.js';
import { createRedisBus, createRedisStore } from '../../src/store/index.js';
import type { Bus, Store } from '../../src/ports/store.js';

const REDIS = process.env.CALLFLOW_TEST_REDIS ?? 'redis://127.0.0.1:6379/0';

function localCalls(calls: CallDetail[]): LocalCalls & { hungUp: string[] } {
  const hungUp: string[] = [];
  return {
    hungUp,
    list: () => calls,
    get: (id) => calls.find((c) => c.id === id),
    hangup: async (id) => {
      const i = calls.findIndex((c) => c.id === id);
      if (i < 0) return false;
      calls.splice(i, 1);
      hungUp.push(id);
      return true;
    },
  };
}

describe('CallDirectory across two nodes on Redis', () => {
  const prefix = `callflow-test-dir-${process.pid}-${Date.now()}:`;
  const opened: Array<Store | Bus> = [];
  let a: CallDirectory;
  let b: CallDirectory;
  const callsA = localCalls([
    { id: 'call-a1', flow: 'ivr', version: 'v1', node: 'A', direction: 'inbound', from: '1', to: '2', state: 'menu', startedAt: new Date().toISOString(), trace: [{ type: 'state.enter', state: 'menu' }] },
  ]);
  const callsB = localCalls([]);

  beforeAll(async () => {
    const open = async (): Promise<{ store: Store; bus: Bus }> => {
      const store = await createRedisStore(REDIS, { prefix });
      const bus = await createRedisBus(REDIS, { prefix });
      opened.push(store, bus);
      return { store, bus };
    };
    a = new CallDirectory({ ...(await open()), nodeId: 'A', local: callsA });
    b = new CallDirectory({ ...(await open()), nodeId: 'B', local: callsB });
    await a.start();
    await b.start();
    await a.register(callsA.list()[0] as CallDetail);
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
    await Promise.all(opened.map((x) => x.close()));
  });

  it('lists the other node’s calls', async () => {
    const list = await b.list();
    expect(list.map((c) => [c.id, c.node])).toEqual([['call-a1', 'A']]);
  });

  it('reads a remote call’s live detail from its node', async () => {
    const detail = await b.get('call-a1');
    expect(detail?.state).toBe('menu');
    expect(detail?.trace).toEqual([{ type: 'state.enter', state: 'menu' }]);
    expect(await b.get('nope')).toBeUndefined();
  });

  it('hangs up a remote call through its node', async () => {
    expect(await b.hangup('call-a1')).toBe(true);
    expect(callsA.hungUp).toEqual(['call-a1']);
    expect(await b.hangup('call-a1')).toBe(false);
  });
});
