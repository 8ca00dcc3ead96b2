/** The generic API: calls (originate, list, inspect, hang up) and flows (list, reload). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkAuth } from './auth.js';
import type { HttpServerDeps } from './app.js';

const errorBody = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
} as const;

const callSummary = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    flow: { type: 'string' },
    version: { type: 'string' },
    node: { type: 'string' },
    direction: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    state: { type: 'string' },
    step: { type: 'string' },
    startedAt: { type: 'string' },
  },
} as const;

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } } as const;

/** Register the /v1 routes; all of them accept Basic or Bearer credentials from the configuration. */
export function registerApiRoutes(app: FastifyInstance, deps: HttpServerDeps): void {
  const { services } = deps;
  const authenticate = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const res = checkAuth(req.headers.authorization, 'any', deps.auth);
    if (!res.ok) {
      if (res.challenge) void reply.header('www-authenticate', res.challenge);
      await reply.code(res.status).send(res.body);
    }
  };
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { basic: [] }];

  app.post(
    '/v1/calls',
    {
      preHandler: authenticate,
      schema: {
        summary: 'Originate a call into a flow',
        description: 'Dials `to` and runs the flow’s `on start` entry on the call once it answers.',
        security,
        body: {
          type: 'object',
          required: ['flow', 'to'],
          additionalProperties: false,
          properties: {
            flow: { type: 'string', minLength: 1, description: 'Name of the flow to run.' },
            to: { type: 'string', minLength: 1, description: 'Number or SIP URI to call.' },
            from: { type: 'string', description: 'Caller id.' },
            via: { type: 'string', description: 'Trunk URI to route through.' },
            params: { type: 'object', description: 'Parameters for the flow’s `on start`.' },
            timeout: { type: 'integer', minimum: 1, maximum: 300, description: 'Seconds to ring.' },
          },
        },
        response: { 201: callSummary, 400: errorBody, 404: errorBody, 503: errorBody },
      },
    },
    async (req, reply) => {
      const res = await services.originate(req.body as Parameters<typeof services.originate>[0]);
      if (!res.ok) return reply.code(res.status).send({ error: res.error, message: res.message, field: res.field });
      return reply.code(201).send(res.call);
    },
  );

  app.get(
    '/v1/calls',
    { preHandler: authenticate, schema: { summary: 'List live calls (all nodes)', security, response: { 200: { type: 'object', properties: { calls: { type: 'array', items: callSummary } } } } } },
    async () => ({ calls: await services.listCalls() }),
  );

  app.get(
    '/v1/calls/:id',
    { preHandler: authenticate, schema: { summary: 'A call’s state and trace', security, params: idParam, response: { 404: errorBody } } },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const call = await services.getCall(id);
      if (!call) return reply.code(404).send({ error: 'not found', message: `no live call has id '${id}'`, field: 'id' });
      return call;
    },
  );

  app.delete(
    '/v1/calls/:id',
    { preHandler: authenticate, schema: { summary: 'Hang up a call', security, params: idParam, response: { 404: errorBody } } },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      if (!(await services.hangupCall(id))) return reply.code(404).send({ error: 'not found', message: `no live call has id '${id}'`, field: 'id' });
      return { id, state: 'ending' };
    },
  );

  app.get('/v1/flows', { preHandler: authenticate, schema: { summary: 'Loaded flows, versions and diagnostics', security } }, () => ({
    flows: services.listFlows(),
    problems: services.flowProblems?.() ?? [],
  }));

  app.post('/v1/flows/reload', { preHandler: authenticate, schema: { summary: 'Reload flows from disk now', security } }, async (_req, reply) => {
    const res = await services.reloadFlows();
    return reply.code(res.ok ? 200 : 422).send(res);
  });
}
