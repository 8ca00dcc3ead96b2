/**
 * The Agora-style gateway on two `callflow serve` nodes sharing one Redis: a call placed by `outbound` on
 * node A is ended by `endcall` sent to node B, and a PIN allocated by node A is cancelled through node B.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioDir, uasScenario } from './agora-sipp.js';
import { portBlock } from './support/ports.js';
import { startServer, type ApiAnswer, type TestServer } from './support/server.js';
import { runSipp, settle } from './support/sipp.js';

const FLOWS = fileURLToPath(new URL('../../flows/agora', import.meta.url));
const ports = portBlock(16160);
const REDIS = 'redis://127.0.0.1:6379';
const BASIC = `Basic ${Buffer.from('test:secret').toString('base64')}`;
/** Short-lived PINs, so nothing the test allocates outlives it in the shared Redis for long. */
const FLOW_CONFIG = { 'agora-pstn': { dids: { AREA_CODE_NA: ['17377583411'] }, pin_ttl_seconds: 60 } };

describe('bundled flow agora-pstn on two nodes sharing Redis', () => {
  let a: TestServer;
  let b: TestServer;
  const scenarios = scenarioDir();
  const prefix = `callflow-agora-e2e-${randomUUID()}:`;

  beforeAll(async () => {
    // The two nodes split the block's RTP range.
    a = await startServer({
      flowsDir: FLOWS,
      rtp: { min: ports.rtp.min, max: ports.rtp.min + 7 },
      storePrefix: prefix,
      config: { store: REDIS, nodeId: 'agora-a', flowConfig: FLOW_CONFIG },
    });
    b = await startServer({
      flowsDir: FLOWS,
      rtp: { min: ports.rtp.min + 8, max: ports.rtp.max },
      storePrefix: prefix,
      config: { store: REDIS, nodeId: 'agora-b', flowConfig: FLOW_CONFIG },
    });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    scenarios.cleanup();
  });

  const pstn = (node: TestServer, body: unknown): Promise<ApiAnswer> =>
    node.api('POST', '/v1/api/pstn', body, { authorization: BASIC });

  /** A SIPp UAS on slot `n` that answers, and an outbound call to it placed through node A. */
  async function outboundFromA(n: number, name: string, to: string): Promise<{ uas: ReturnType<typeof runSipp>; res: ApiAnswer }> {
    const uas = runSipp({
      scenario: scenarios.write(name, uasScenario({ keys: '', afterMs: 0 })),
      port: ports.sipp(n),
      mediaPort: ports.media(n),
      timeoutSec: 30,
    });
    await settle();
    const res = await pstn(a, {
      action: 'outbound',
      appid: 'app1',
      channel: 'c',
      region: 'AREA_CODE_NA',
      prompt: 'false',
      to,
      from: '+1800222333',
      sip: `127.0.0.1:${ports.sipp(n)}`,
    });
    expect(res.body.success).toBe(true);
    return { uas, res };
  }

  it('endcall on node B ends the outbound call node A placed', async () => {
    const { uas, res } = await outboundFromA(0, 'uas', '+14155550130');
    // The callid is a leg id, not a session id: node B's API still finds the call on node A.
    const seen = await b.api('GET', `/v1/calls/${String(res.body.callid)}`);
    expect(seen).toMatchObject({ status: 200, body: { node: 'agora-a', flow: 'agora-pstn' } });
    const end = await pstn(b, { action: 'endcall', appid: 'app1', callid: res.body.callid });
    expect(end).toMatchObject({ status: 200, body: { success: true } });
    const result = await uas.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
  });

  it('DELETE /v1/calls/<callid> on node B hangs up the outbound call node A placed', async () => {
    const { uas, res } = await outboundFromA(1, 'uas-delete', '+14155550131');
    const callid = String(res.body.callid);
    expect((await b.api('DELETE', `/v1/calls/${callid}`)).status).toBe(200);
    const result = await uas.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    expect((await pstn(b, { action: 'endcall', appid: 'app1', callid })).status).toBe(404);
  });

  it('a PIN allocated through node A is unique cluster-wide and cancelled through node B', async () => {
    const first = await pstn(a, { action: 'inbound', appid: 'app1', channel: 'c1', region: 'AREA_CODE_NA' });
    const second = await pstn(b, { action: 'inbound', appid: 'app1', channel: 'c2', region: 'AREA_CODE_NA' });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body.pin).not.toBe(first.body.pin);
    const cancel = await pstn(b, {
      action: 'cancelcall',
      appid: 'app1',
      did: first.body.did,
      pin: first.body.pin,
    });
    expect(cancel).toMatchObject({ status: 200, body: { success: true } });
    expect(
      (await pstn(a, { action: 'cancelcall', appid: 'app1', did: first.body.did, pin: first.body.pin }))
        .status,
    ).toBe(404);
  });
});
