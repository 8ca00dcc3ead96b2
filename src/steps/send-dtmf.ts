/** `send-dtmf`: send digits to the far end (RFC 4733). */
import type { StepRun } from '../runtime/step-context.js';
import { checkAborted, failure, num, requireCall, str } from './support.js';

/** Run `send-dtmf`. */
export const run: StepRun = async (ctx) => {
  const call = requireCall(ctx);
  const digits = str(ctx, 'digits') ?? '';
  try {
    await call.sendDtmf(digits, { durationMs: num(ctx, 'duration', 100), gapMs: num(ctx, 'gap', 100) }, ctx.signal);
  } catch (err) {
    throw failure(ctx, err);
  }
  checkAborted(ctx);
  ctx.trace({ type: 'dtmf.sent', digits });
  return { outcome: 'sent' };
};
