/** `store-put`: write a key, optionally only if absent and with a TTL. */
import type { PutOptions } from '../ports/store.js';
import type { StepRun } from '../runtime/step-context.js';
import { bool, num, str } from './support.js';

/** Run `store-put`. */
export const run: StepRun = async (ctx) => {
  const key = str(ctx, 'key') ?? '';
  const opts: PutOptions = {};
  const ttl = num(ctx, 'ttl');
  if (ttl !== undefined) opts.ttlMs = ttl;
  if (bool(ctx, 'if-absent')) opts.ifAbsent = true;
  // JSON has no undefined: an absent value is stored as null rather than failing the session.
  const written = await ctx.ports.store.put(key, ctx.args.value ?? null, opts);
  ctx.trace({ type: 'store.put', key, written, ...(ttl === undefined ? {} : { ttlMs: ttl }) });
  return { outcome: written ? 'ok' : 'exists' };
};
