/**
 * (e) Two `callflow serve` nodes sharing one real Redis: a call started on node A is listed, inspected and
 * hung up through node B's REST API (call registry + pub/sub command channel), and flow store data written
 * through one node is read through the other.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portBlock } from './support/ports.js';
import { startServer, until, type TestServer } from './support/server.js';
import { e2eScenario, runSipp, settle, type SippProcess } from './support/sipp.js';

const FLOWS = fileURLToPath(new URL('./fixtures/serve', import.meta.url));
const portsA = portBlock(15920);
const REDIS = 'redis://127.0.0.1:6379';

type Call = { id: string; node: string; flow: string; state: string; direction: string };

describe('callflow serve: two nodes on one Redis', () => {
  let a: TestServer;
  let b: TestServer;
  const sipps: SippProcess[] = [];
  const prefix = `callflow-e2e-${randomUUID()}:`;
  beforeAll(async () => {
    // The two nodes split one port block's RTP range.
    a = await startServer({
      flowsDir: FLOWS,
      rtp: { min: portsA.rtp.min, max: portsA.rtp.min + 7 },
      storePrefix: prefix,
      config: { store: REDIS, nodeId: 'node-a' },
    });
    b = await startServer({
      flowsDir: FLOWS,
      rtp: { min: portsA.rtp.min + 8, max: portsA.rtp.max },
      storePrefix: prefix,
      config: { store: REDIS, nodeId: 'node-b' },
    });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    for (const s of sipps) s.kill();
  });

  it('lists, inspects and hangs up a call on node A through node B', async () => {
    const sipp = runSipp({
      scenario: e2eScenario('uac-wait-bye'),
      port: portsA.sipp(0),
      mediaPort: portsA.media(0),
      remote: a.sipTarget,
      service: '+15550200',
      timeoutSec: 40,
    });
    sipps.push(sipp);
    const routed = await a.waitForLog((l) => l.msg === 'call routed to flow', 15_000);
    const id = String(routed.session);
    let seen: Call | undefined;
    await until(async () => {
      seen = ((await b.api('GET', '/v1/calls')).body.calls as Call[]).find((c) => c.id === id);
      return seen !== undefined;
    }, 'node B to list the call on node A');
    expect(seen).toMatchObject({ node: 'node-a', flow: 'hold-line', direction: 'inbound' });
    await until(
      async () =>
        ((await b.api('GET', '/v1/calls')).body.calls as Call[]).some(
          (c) => c.id === id && c.state === 'hold',
        ),
      'node B’s list to show the call’s current state',
    );
    await until(
      async () => (await b.api('GET', `/v1/calls/${id}`)).body.state === 'hold',
      'node B to see the call in its hold state',
    );
    const detail = await b.api('GET', `/v1/calls/${id}`);
    expect(detail.status).toBe(200);
    expect((detail.body.trace as Array<{ type: string }>).some((e) => e.type === 'state.enter')).toBe(true);

    const del = await b.api('DELETE', `/v1/calls/${id}`);
    expect(del.status).toBe(200);
    const result = await sipp.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    await until(
      async () => !((await b.api('GET', '/v1/calls')).body.calls as Call[]).some((c) => c.id === id),
      'the call to leave the cluster list',
    );
    expect((await b.api('DELETE', `/v1/calls/${id}`)).status).toBe(404);
  });

  it('shares flow store data between the nodes', async () => {
    const key = `k${Date.now()}`;
    const put = await a.api('PUT', `/kv/${key}`, { text: 'shared value' });
    expect(put.status).toBe(200);
    const got = await b.api('GET', `/kv/${key}`);
    expect(got.status).toBe(200);
    expect(got.body.value).toBe('shared value');
    expect((await b.api('GET', '/kv/never-written')).status).toBe(404);
  });

  it('cancels, through node B, a call node A is still dialling', async () => {
    const uas = runSipp({
      scenario: e2eScenario('uas-ring-cancel'),
      port: portsA.sipp(1),
      mediaPort: portsA.media(1),
      timeoutSec: 20,
    });
    sipps.push(uas);
    await settle();
    const res = await a.api('POST', '/v1/calls', {
      flow: 'hold-line',
      to: `sip:ringer@127.0.0.1:${portsA.sipp(1)}`,
      timeout: 20,
    });
    expect(res.status).toBe(201);
    const id = String(res.body.id);
    await until(
      async () =>
        ((await b.api('GET', '/v1/calls')).body.calls as Call[]).some(
          (c) => c.id === id && c.state === 'dialing',
        ),
      'node B to list the dialling call',
    );
    expect((await b.api('DELETE', `/v1/calls/${id}`)).status).toBe(200);
    const result = await uas.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    await until(
      async () => !((await b.api('GET', '/v1/calls')).body.calls as Call[]).some((c) => c.id === id),
      'the cancelled call to leave the cluster list',
    );
  });
});
