/**
 * The variables a session starts with. Roots: `call` (CallInfo fields), `request` ({method, path, body,
 * params, query, headers, errors, missing}), `params`, `config`, `env`, `session` ({id, flow, version,
 * started_at}). Declared request fields and start parameters are also top-level variables (with their
 * defaults when absent), so `on http ... (channel: string)` reads as `channel` or `request.body.channel`.
 */
import type { CallInfo } from '../ports/index.js';
import type { FieldIr, FlowIr } from '../compiler/ir.js';
import { compileExpr, type EvalScope } from './eval.js';
import type { FunctionEnv } from './functions.js';
import { isRecord } from './values.js';

/** What every session's scope is built from. */
export interface BaseVars {
  flow: FlowIr;
  session: { id: string; flow: string; version: string; started_at: string };
  /** Deployment config values for this flow (override the flow's `config` defaults). */
  config: Record<string, unknown>;
  /** The environment variables the deployment allows flows to read. */
  env: Record<string, string>;
  fn: FunctionEnv;
}

function scopeOf(vars: Record<string, unknown>, fn: FunctionEnv): EvalScope {
  return { vars, extra: undefined, env: fn };
}

/** `config` with the flow's declared defaults applied, plus `env` and `session`. */
export function baseVars(b: BaseVars): Record<string, unknown> {
  const vars: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  vars.env = { ...b.env };
  vars.session = b.session;
  const config: Record<string, unknown> = {};
  vars.config = config;
  for (const c of b.flow.configs) {
    if (Object.prototype.hasOwnProperty.call(b.config, c.name)) config[c.name] = b.config[c.name];
    else config[c.name] = c.default ? compileExpr(c.default)(scopeOf(vars, b.fn)) : null;
  }
  for (const [k, v] of Object.entries(b.config)) if (!(k in config)) config[k] = v;
  return vars;
}

/** Apply declared fields from `given` onto `target` and `vars` (top level), with defaults for absent ones. */
export function applyFields(fields: readonly FieldIr[], given: Record<string, unknown>, vars: Record<string, unknown>, fn: FunctionEnv): Record<string, unknown> {
  const out: Record<string, unknown> = { ...given };
  for (const f of fields) {
    let v = out[f.name];
    if ((v === undefined || v === null) && f.default) v = compileExpr(f.default)(scopeOf(vars, fn));
    out[f.name] = v ?? null;
    vars[f.name] = v ?? null;
  }
  return out;
}

/** `call.*` from a leg's CallInfo. */
export function callVars(info: CallInfo): Record<string, unknown> {
  return { ...info, headers: { ...info.headers } };
}

/** The parts of an HTTP request a flow reads as `request.*` (the server's FlowRequest). */
export interface RequestVars {
  method: string;
  path: string;
  body: unknown;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  errors?: unknown[];
  missing?: string[];
}

/** `request.*`, with declared fields applied to the body and made top-level. */
export function requestVars(req: RequestVars, fields: readonly FieldIr[], vars: Record<string, unknown>, fn: FunctionEnv): Record<string, unknown> {
  const body = isRecord(req.body) ? applyFields(fields, req.body, vars, fn) : req.body;
  return { method: req.method, path: req.path, body, params: req.params, query: req.query, headers: req.headers, errors: req.errors ?? [], missing: req.missing ?? [] };
}
