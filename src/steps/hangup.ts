/** `hangup`: end the call (a final response while ringing, BYE once answered); terminal. */
import type { StepRun } from '../runtime/step-context.js';
import { num, requireCall, str } from './support.js';

/** Run `hangup`. Its only result is that the call is gone; the interpreter ends the session after it. */
export const run: StepRun = async (ctx) => {
  const call = requireCall(ctx);
  const status = num(ctx, 'status', 480);
  const reason = str(ctx, 'reason');
  // Traced first: ending the call ends the session, which stops recording this step's events.
  ctx.trace({ type: 'call.hangup', ...(call.state === 'ringing' ? { status } : {}), ...(reason === undefined ? {} : { reason }) });
  await call.hangup({ status, cause: 'local-hangup', ...(reason === undefined ? {} : { reason }) });
  return { outcome: 'ended' };
};
