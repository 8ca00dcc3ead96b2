/** `log`: a line in the session trace (the server's logger reads traces). */
import type { StepRun } from '../runtime/step-context.js';
import { str } from './support.js';

/** Run `log`. */
export const run: StepRun = async (ctx) => {
  ctx.trace({ type: 'log', level: str(ctx, 'level') ?? 'info', message: str(ctx, 'message') ?? '' });
  return { outcome: 'ok' };
};
