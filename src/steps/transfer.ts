/** `transfer`: blind transfer with REFER (RFC 3515); transferred or failed. */
import type { StepRun } from '../runtime/step-context.js';
import { interrupted, checkAborted, failure, num, requireCall, str } from './support.js';

/** Run `transfer`. A rejected REFER or an engine error is `failed`; a lost call is not an outcome. */
export const run: StepRun = async (ctx) => {
  const call = requireCall(ctx);
  const to = str(ctx, 'to') ?? '';
  let result: 'transferred' | 'failed';
  try {
    result = await call.transfer(to, { timeoutMs: num(ctx, 'timeout', 30_000) }, ctx.signal);
  } catch (err) {
    if (interrupted(ctx)) throw failure(ctx, err);
    ctx.trace({ type: 'call.transfer', to, result: 'failed', error: err instanceof Error ? err.message : String(err) });
    return { outcome: 'failed' };
  }
  // A completed transfer ends our leg, which aborts the step; the result still stands.
  if (result !== 'transferred') checkAborted(ctx);
  ctx.trace({ type: 'call.transfer', to, result });
  return { outcome: result };
};
