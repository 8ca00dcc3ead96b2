/** `store-incr`: atomically add to a counter and read the new value. */
import type { StepRun } from '../runtime/step-context.js';
import { num, str } from './support.js';

/** Run `store-incr`. A key holding a non-integer fails the step (a TypeError from the store). */
export const run: StepRun = async (ctx) => {
  const key = str(ctx, 'key') ?? '';
  const by = num(ctx, 'by', 1);
  const ttl = num(ctx, 'ttl');
  const value = await ctx.ports.store.incr(key, by, ttl === undefined ? {} : { ttlMs: ttl });
  ctx.trace({ type: 'store.incr', key, by, value });
  return { outcome: 'ok', value };
};
