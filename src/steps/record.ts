/** `record`: record the caller (or both directions) to a WAV file; done with {file, duration_ms, reason}, or failed. */
import type { StepRun } from '../runtime/step-context.js';
import { flowPath } from './play-items.js';
import { StepError, bool, checkAborted, failure, interrupted, num, requireCall, str } from './support.js';

/** Run `record`. */
export const run: StepRun = async (ctx) => {
  const call = requireCall(ctx);
  const file = flowPath(ctx, str(ctx, 'file') ?? 'recording.wav');
  const silence = num(ctx, 'silence-timeout');
  let res;
  try {
    res = await ctx.ports.media.record(
      call,
      {
        file,
        maxDurationMs: num(ctx, 'max-duration', 60_000),
        ...(silence === undefined ? {} : { silenceTimeoutMs: silence }),
        mode: ctx.args.mode === 'mixed' ? 'mixed' : 'caller',
        terminators: str(ctx, 'terminator') ?? '#',
        beep: bool(ctx, 'beep'),
      },
      ctx.signal,
    );
  } catch (err) {
    if (interrupted(ctx)) throw failure(ctx, err);
    ctx.trace({ type: 'record', file, error: err instanceof Error ? err.message : String(err) });
    return { outcome: 'failed', value: null };
  }
  checkAborted(ctx);
  if (res.reason === 'hangup') throw new StepError('call-ended', 'the call ended during record');
  ctx.trace({ type: 'record', file: res.file, durationMs: res.durationMs, reason: res.reason });
  return { outcome: 'done', value: { file: res.file, duration_ms: res.durationMs, reason: res.reason } };
};
