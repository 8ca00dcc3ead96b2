/** `end-call`: hang up another call by its id. */
import type { StepRun } from '../runtime/step-context.js';
import { str } from './support.js';

/** Run `end-call`. */
export const run: StepRun = async (ctx) => {
  const id = str(ctx, 'id') ?? '';
  const found = id === '' ? false : await ctx.ports.calls.endCall(id, 'local-hangup');
  ctx.trace({ type: 'call.end-call', id, found });
  return { outcome: found ? 'ended' : 'missing', value: found };
};
