/** `store-get`: read a key; found (value into) or missing. */
import type { StepRun } from '../runtime/step-context.js';
import { str } from './support.js';

/** Run `store-get`. */
export const run: StepRun = async (ctx) => {
  const key = str(ctx, 'key') ?? '';
  const value = await ctx.ports.store.get(key);
  const found = value !== undefined;
  ctx.trace({ type: 'store.get', key, found });
  return found ? { outcome: 'found', value } : { outcome: 'missing', value: null };
};
