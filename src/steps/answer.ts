/** `answer`: answer the inbound call (idempotent). */
import type { StepRun } from '../runtime/step-context.js';
import { checkAborted, failure, requireCall } from './support.js';

/** Run `answer`. */
export const run: StepRun = async (ctx) => {
  const call = requireCall(ctx);
  const already = call.state === 'answered';
  try {
    await call.answer(ctx.signal);
  } catch (err) {
    throw failure(ctx, err);
  }
  checkAborted(ctx);
  ctx.trace({ type: 'call.answered', already });
  return { outcome: 'ok' };
};
