/**
 * Flow routes: the `on http` entries of the loaded flows, mounted under one catch-all route and matched with
 * find-my-way (fastify's own router). The router is rebuilt whenever flows reload, because fastify cannot
 * add or remove routes once listening, and a hot reload must be able to change a flow's routes.
 */
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { FieldIr } from '../../compiler/ir.js';
import { compileRequestValidator, type RequestProblem } from './request-schema.js';
import type { AuthScheme } from './auth.js';

/** A flow route as the registry describes it. */
export interface FlowRoute {
  flow: string;
  version: string;
  entryId: string;
  method: string;
  /** `:name` parameters, as in the flow. */
  path: string;
  request: FieldIr[];
  auth: AuthScheme;
  /** The flow routes invalid requests itself (`invalid -> state`) instead of the default 400. */
  handlesInvalid: boolean;
  doc?: string;
}

/** A matched route with its path parameters and body validator. */
export interface RouteMatch {
  route: FlowRoute;
  params: Record<string, string>;
  validate: (body: unknown) => RequestProblem[];
}

/** The current set of flow routes. */
export class FlowRouter {
  private router = FindMyWay({ ignoreTrailingSlash: true });
  private routes: FlowRoute[] = [];
  private readonly validators = new Map<FlowRoute, (body: unknown) => RequestProblem[]>();

  /** Replace every route (on reload). Conflicts were rejected by the compiler; the first route wins here. */
  replace(routes: FlowRoute[]): void {
    const router = FindMyWay({ ignoreTrailingSlash: true });
    const validators = new Map<FlowRoute, (body: unknown) => RequestProblem[]>();
    const mounted: FlowRoute[] = [];
    for (const r of routes) {
      const method = r.method.toUpperCase() as HTTPMethod;
      if (router.hasRoute(method, r.path)) continue;
      router.on(method, r.path, () => undefined, { route: r });
      validators.set(r, compileRequestValidator(r.request));
      mounted.push(r);
    }
    this.router = router;
    this.routes = mounted;
    this.validators.clear();
    for (const [k, v] of validators) this.validators.set(k, v);
  }

  /** All mounted routes (for OpenAPI). */
  list(): readonly FlowRoute[] {
    return this.routes;
  }

  /** Find the route for a request. */
  match(method: string, url: string): RouteMatch | undefined {
    const path = url.split('?')[0] ?? '/';
    const found = this.router.find(method.toUpperCase() as HTTPMethod, path);
    if (!found) return undefined;
    const route = (found.store as { route: FlowRoute }).route;
    const validate = this.validators.get(route);
    if (!validate) return undefined;
    return { route, params: found.params as Record<string, string>, validate };
  }

  /** Methods that have some route at this path (to answer 405 rather than 404). */
  methodsAt(url: string): string[] {
    const path = url.split('?')[0] ?? '/';
    return ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => this.router.find(m as HTTPMethod, path));
  }
}
