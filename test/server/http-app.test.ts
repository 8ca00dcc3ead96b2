/**
 * The HTTP layer over real HTTP: auth, validation errors that name the field, flow-route dispatch, OpenAPI.
 * The services behind it are a scripted stand-in here (this tests the HTTP logic); the e2e suites drive the
 * real services.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { createHttpServer } from '../../src/server/http/app.js';
import { FlowRouter, type FlowRoute } from '../../src/server/http/flow-routes.js';
import type { ApiServices, FlowReply, FlowRequest } from '../../src/server/http/api-types.js';
import { createMetrics } from '../../src/server/metrics.js';

const range = { file: 'x.flow', start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const str = { kind: 'base', name: 'string', range } as const;

const pstn: FlowRoute = {
  flow: 'agora',
  version: 'v1',
  entryId: 'http:0',
  method: 'POST',
  path: '/v1/api/pstn',
  auth: 'basic',
  handlesInvalid: true,
  request: [
    { name: 'action', type: { kind: 'union', types: [{ kind: 'literal', value: 'inbound', range }, { kind: 'literal', value: 'outbound', range }], range }, optional: false },
    { name: 'appid', type: str, optional: false },
    { name: 'uid', type: { kind: 'union', types: [str, { kind: 'base', name: 'number', range }], range }, optional: true },
  ],
};
const echo: FlowRoute = { flow: 'echo', version: 'v3', entryId: 'http:0', method: 'POST', path: '/echo/:name', auth: 'bearer', handlesInvalid: false, request: [{ name: 'text', type: str, optional: false }] };

describe('HTTP server', () => {
  let app: FastifyInstance;
  let base: string;
  const seen: FlowRequest[] = [];
  const services: ApiServices = {
    async runFlowRoute(route, request): Promise<FlowReply> {
      seen.push(request);
      const headers: Record<string, string> = {};
      if (request.errors.length > 0) return { status: 500, body: { error: 'Missing Parameters', missing: request.missing }, headers };
      return { status: 200, body: { flow: route.flow, params: request.params, body: request.body }, headers: { 'x-flow': route.flow } };
    },
    listCalls: async () => [],
    getCall: async () => undefined,
    hangupCall: async (id) => id === 'live-1',
    originate: async (b) =>
      b.flow === 'nope'
        ? { ok: false, status: 404, error: 'unknown flow', message: "no flow named 'nope'", field: 'flow' }
        : { ok: true, call: { id: 'c1', flow: b.flow, version: 'v1', node: 'n1', direction: 'outbound', to: b.to, state: 'dialing', startedAt: new Date(0).toISOString() } },
    listFlows: () => [],
    reloadFlows: async () => ({ ok: true, flows: [], rejected: [] }),
    ready: () => true,
  };

  beforeAll(async () => {
    const router = new FlowRouter();
    router.replace([pstn, echo]);
    app = await createHttpServer({
      log: pino({ level: 'silent' }),
      metrics: createMetrics({ sipTransactions: () => 3, sipMalformed: () => 1, rtpStreams: () => 2 }),
      auth: { bearer: ['k3y'], basic: [{ username: 'acme', password: 's3cret' }] },
      router,
      services,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address() as { port: number };
    base = `http://127.0.0.1:${addr.port}`;
  });
  afterAll(async () => {
    await app.close();
  });

  const basic = `Basic ${Buffer.from('acme:s3cret').toString('base64')}`;
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it('answers 401 with a JSON body and a challenge without credentials', async () => {
    const res = await post('/v1/api/pstn', '{}');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(await res.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('answers 401 for wrong credentials and for the wrong scheme', async () => {
    expect((await post('/v1/api/pstn', '{}', { authorization: 'Basic bm9wZTpub3Bl' })).status).toBe(401);
    expect((await post('/v1/api/pstn', '{}', { authorization: 'Bearer k3y' })).status).toBe(401);
  });

  it('passes the validation problems to a flow that routes invalid requests itself', async () => {
    const res = await post('/v1/api/pstn', JSON.stringify({ action: 'inbound' }), { authorization: basic });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'Missing Parameters', missing: ['appid'] });
  });

  it('answers 400 naming the field for routes without an invalid handler', async () => {
    const res = await post('/echo/bob', JSON.stringify({ text: 5 }), { authorization: 'Bearer k3y' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { field: string; message: string };
    expect(body.field).toBe('text');
    expect(body.message).toMatch(/text/);
  });

  it('answers 400 for malformed JSON, naming the body', async () => {
    const res = await post('/echo/bob', '{"text": ', { authorization: 'Bearer k3y' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid JSON', field: 'body' });
  });

  it('runs the flow with path parameters and sends its reply', async () => {
    const res = await post('/echo/bob', JSON.stringify({ text: 'hi' }), { authorization: 'Bearer k3y' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-flow')).toBe('echo');
    expect(await res.json()).toEqual({ flow: 'echo', params: { name: 'bob' }, body: { text: 'hi' } });
  });

  it('answers 404 and 405 for unknown routes and methods', async () => {
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    const res = await fetch(`${base}/v1/api/pstn`, { headers: { authorization: basic } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('validates the generic API and names the field', async () => {
    const res = await post('/v1/calls', JSON.stringify({ flow: 'x' }), { authorization: 'Bearer k3y' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'to' });
    const wrongType = await post('/v1/calls', JSON.stringify({ flow: 'x', to: 5 }), { authorization: 'Bearer k3y' });
    expect(wrongType.status).toBe(400);
    expect(await wrongType.json()).toMatchObject({ field: 'to' });
    const unknown = await post('/v1/calls', JSON.stringify({ flow: 'nope', to: '1' }), { authorization: 'Bearer k3y' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ field: 'flow' });
    const ok = await post('/v1/calls', JSON.stringify({ flow: 'x', to: '1' }), { authorization: basic });
    expect(ok.status).toBe(201);
  });

  it('answers 404 for an unknown call', async () => {
    const res = await fetch(`${base}/v1/calls/missing`, { method: 'DELETE', headers: { authorization: 'Bearer k3y' } });
    expect(res.status).toBe(404);
    expect((await fetch(`${base}/v1/calls/live-1`, { method: 'DELETE', headers: { authorization: 'Bearer k3y' } })).status).toBe(200);
  });

  it('serves an OpenAPI document that includes the flow routes', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/calls', '/v1/calls/{id}', '/v1/api/pstn', '/echo/{name}']));
    expect(doc.paths['/v1/api/pstn']?.post?.requestBody).toBeDefined();
    expect(doc.paths['/*']).toBeUndefined();
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/callflow_sip_transactions 3/);
    expect(text).toMatch(/callflow_rtp_streams 2/);
    expect(text).toMatch(/callflow_http_request_duration_seconds_bucket/);
  });
});
