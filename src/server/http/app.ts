/**
 * The HTTP server (fastify): the generic API, the flows' REST triggers, OpenAPI and docs, health and metrics.
 * Routing and validation are fastify's and Ajv's; the flows' routes go through FlowRouter (find-my-way).
 */
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Logger } from 'pino';
import type { ServerMetrics } from '../metrics.js';
import type { AuthConfig } from './auth.js';
import { registerApiRoutes } from './api-routes.js';
import { registerFlowDispatch, flowPathsForOpenApi } from './flow-dispatch.js';
import type { FlowRouter } from './flow-routes.js';
import type { ApiServices } from './api-types.js';

/** Everything the HTTP server is built from. */
export interface HttpServerDeps {
  log: Logger;
  metrics: ServerMetrics;
  auth: AuthConfig;
  router: FlowRouter;
  services: ApiServices;
  /** How long a flow route may take to respond before the caller gets 504 (outbound dials wait for answer). */
  flowReplyTimeoutMs?: number;
}

/** Build the fastify instance (not yet listening). */
export async function createHttpServer(deps: HttpServerDeps): Promise<FastifyInstance> {
  // fastify types a custom pino instance as a distinct logger type; the routes only need the base logger API.
  const app = Fastify({
    loggerInstance: deps.log.child({ component: 'http' }),
    // Per-request lines would drown the call events; latency goes to /metrics instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1 << 20,
    ajv: { customOptions: { allErrors: true, coerceTypes: false, removeAdditional: false } },
  }) as unknown as FastifyInstance;

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) {
      const errors = err.validation.map((v) => {
        const missing = v.keyword === 'required' ? String((v.params as { missingProperty?: string }).missingProperty) : undefined;
        const field = missing ?? (v.instancePath.slice(1).replaceAll('/', '.') || String(err.validationContext ?? 'body'));
        return { field, message: missing ? `'${missing}' is required` : `'${field}' ${v.message ?? 'is invalid'}` };
      });
      void reply.code(400).send({ error: 'invalid request', message: errors.map((e) => e.message).join('; '), errors, field: errors[0]?.field });
      return;
    }
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (err.statusCode === 400 && err instanceof SyntaxError)) {
      void reply.code(400).send({ error: 'invalid JSON', message: `the request body is not valid JSON: ${err.message}`, field: 'body' });
      return;
    }
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      void reply.code(400).send({ error: 'invalid JSON', message: 'the request body is empty but Content-Type is JSON', field: 'body' });
      return;
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      void reply.code(err.statusCode).send({ error: err.code ?? 'bad request', message: err.message });
      return;
    }
    req.log.error({ err }, 'unhandled error in HTTP handler');
    void reply.code(500).send({ error: 'internal error', message: 'the server failed to handle this request' });
  });

  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url === '/*' ? 'flow' : (req.routeOptions.url ?? 'unknown');
    deps.metrics.httpDuration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'callflow', version: '1', description: 'The callflow server API, including the REST triggers of the loaded flows.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          basic: { type: 'http', scheme: 'basic' },
        },
      },
    },
    transformObject: (doc) => {
      const openapi = (doc as { openapiObject: Record<string, unknown> }).openapiObject;
      const paths = { ...(openapi.paths as Record<string, unknown>) };
      delete paths['/*'];
      return { ...openapi, paths } as never;
    },
  });
  // @fastify/swagger caches the generated document, but flow routes change on every reload: add them per request.
  const withFlowRoutes = (doc: unknown): Record<string, unknown> => {
    const d = doc as Record<string, unknown>;
    return { ...d, paths: { ...(d.paths as Record<string, unknown>), ...flowPathsForOpenApi(deps.router.list()) } };
  };
  await app.register(swaggerUi, { routePrefix: '/docs', transformSpecification: withFlowRoutes, transformSpecificationClone: false });

  app.get('/openapi.json', { schema: { hide: true } }, () => withFlowRoutes(app.swagger()));
  app.get('/healthz', { schema: { hide: true } }, () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, (_req, reply) =>
    deps.services.ready() ? { status: 'ready' } : reply.code(503).send({ status: 'not ready' }),
  );
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
    reply.header('content-type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );

  registerApiRoutes(app, deps);
  registerFlowDispatch(app, deps);
  return app;
}
