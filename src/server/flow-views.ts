/** How served flows appear to the HTTP layer: mounted routes for `on http` entries, and API summaries. */
import type { EntryIr } from '../compiler/ir.js';
import type { Diagnostic } from '../language/diagnostics.js';
import type { FlowVersion, HttpRoute } from '../runtime/registry.js';
import { formatRange } from '../runtime/trace.js';
import type { FlowSummary } from './http/api-types.js';
import type { AuthScheme } from './http/auth.js';
import type { FlowRoute } from './http/flow-routes.js';

const SCHEMES: Readonly<Record<string, AuthScheme>> = {
  basic: 'basic',
  bearer: 'bearer',
  none: 'none',
  any: 'any',
  'api-key': 'bearer',
};

/**
 * The scheme a route requires. A route that declares no `auth` is public (`none`): REST triggers are often
 * webhooks, and the flow author opts into auth per route; an unknown scheme requires any configured credential.
 */
export function authSchemeOf(route: HttpRoute): AuthScheme {
  const scheme = route.entry.auth?.scheme;
  if (scheme === undefined) return 'none';
  return SCHEMES[scheme.toLowerCase()] ?? 'any';
}

/** The FlowRouter route of an `on http` entry. */
export function flowRouteOf(route: HttpRoute): FlowRoute {
  const e = route.entry;
  return {
    flow: route.flow.name,
    version: route.flow.label,
    entryId: e.id,
    method: e.method.toUpperCase(),
    path: e.path,
    request: e.request,
    auth: authSchemeOf(route),
    handlesInvalid: e.invalid !== undefined,
    ...(e.doc ? { doc: e.doc } : {}),
  };
}

/** A diagnostic as the API and logs show it. */
export function diagnosticView(d: Diagnostic): FlowSummary['diagnostics'][number] {
  return { code: d.code, severity: d.severity, message: d.message, location: formatRange(d.range) };
}

/** One line describing an entry (`call to "+1555" user "x"`, `http POST /v1/x`, `start(to, channel)`). */
export function describeEntry(e: EntryIr): string {
  switch (e.kind) {
    case 'call':
      return `call ${e.matchers.map((m) => `${m.field} "${m.pattern}"`).join(' ')}`.trim();
    case 'http':
      return `http ${e.method.toUpperCase()} ${e.path}`;
    case 'start':
      return `start(${e.params.map((p) => p.name).join(', ')})`;
  }
}

/** A served flow for GET /v1/flows. */
export function flowSummaryOf(v: FlowVersion): FlowSummary {
  return {
    name: v.name,
    version: v.label,
    file: v.file,
    loadedAt: new Date(v.loadedAt).toISOString(),
    entries: v.ir.entries.map((e) => ({ kind: e.kind, id: e.id, describe: describeEntry(e) })),
    diagnostics: v.diagnostics.map(diagnosticView),
  };
}
