/**
 * callflow serve with real SIPp and real HTTP: an inbound call routed to a flow that answers, prompts,
 * collects a PIN (SIPp's RFC 4733 pcaps), looks it up on a local HTTP server and hangs up, with the trace
 * showing each step; 404 when no flow matches; `POST /v1/calls` originating into a flow; a call listed by
 * `GET /v1/calls` and ended by `DELETE /v1/calls/{id}`.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpStub, type HttpStub } from './support/http-stub.js';
import { portBlock } from './support/ports.js';
import { startServer, until, type TestServer } from './support/server.js';
import { e2eScenario, runSipp, settle } from './support/sipp.js';

const FLOWS = fileURLToPath(new URL('./fixtures/serve', import.meta.url));
const ports = portBlock(15800);

type Trace = Array<{ type: string; step?: string; outcome?: string; state?: string; cause?: string }>;

describe('callflow serve: calls over SIP', () => {
  let srv: TestServer;
  let pins: HttpStub;
  beforeAll(async () => {
    pins = await startHttpStub((r) => {
      const body = r.body as { pin?: string; did?: string };
      return body.pin === '1234'
        ? { status: 200, body: { room: 'blue' } }
        : { status: 404, body: { error: 'unknown PIN' } };
    });
    srv = await startServer({
      flowsDir: FLOWS,
      rtp: ports.rtp,
      config: { flowConfig: { 'pin-ivr': { pin_url: `${pins.url}/pin` } } },
    });
  });
  afterAll(async () => {
    await srv?.stop();
    await pins?.close();
  });

  async function trace(id: string): Promise<Trace> {
    const res = await srv.api('GET', `/v1/calls/${id}`);
    expect(res.status).toBe(200);
    return res.body.trace as Trace;
  }

  it('(a) routes an inbound call to its flow: answer, prompt, DTMF PIN, HTTP lookup, hangup', async () => {
    const sipp = runSipp({
      scenario: e2eScenario('uac-dtmf'),
      port: ports.sipp(0),
      mediaPort: ports.media(0),
      remote: srv.sipTarget,
      service: '+15550100',
      timeoutSec: 40,
    });
    const result = await sipp.done;
    const routed = await srv.waitForLog((l) => l.msg === 'call routed to flow' && l.flow === 'pin-ivr', 1000);
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    expect(pins.requests).toHaveLength(1);
    expect(pins.requests[0]?.body).toEqual({ did: '+15550100', pin: '1234' });
    const id = String(routed.session);
    await until(async () => (await trace(id)).some((e) => e.type === 'session.end'), 'the session to end');
    const events = await trace(id);
    const done = events.filter((e) => e.type === 'step.done').map((e) => `${e.step}:${e.outcome}`);
    expect(done).toEqual(
      expect.arrayContaining(['answer:ok', 'prompt:done', 'collect-pin:ok', 'lookup:found', 'log:ok']),
    );
    expect(events.map((e) => e.type)).toContain('call.hangup');
    expect(srv.logs.some((l) => l.event === 'session.end' && l.session === id)).toBe(true);
  });

  it('answers 404 when no flow matches the called number, with a log line', async () => {
    const result = await runSipp({
      scenario: e2eScenario('uac-rejected-404'),
      port: ports.sipp(1),
      mediaPort: ports.media(1),
      remote: srv.sipTarget,
      service: '+19990000',
    }).done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    const line = await srv.waitForLog((l) => /no flow matches/.test(l.msg));
    expect(line.to).toBe('+19990000');
  });

  it('answers 500 when the flow fails before answering, and logs the trace', async () => {
    const result = await runSipp({
      scenario: e2eScenario('uac-rejected-500'),
      port: ports.sipp(5),
      mediaPort: ports.media(1),
      remote: srv.sipTarget,
      service: '+15550500',
    }).done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    const line = await srv.waitForLog((l) => l.msg === 'flow failed' && l.flow === 'broken-start');
    expect(String(line.error)).toMatch(/division by zero/);
    expect(String(line.trace)).toMatch(/broken-start\.flow:9:\d+/);
  });

  it('(b) POST /v1/calls originates a call to a SIPp UAS and the flow runs on it', async () => {
    const uas = runSipp({
      scenario: e2eScenario('uas-answer'),
      port: ports.sipp(2),
      mediaPort: ports.media(2),
      timeoutSec: 30,
    });
    await settle();
    const res = await srv.api('POST', '/v1/calls', {
      flow: 'outbound-hello',
      to: `sip:bob@127.0.0.1:${ports.sipp(2)}`,
      params: { greeting: 'Hello Bob' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ flow: 'outbound-hello', direction: 'outbound', state: 'dialing' });
    const id = String(res.body.id);
    const result = await uas.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    await until(
      async () => (await trace(id)).some((e) => e.type === 'session.end'),
      'the originated session to end',
    );
    const events = await trace(id);
    expect(events.filter((e) => e.type === 'step.done').map((e) => `${e.step}:${e.outcome}`)).toEqual([
      'prompt:done',
      'log:ok',
    ]);
    expect(srv.logs.some((l) => l.event === 'session.start' && l.session === id)).toBe(true);
  });

  it('(c) DELETE /v1/calls/{id} hangs up an originated call (BYE reaches the far end)', async () => {
    const uas = runSipp({
      scenario: e2eScenario('uas-answer'),
      port: ports.sipp(3),
      mediaPort: ports.media(3),
      timeoutSec: 30,
    });
    await settle();
    const res = await srv.api('POST', '/v1/calls', {
      flow: 'hold-line',
      to: `sip:carol@127.0.0.1:${ports.sipp(3)}`,
    });
    expect(res.status).toBe(201);
    const id = String(res.body.id);
    await until(async () => {
      const list = await srv.api('GET', '/v1/calls');
      return (list.body.calls as Array<{ id: string; state: string }>).some(
        (c) => c.id === id && c.state === 'outbound',
      );
    }, 'the call to be answered and running');
    const del = await srv.api('DELETE', `/v1/calls/${id}`);
    expect(del.status).toBe(200);
    const result = await uas.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    await until(
      async () =>
        !((await srv.api('GET', '/v1/calls')).body.calls as Array<{ id: string }>).some((c) => c.id === id),
      'the call to leave the list',
    );
    const events = await trace(id);
    expect(events.at(-1)).toMatchObject({ type: 'session.end', cause: 'local-hangup' });
  });

  it('lists an inbound call and hangs it up through the API', async () => {
    const sipp = runSipp({
      scenario: e2eScenario('uac-wait-bye'),
      port: ports.sipp(4),
      mediaPort: ports.media(0),
      remote: srv.sipTarget,
      service: '+15550200',
      timeoutSec: 30,
    });
    const routed = await srv.waitForLog(
      (l) => l.msg === 'call routed to flow' && l.flow === 'hold-line',
      15_000,
    );
    const id = String(routed.session);
    await until(async () => {
      const list = await srv.api('GET', '/v1/calls');
      return (list.body.calls as Array<{ id: string; direction: string; state: string }>).some(
        (c) => c.id === id && c.direction === 'inbound' && c.state === 'hold',
      );
    }, 'the inbound call in GET /v1/calls');
    expect((await srv.api('DELETE', `/v1/calls/${id}`)).status).toBe(200);
    const result = await sipp.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
  });

  it('records a busy far end on an originated call', async () => {
    const uas = runSipp({
      scenario: e2eScenario('uas-busy'),
      port: ports.sipp(2),
      mediaPort: ports.media(2),
      timeoutSec: 20,
    });
    await settle();
    const res = await srv.api('POST', '/v1/calls', {
      flow: 'outbound-hello',
      to: `sip:busy@127.0.0.1:${ports.sipp(2)}`,
      params: { greeting: 'x' },
    });
    expect(res.status).toBe(201);
    const id = String(res.body.id);
    await until(
      async () => (await srv.api('GET', `/v1/calls/${id}`)).body.state === 'failed: busy',
      'the busy outcome',
    );
    const result = await uas.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
  });

  it('counts calls by flow and outcome, and ingress results, in /metrics', async () => {
    const text = await (await fetch(`${srv.httpUrl}/metrics`)).text();
    expect(text).toMatch(/callflow_sessions_total\{flow="pin-ivr",kind="call",outcome="local-hangup"\} 1/);
    expect(text).toMatch(/callflow_sessions_total\{flow="broken-start",kind="call",outcome="error"\} 1/);
    expect(text).toMatch(/callflow_sip_ingress_total\{result="not-found"\} 1/);
    expect(text).toMatch(/callflow_step_duration_seconds_count\{step="collect-pin",outcome="ok"\} 1/);
  });
});
