/**
 * `lookup`: an HTTP endpoint (2xx found, 404 missing, anything else error), a store key, or a table row.
 * `map` shapes the result: it is evaluated with `response` = {status, body, headers} (for a key or row,
 * body is the value or row), so the interpreter must not evaluate it up front.
 */
import { HttpError } from '../ports/http.js';
import type { StepContext, StepResult, StepRun } from '../runtime/step-context.js';
import { checkAborted, num, str, stringMap } from './support.js';
import { findRow, loadTable } from './table.js';

function shape(ctx: StepContext, response: { status: number; body: unknown; headers: Record<string, string> }): unknown {
  const map = ctx.argExprs.map;
  return map ? ctx.evaluate(map, { response }) : response.body;
}

async function viaHttp(ctx: StepContext, url: string): Promise<StepResult> {
  const method = str(ctx, 'method') ?? 'GET';
  const started = ctx.ports.clock.monotonic();
  try {
    const res = await ctx.ports.http.request(
      { method, url, headers: stringMap(ctx, 'headers') ?? {}, body: ctx.args.body, timeoutMs: num(ctx, 'timeout', 5000), retries: num(ctx, 'retries', 0) },
      ctx.signal,
    );
    checkAborted(ctx);
    ctx.trace({ type: 'http.request', step: 'lookup', method, url, status: res.status, attempts: res.attempts, durationMs: ctx.ports.clock.monotonic() - started });
    if (res.status >= 200 && res.status < 300) return { outcome: 'found', value: shape(ctx, res) };
    return { outcome: res.status === 404 ? 'missing' : 'error', value: null };
  } catch (err) {
    checkAborted(ctx);
    const code = err instanceof HttpError ? err.code : 'error';
    ctx.trace({ type: 'http.request', step: 'lookup', method, url, error: code, message: err instanceof Error ? err.message : String(err), durationMs: ctx.ports.clock.monotonic() - started });
    return { outcome: 'error', value: null };
  }
}

async function viaStore(ctx: StepContext, key: string): Promise<StepResult> {
  const value = await ctx.ports.store.get(key);
  checkAborted(ctx);
  ctx.trace({ type: 'store.get', step: 'lookup', key, found: value !== undefined });
  if (value === undefined) return { outcome: 'missing', value: null };
  return { outcome: 'found', value: shape(ctx, { status: 200, body: value, headers: {} }) };
}

async function viaTable(ctx: StepContext, table: string): Promise<StepResult> {
  const where = (ctx.args.where ?? {}) as Record<string, unknown>;
  let row;
  try {
    row = findRow(await loadTable(ctx.flowDir, table), where);
  } catch (err) {
    checkAborted(ctx);
    ctx.trace({ type: 'table.lookup', table, where, error: err instanceof Error ? err.message : String(err) });
    return { outcome: 'error', value: null };
  }
  checkAborted(ctx);
  ctx.trace({ type: 'table.lookup', table, where, found: row !== undefined });
  if (!row) return { outcome: 'missing', value: null };
  return { outcome: 'found', value: shape(ctx, { status: 200, body: { ...row }, headers: {} }) };
}

/** Run `lookup`. */
export const run: StepRun = async (ctx) => {
  const url = str(ctx, 'url');
  if (url !== undefined) return viaHttp(ctx, url);
  const key = str(ctx, 'key');
  if (key !== undefined) return viaStore(ctx, key);
  const table = str(ctx, 'table');
  if (table !== undefined) return viaTable(ctx, table);
  ctx.trace({ type: 'lookup', error: 'no url, key or table' });
  return { outcome: 'error', value: null };
};
