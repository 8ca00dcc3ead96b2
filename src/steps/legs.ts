/** Shared by fork and fallback: dial one target, and bridge an answered leg to the caller. */
import type { CallLeg, DialResult } from '../ports/call-control.js';
import type { StepContext } from '../runtime/step-context.js';
import { StepError, childSignal, failure, num, str, stringMap, type Target } from './support.js';

/** Dial one target through the port; an engine error counts as `failed`, an abort rethrows. */
export async function dialTarget(ctx: StepContext, call: CallLeg, target: Target, defaultTimeoutMs: number, signal: AbortSignal): Promise<DialResult> {
  const from = target.from ?? str(ctx, 'from') ?? call.info.from;
  const headers = { ...(stringMap(ctx, 'headers') ?? {}), ...(target.headers ?? {}) };
  const started = ctx.ports.clock.monotonic();
  let res: DialResult;
  try {
    res = await ctx.ports.calls.dial({ to: target.uri, from, headers, timeoutMs: target.timeoutMs ?? defaultTimeoutMs, bridgeTo: call }, signal);
  } catch (err) {
    if (signal.aborted) {
      ctx.trace({ type: 'leg.dialled', target: target.uri, outcome: 'cancelled', durationMs: ctx.ports.clock.monotonic() - started });
      throw signal.reason;
    }
    res = { outcome: 'failed', reason: err instanceof Error ? err.message : String(err) };
  }
  const status = res.outcome === 'answered' ? 200 : res.status;
  ctx.trace({
    type: 'leg.dialled',
    target: target.uri,
    outcome: res.outcome,
    ...(status === undefined ? {} : { status }),
    ...(res.outcome === 'answered' ? { callId: res.leg.info.id } : {}),
    durationMs: ctx.ports.clock.monotonic() - started,
  });
  return res;
}

/**
 * Bridge the answered `leg` to the caller (answering the caller first if it is still ringing) until either
 * hangs up or `max-duration` passes; the dialled leg is always hung up afterwards.
 */
export async function bridgeToCaller(ctx: StepContext, call: CallLeg, leg: CallLeg): Promise<void> {
  const child = childSignal(ctx.ports.clock, ctx.signal, num(ctx, 'max-duration'));
  try {
    if (call.state === 'ringing') await call.answer(child.signal);
    ctx.trace({ type: 'bridge.start', callId: leg.info.id });
    const { endedBy } = await ctx.ports.calls.bridge(call, leg, child.signal);
    ctx.trace({ type: 'bridge.end', callId: leg.info.id, endedBy: child.timedOut() ? 'max-duration' : endedBy === 'a' ? 'caller' : endedBy === 'b' ? 'callee' : 'aborted' });
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (endedBy === 'a' || call.state === 'ended') throw new StepError('call-ended', `the caller hung up during ${ctx.step}`);
  } catch (err) {
    throw failure(ctx, err);
  } finally {
    child.dispose();
    if (leg.state !== 'ended') await leg.hangup({ cause: child.timedOut() ? 'max-duration' : 'local-hangup' });
  }
}
