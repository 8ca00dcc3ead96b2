/** `store-delete`: delete a key; always ok, `into` says whether it existed. */
import type { StepRun } from '../runtime/step-context.js';
import { str } from './support.js';

/** Run `store-delete`. */
export const run: StepRun = async (ctx) => {
  const key = str(ctx, 'key') ?? '';
  const existed = await ctx.ports.store.delete(key);
  ctx.trace({ type: 'store.delete', key, existed });
  return { outcome: 'ok', value: existed };
};
