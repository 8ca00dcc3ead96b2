/** `bridge-to-channel`: join the caller to a channel until removed (left) or `max-duration` passes (timeout). */
import type { StepRun } from '../runtime/step-context.js';
import { StepError, bool, checkAborted, childSignal, failure, num, requireCall, str } from './support.js';

/** Run `bridge-to-channel`. */
export const run: StepRun = async (ctx) => {
  const call = requireCall(ctx);
  const channel = str(ctx, 'channel') ?? '';
  const child = childSignal(ctx.ports.clock, ctx.signal, num(ctx, 'max-duration'));
  const joined = ctx.ports.clock.monotonic();
  ctx.trace({ type: 'channel.join', channel, muted: bool(ctx, 'muted') });
  try {
    const how = await ctx.ports.media.joinChannel(call, channel, { muted: bool(ctx, 'muted'), beep: bool(ctx, 'beep') }, child.signal);
    checkAborted(ctx);
    if (how === 'ended') throw new StepError('call-ended', 'the call ended in the channel');
    ctx.trace({ type: 'channel.leave', channel, reason: 'left', durationMs: ctx.ports.clock.monotonic() - joined });
    return { outcome: 'left' };
  } catch (err) {
    if (child.timedOut() && !ctx.signal.aborted && call.state !== 'ended') {
      ctx.trace({ type: 'channel.leave', channel, reason: 'timeout', durationMs: ctx.ports.clock.monotonic() - joined });
      return { outcome: 'timeout' };
    }
    throw failure(ctx, err);
  } finally {
    child.dispose();
  }
};
