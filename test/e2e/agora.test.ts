/**
 * The bundled Agora-style gateway (flows/agora) end to end: real HTTP requests to POST /v1/api/pstn on a
 * `callflow serve` server, SIPp as the phones (PINs sent as RFC 4733 events), a local HTTP server as the
 * customer's static-PIN endpoint. One test per action, plus the error statuses.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioDir, uacScenario, uasScenario } from './agora-sipp.js';
import { startHttpStub, type HttpStub } from './support/http-stub.js';
import { portBlock } from './support/ports.js';
import { startServer, until, type ApiAnswer, type TestServer } from './support/server.js';
import { runSipp, settle } from './support/sipp.js';

const FLOWS = fileURLToPath(new URL('../../flows/agora', import.meta.url));
const ports = portBlock(16000);
/** The server's SIP port is fixed (outside the block's SIPp and RTP ports) so `sip_address` can name it. */
const SIP_PORT = 16100;
const DID = '17377583411';
const BASIC = `Basic ${Buffer.from('test:secret').toString('base64')}`;
const APPID = 'fs9f52d9dcc1f406b93d97ff1f43c554f';

interface LiveCall {
  id: string;
  flow: string;
  state?: string;
  step?: string;
  direction?: string;
}

describe('bundled flow agora-pstn: POST /v1/api/pstn end to end', () => {
  let srv: TestServer;
  let pins: HttpStub;
  const scenarios = scenarioDir();

  beforeAll(async () => {
    pins = await startHttpStub((r) => {
      const body = r.body as { pin?: string };
      return body.pin === '271828'
        ? { status: 200, body: { token: 'tok-static', uid: '55', channel: 'static-room', appid: APPID } }
        : { status: 404, body: { error: 'unknown PIN' } };
    });
    srv = await startServer({
      flowsDir: FLOWS,
      rtp: ports.rtp,
      config: {
        sip: { host: '127.0.0.1', port: SIP_PORT, transports: ['udp', 'tcp'] },
        flowConfig: {
          'agora-pstn': {
            dids: { AREA_CODE_NA: [DID] },
            sip_address: `127.0.0.1:${SIP_PORT}`,
            static_pin_url: `${pins.url}/api/pinlookup`,
            prompt_welcome: 'Hi.',
            prompt_pin: 'Your PIN please.',
            prompt_joining: 'Joining.',
            prompt_wrong_pin: 'Wrong PIN.',
            prompt_outbound: 'Press 1 to join.',
            ring_timeout_seconds: 3,
          },
        },
      },
    });
  });
  afterAll(async () => {
    await srv?.stop();
    await pins?.close();
    scenarios.cleanup();
  });

  const pstn = (body: unknown, auth: string | null = BASIC): Promise<ApiAnswer> =>
    srv.api('POST', '/v1/api/pstn', body, auth === null ? { authorization: '' } : { authorization: auth });

  async function liveCalls(): Promise<LiveCall[]> {
    const res = await srv.api('GET', '/v1/calls');
    return (res.body.calls as LiveCall[] | undefined) ?? [];
  }

  /** Wait until a live agora-pstn call sits in `state` running `step`. */
  async function callIn(
    state: string,
    step: string,
    pred: (c: LiveCall) => boolean = () => true,
  ): Promise<LiveCall> {
    let found: LiveCall | undefined;
    await until(
      async () => {
        found = (await liveCalls()).find(
          (c) => c.flow === 'agora-pstn' && c.state === state && c.step === step && pred(c),
        );
        return found !== undefined;
      },
      `a call in ${state}/${step}`,
      20_000,
    );
    return found as LiveCall;
  }

  it('answers 401 without Basic credentials, 500 Missing Parameters naming the fields, 400 for an unknown action, 503 without DIDs', async () => {
    const none = await pstn({ action: 'inbound', appid: APPID, channel: 'c', region: 'AREA_CODE_NA' }, null);
    expect(none.status).toBe(401);
    const wrong = await pstn({ action: 'inbound' }, `Basic ${Buffer.from('test:nope').toString('base64')}`);
    expect(wrong.status).toBe(401);
    const missing = await pstn({ action: 'inbound', appid: APPID });
    expect(missing.status).toBe(500);
    expect(missing.body).toEqual({ error: 'Missing Parameters', missing: ['channel', 'region'] });
    const badAction = await pstn({ action: 'dance', appid: APPID });
    expect(badAction.status).toBe(400);
    expect(badAction.body).toMatchObject({ error: 'Invalid Parameters' });
    const noDid = await pstn({ action: 'inbound', appid: APPID, channel: 'c', region: 'AREA_CODE_JP' });
    expect(noDid.status).toBe(503);
    expect(noDid.body).toEqual({ error: 'No resource currently available' });
  });

  it('inbound: allocates DID + PIN; a caller dials the DID, keys the PIN (RFC 4733) and joins the channel', async () => {
    const res = await pstn({
      action: 'inbound',
      appid: APPID,
      token: 'tok1',
      uid: '123',
      channel: 'pstn',
      region: 'AREA_CODE_NA',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ did: DID, display: '+1 (737) 758 3411' });
    const pin = String(res.body.pin);
    expect(pin).toMatch(/^\d{6}$/);
    const xml = uacScenario({ keys: [{ afterMs: 1500, keys: `${pin}#` }], end: { hangupAfterMs: 7000 } });
    const sipp = runSipp({
      scenario: scenarios.write('inbound', xml),
      port: ports.sipp(0),
      mediaPort: ports.media(0),
      remote: srv.sipTarget,
      service: DID,
      timeoutSec: 40,
    });
    const joined = await callIn('join', 'bridge-to-channel');
    expect(joined.direction).toBe('inbound');
    const trace = (await srv.api('GET', `/v1/calls/${joined.id}`)).body.trace as Array<{
      type: string;
      step?: string;
      outcome?: string;
    }>;
    expect(
      trace.filter((e) => e.type === 'step.done' && e.step === 'collect-pin').map((e) => e.outcome),
    ).toEqual(['ok']);
    const result = await sipp.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
  });

  it('outbound prompt=true: the callee answers, presses 1 and joins; the API answers success with a callid; endcall ends it', async () => {
    const uas = runSipp({
      scenario: scenarios.write('uas-answer', uasScenario({ keys: '1', afterMs: 2500 })),
      port: ports.sipp(1),
      mediaPort: ports.media(1),
      timeoutSec: 40,
    });
    await settle();
    const res = await pstn({
      action: 'outbound',
      appid: APPID,
      uid: '9',
      channel: 'pstn',
      region: 'AREA_CODE_NA',
      prompt: 'true',
      to: '+14155550123#1',
      from: '+1800222333',
      timeout: '120',
      sip: `127.0.0.1:${ports.sipp(1)}`,
    });
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    const callid = String(res.body.callid);
    expect(callid.length).toBeGreaterThan(0);
    const live = await callIn('join_out', 'bridge-to-channel', (c) => c.direction === 'outbound');
    const trace = (await srv.api('GET', `/v1/calls/${live.id}`)).body.trace as Array<{
      type: string;
      step?: string;
      outcome?: string;
      state?: string;
    }>;
    const steps = trace.filter((e) => e.type === 'step.done').map((e) => `${e.step}:${e.outcome}`);
    expect(steps).toEqual(['send-dtmf:sent', 'prompt:digit']);
    const end = await pstn({ action: 'endcall', appid: APPID, callid });
    expect(end).toMatchObject({ status: 200, body: { success: true } });
    const result = await uas.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    const again = await pstn({ action: 'endcall', appid: APPID, callid });
    expect(again.status).toBe(404);
  });

  it('outbound prompt=lazy joins on any key; prompt=true with another key than 1 says goodbye and hangs up', async () => {
    const lazy = runSipp({
      scenario: scenarios.write('uas-lazy', uasScenario({ keys: '7', afterMs: 2500 })),
      port: ports.sipp(5),
      mediaPort: ports.media(1),
      timeoutSec: 40,
    });
    await settle();
    const res = await pstn({
      action: 'outbound',
      appid: APPID,
      channel: 'pstn',
      region: 'AREA_CODE_NA',
      prompt: 'lazy',
      to: '+14155550125',
      from: '+1800222333',
      sip: `127.0.0.1:${ports.sipp(5)}`,
    });
    expect(res.body.success).toBe(true);
    await callIn('join_out', 'bridge-to-channel', (c) => c.direction === 'outbound');
    expect(await pstn({ action: 'endcall', appid: APPID, callid: res.body.callid })).toMatchObject({
      status: 200,
    });
    expect((await lazy.done).code).toBe(0);

    const strict = runSipp({
      scenario: scenarios.write('uas-strict', uasScenario({ keys: '2', afterMs: 2500 })),
      port: ports.sipp(5),
      mediaPort: ports.media(1),
      timeoutSec: 40,
    });
    await settle();
    const res2 = await pstn({
      action: 'outbound',
      appid: APPID,
      channel: 'pstn',
      region: 'AREA_CODE_NA',
      prompt: 'true',
      to: '+14155550126',
      from: '+1800222333',
      sip: `127.0.0.1:${ports.sipp(5)}`,
    });
    expect(res2.body.success).toBe(true);
    // The flow itself hangs up (BYE) after the goodbye: SIPp ends cleanly without any endcall.
    const result = await strict.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    expect(await pstn({ action: 'endcall', appid: APPID, callid: res2.body.callid })).toMatchObject({
      status: 404,
    });
  });

  it('outbound to a busy callee answers success false with reason busy', async () => {
    const uas = runSipp({
      scenario: scenarios.write('uas-busy', uasScenario({ reject: 486 })),
      port: ports.sipp(2),
      mediaPort: ports.media(2),
      timeoutSec: 20,
    });
    await settle();
    const res = await pstn({
      action: 'outbound',
      appid: APPID,
      channel: 'pstn',
      region: 'AREA_CODE_NA',
      prompt: 'false',
      to: '+14155550124',
      from: '+1800222333',
      sip: `127.0.0.1:${ports.sipp(2)}`,
    });
    expect(res).toMatchObject({ status: 200, body: { success: false, reason: 'busy' } });
    const result = await uas.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
  });

  it('outbound that nobody answers answers success false with reason no-answer', async () => {
    const uas = runSipp({
      scenario: scenarios.write('uas-ring', uasScenario('ring')),
      port: ports.sipp(2),
      mediaPort: ports.media(2),
      timeoutSec: 20,
    });
    await settle();
    const res = await pstn({
      action: 'outbound',
      appid: APPID,
      channel: 'pstn',
      region: 'AREA_CODE_NA',
      prompt: 'false',
      to: '+14155550127',
      from: '+1800222333',
      sip: `127.0.0.1:${ports.sipp(2)}`,
    });
    expect(res).toMatchObject({ status: 200, body: { success: false, reason: 'no-answer' } });
    const result = await uas.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
  });

  it('inboundsip: the returned SIP URI lands the caller in the channel; cancelcall by sip hangs it up', async () => {
    const res = await pstn({
      action: 'inboundsip',
      appid: APPID,
      token: 'tok2',
      uid: '7',
      channel: 'sip-room',
      region: 'AREA_CODE_NA',
    });
    expect(res.status).toBe(200);
    const uri = String(res.body.sip);
    const m = /^sip:(lookup_\d{12})@127\.0\.0\.1:(\d+)$/.exec(uri);
    expect(m, uri).not.toBeNull();
    expect(Number(m?.[2])).toBe(SIP_PORT);
    const sipp = runSipp({
      scenario: scenarios.write('inboundsip', uacScenario({ keys: [], end: 'wait-bye' })),
      port: ports.sipp(3),
      mediaPort: ports.media(3),
      remote: srv.sipTarget,
      service: m?.[1] ?? '',
      timeoutSec: 40,
    });
    await callIn('join', 'bridge-to-channel');
    const cancel = await pstn({ action: 'cancelcall', appid: APPID, sip: uri });
    expect(cancel).toMatchObject({ status: 200, body: { success: true } });
    const result = await sipp.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    const again = await pstn({ action: 'cancelcall', appid: APPID, sip: uri });
    expect(again.status).toBe(404);
  });

  it('inboundsip: a retargeted call (To header still the original number, Request-URI the lookup address) joins the channel', async () => {
    const res = await pstn({ action: 'inboundsip', appid: APPID, token: 'tok3', uid: '8', channel: 'retarget-room', region: 'AREA_CODE_NA' });
    expect(res.status).toBe(200);
    const uri = String(res.body.sip);
    const user = /^sip:(lookup_\d{12})@/.exec(uri)?.[1] ?? '';
    expect(user).not.toBe('');
    const sipp = runSipp({
      scenario: scenarios.write('retarget', uacScenario({ keys: [], end: 'wait-bye', toUser: DID })),
      port: ports.sipp(3),
      mediaPort: ports.media(3),
      remote: srv.sipTarget,
      service: user,
      timeoutSec: 40,
    });
    await callIn('join', 'bridge-to-channel');
    expect(await pstn({ action: 'cancelcall', appid: APPID, sip: uri })).toMatchObject({ status: 200 });
    const result = await sipp.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
  });

  it('static PIN: a 404 from the customer endpoint reprompts, a 200 joins the returned channel', async () => {
    const before = pins.requests.length;
    const xml = uacScenario({
      keys: [
        { afterMs: 1500, keys: '918273#' },
        { afterMs: 5000, keys: '271828#' },
      ],
      end: { hangupAfterMs: 7000 },
    });
    const sipp = runSipp({
      scenario: scenarios.write('static', xml),
      port: ports.sipp(4),
      mediaPort: ports.media(0),
      remote: srv.sipTarget,
      service: '17177440111',
      timeoutSec: 40,
    });
    await callIn('join', 'bridge-to-channel');
    const result = await sipp.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    const asked = pins.requests.slice(before).map((r) => r.body);
    expect(asked, JSON.stringify(asked)).toEqual([
      { did: '17177440111', pin: '918273' },
      { did: '17177440111', pin: '271828' },
    ]);
  });

  it('endcall of an unknown callid is 404; cancelcall by DID + PIN frees the PIN', async () => {
    const unknown = await pstn({ action: 'endcall', appid: APPID, callid: 'no-such-call' });
    expect(unknown).toMatchObject({ status: 404, body: { success: false } });
    const res = await pstn({ action: 'inbound', appid: APPID, channel: 'cancel-me', region: 'AREA_CODE_NA' });
    expect(res.status).toBe(200);
    const cancel = await pstn({ action: 'cancelcall', appid: APPID, did: res.body.did, pin: res.body.pin });
    expect(cancel).toMatchObject({ status: 200, body: { success: true } });
    const twice = await pstn({ action: 'cancelcall', appid: APPID, did: res.body.did, pin: res.body.pin });
    expect(twice.status).toBe(404);
  });
});

describe('bundled flow agora-pstn: a user flow beside it', () => {
  let srv: TestServer | undefined;
  let dir: string | undefined;
  const scenarios = scenarioDir();
  afterAll(async () => {
    await srv?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    scenarios.cleanup();
  });

  it("a user's catch-all `on call ->` takes the calls the bundled `on call to \"*\"` also matches", async () => {
    dir = mkdtempSync(join(tmpdir(), 'agora-user-'));
    writeFileSync(join(dir, 'mine.flow'), 'flow mine\n  "test"\n\non call -> main\n\nstate main\n  answer\n  wait 1s\n  hangup\n');
    srv = await startServer({
      flowsDir: dir,
      rtp: ports.rtp,
      config: { bundledFlows: true },
      compose: { bundledFlowsDir: fileURLToPath(new URL('../../flows', import.meta.url)) },
    });
    const sipp = runSipp({
      scenario: scenarios.write('user-catch-all', uacScenario({ keys: [], end: 'wait-bye' })),
      port: ports.sipp(0),
      mediaPort: ports.media(0),
      remote: srv.sipTarget,
      service: '+15550100',
      timeoutSec: 30,
    });
    const result = await sipp.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    const routed = await srv.waitForLog((l) => l.flow === 'mine');
    expect(routed.flow).toBe('mine');
  });
});
