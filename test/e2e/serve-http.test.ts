/**
 * callflow serve over real HTTP: a flow's REST trigger answers with its `respond` body, bad requests get 400
 * naming the field, the generic API validates its input and answers 404 for unknown calls and flows, auth
 * answers 401 with JSON, and the health, metrics and OpenAPI endpoints work.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portBlock } from './support/ports.js';
import { startServer, type TestServer } from './support/server.js';

const FLOWS = fileURLToPath(new URL('./fixtures/serve', import.meta.url));
const ports = portBlock(15840);

describe('callflow serve: HTTP', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer({ flowsDir: FLOWS, rtp: ports.rtp });
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('runs a REST trigger and answers with the flow’s respond body', async () => {
    const res = await srv.api('POST', '/hello/world', { name: 'Ada' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ greeting: 'Hello, Ada', who: 'world', times: 1 });
  });

  it('answers 400 naming the field when a REST trigger gets a bad body', async () => {
    const missing = await srv.api('POST', '/hello/world', { times: 2 });
    expect(missing.status).toBe(400);
    expect(missing.body.field).toBe('name');
    expect(String(missing.body.message)).toMatch(/name/);
    const wrongType = await srv.api('POST', '/hello/world', { name: 42 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.field).toBe('name');
    const malformed = await srv.api('POST', '/hello/world', '{"name": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: 'invalid JSON', field: 'body' });
  });

  it('validates POST /v1/calls, naming the field', async () => {
    const noTo = await srv.api('POST', '/v1/calls', { flow: 'outbound-hello' });
    expect(noTo.status).toBe(400);
    expect(noTo.body.field).toBe('to');
    const badType = await srv.api('POST', '/v1/calls', {
      flow: 'outbound-hello',
      to: 'sip:x@127.0.0.1',
      timeout: 'soon',
    });
    expect(badType.status).toBe(400);
    expect(badType.body.field).toBe('timeout');
    const malformed = await srv.api('POST', '/v1/calls', '{"flow":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.field).toBe('body');
    const unknownFlow = await srv.api('POST', '/v1/calls', { flow: 'no-such-flow', to: 'sip:x@127.0.0.1' });
    expect(unknownFlow.status).toBe(404);
    expect(unknownFlow.body.field).toBe('flow');
    const noStart = await srv.api('POST', '/v1/calls', { flow: 'hello-api', to: 'sip:x@127.0.0.1' });
    expect(noStart.status).toBe(400);
    expect(noStart.body.field).toBe('flow');
  });

  it('answers 404 for an unknown call id on GET and DELETE', async () => {
    const get = await srv.api('GET', '/v1/calls/does-not-exist');
    expect(get.status).toBe(404);
    expect(get.body.field).toBe('id');
    const del = await srv.api('DELETE', '/v1/calls/does-not-exist');
    expect(del.status).toBe(404);
  });

  it('answers 401 with a JSON body without credentials', async () => {
    const res = await fetch(`${srv.httpUrl}/v1/calls`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('lists the loaded flows with versions and entries', async () => {
    const res = await srv.api('GET', '/v1/flows');
    expect(res.status).toBe(200);
    const flows = res.body.flows as Array<{
      name: string;
      version: string;
      entries: Array<{ describe: string }>;
    }>;
    const names = flows.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining(['hello-api', 'hold-line', 'outbound-hello', 'pin-ivr', 'kv-api']),
    );
    const hello = flows.find((f) => f.name === 'hello-api');
    expect(hello?.version).toMatch(/^\d+-[0-9a-f]{7}$/);
    expect(hello?.entries[0]?.describe).toBe('http POST /hello/:who');
    expect(res.body.problems).toEqual([]);
  });

  it('serves health, readiness, metrics and an OpenAPI document with the flow routes', async () => {
    expect((await fetch(`${srv.httpUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${srv.httpUrl}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${srv.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(
      /callflow_sessions_total\{flow="hello-api",kind="http",outcome="completed"\} \d+/,
    );
    expect(metrics).toMatch(/callflow_http_request_duration_seconds_count/);
    const doc = (await (await fetch(`${srv.httpUrl}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/calls', '/hello/{who}', '/kv/{key}']),
    );
    const ui = (await (await fetch(`${srv.httpUrl}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(ui.paths)).toContain('/hello/{who}');
    expect((await fetch(`${srv.httpUrl}/docs`)).status).toBeLessThan(400);
  });

  it('never writes credentials to the log', async () => {
    const basic = Buffer.from('test:secret').toString('base64');
    await srv.api('GET', '/v1/calls', undefined, { authorization: `Basic ${basic}` });
    await srv.api('POST', '/hello/x', { name: 'Eve' }, { authorization: 'Bearer test-key' });
    const text = JSON.stringify(srv.logs);
    expect(srv.logs.length).toBeGreaterThan(0);
    expect(text).not.toContain('test-key');
    expect(text).not.toContain(basic);
  });
});
