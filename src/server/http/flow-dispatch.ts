/**
 * The catch-all route that hands requests to the flows' `on http` entries: authenticate per the route's
 * scheme, validate the body against the declared shape (400 naming the field, unless the flow routes
 * invalid requests itself), run the flow, and send whatever it responds.
 */
import type { FastifyInstance } from 'fastify';
import { checkAuth } from './auth.js';
import type { HttpServerDeps } from './app.js';
import type { FlowRoute } from './flow-routes.js';
import { schemaOfFields } from './request-schema.js';

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Register the catch-all dispatcher. */
export function registerFlowDispatch(app: FastifyInstance, deps: HttpServerDeps): void {
  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/*',
    schema: { hide: true },
    handler: async (req, reply) => {
      const match = deps.router.match(req.method, req.url);
      if (!match) {
        const allowed = deps.router.methodsAt(req.url);
        if (allowed.length > 0) {
          return reply.code(405).header('allow', allowed.join(', ')).send({ error: 'method not allowed', message: `use ${allowed.join(' or ')} on ${req.url.split('?')[0]}` });
        }
        return reply.code(404).send({ error: 'not found', message: `no route for ${req.method} ${req.url.split('?')[0]}` });
      }
      const { route, params } = match;
      const auth = checkAuth(req.headers.authorization, route.auth, deps.auth);
      if (!auth.ok) {
        if (auth.challenge) void reply.header('www-authenticate', auth.challenge);
        return reply.code(auth.status).send(auth.body);
      }
      const body = req.body;
      const problems = route.method === 'GET' || route.method === 'DELETE' ? [] : match.validate(body);
      if (problems.length > 0 && !route.handlesInvalid) {
        return reply.code(400).send({
          error: 'invalid request',
          message: problems.map((p) => p.message).join('; '),
          field: problems[0]?.field,
          errors: problems,
        });
      }
      const out = await deps.services.runFlowRoute(route, {
        method: req.method,
        path: req.url.split('?')[0] ?? '/',
        body: body ?? {},
        params,
        query: req.query as Record<string, string>,
        headers: flatHeaders(req.headers),
        errors: problems,
        missing: problems.filter((p) => p.problem === 'missing').map((p) => p.field),
      });
      return reply.code(out.status).headers(out.headers).send(out.body);
    },
  });
}

/** OpenAPI path items for the flows' routes (`:id` becomes `{id}`). */
export function flowPathsForOpenApi(routes: readonly FlowRoute[]): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const params = [...r.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const op: Record<string, unknown> = {
      summary: r.doc ?? `${r.method} ${r.path} (flow ${r.flow})`,
      tags: [`flow:${r.flow}`],
      parameters: params,
      responses: { default: { description: 'Whatever the flow responds.' }, 400: { description: 'The body does not match the declared request.' } },
    };
    if (r.auth !== 'none') op.security = r.auth === 'basic' ? [{ basic: [] }] : r.auth === 'bearer' ? [{ bearer: [] }] : [{ bearer: [] }, { basic: [] }];
    if (r.method !== 'GET' && r.method !== 'DELETE') op.requestBody = { required: true, content: { 'application/json': { schema: schemaOfFields(r.request) } } };
    (paths[path] ??= {})[r.method.toLowerCase()] = op;
  }
  return paths;
}
