/**
 * `prompt`: play a file, text or tone (looped, optionally with barge-in), then optionally wait for a digit:
 * `wait none` → done; `wait any` → any digit; `wait digits` → one of `digits`. A digit that barges in
 * counts as the awaited digit when it is acceptable. Outcomes: done, digit (into: the digit), timeout.
 */
import type { StepRun } from '../runtime/step-context.js';
import { describeItems, playItemsOf } from './play-items.js';
import { bool, checkAborted, failure, num, requireCall, str } from './support.js';

/** Run `prompt`. */
export const run: StepRun = async (ctx) => {
  const call = requireCall(ctx);
  const items = playItemsOf(ctx);
  const wait = str(ctx, 'wait') ?? 'none';
  const accept = wait === 'digits' ? (str(ctx, 'digits') ?? '') : undefined;
  const bargeIn = bool(ctx, 'barge-in');
  try {
    const played = await ctx.ports.media.play(call, items, { bargeIn, loop: num(ctx, 'loop', 1) }, ctx.signal);
    checkAborted(ctx);
    ctx.trace({ type: 'prompt.played', items: describeItems(items), result: played.reason, ...(played.digit ? { digit: played.digit } : {}) });
    if (played.reason === 'barge-in' && played.digit !== undefined && (accept === undefined || accept.includes(played.digit))) {
      ctx.trace({ type: 'digit', digit: played.digit, via: 'barge-in' });
      return { outcome: 'digit', value: played.digit };
    }
    if (wait === 'none') return { outcome: 'done', value: null };
    const timeoutMs = num(ctx, 'timeout', 10_000);
    const got = await ctx.ports.media.waitForDigit(call, accept === undefined ? { timeoutMs } : { accept, timeoutMs }, ctx.signal);
    checkAborted(ctx);
    if (!got) {
      ctx.trace({ type: 'digit.timeout', timeoutMs });
      return { outcome: 'timeout', value: null };
    }
    ctx.trace({ type: 'digit', digit: got.digit });
    return { outcome: 'digit', value: got.digit };
  } catch (err) {
    throw failure(ctx, err);
  }
};
