/** `wait`: pause on the session's clock. */
import { sleep } from '../ports/clock.js';
import type { StepRun } from '../runtime/step-context.js';
import { failure, num } from './support.js';

/** Run `wait`. */
export const run: StepRun = async (ctx) => {
  try {
    await sleep(ctx.ports.clock, num(ctx, 'duration', 0), ctx.signal);
  } catch (err) {
    throw failure(ctx, err);
  }
  return { outcome: 'done' };
};
