/** `originate`: place a call that runs a flow of its own (through the runtime's SessionStarter). */
import type { StepRun } from '../runtime/step-context.js';
import { interrupted, checkAborted, failure, num, str, stringMap } from './support.js';

/** Run `originate`. */
export const run: StepRun = async (ctx) => {
  const to = str(ctx, 'to') ?? '';
  const from = str(ctx, 'from');
  const via = str(ctx, 'via');
  const headers = stringMap(ctx, 'headers');
  const flow = str(ctx, 'flow') ?? '';
  const params = ctx.args.params && typeof ctx.args.params === 'object' ? (ctx.args.params as Record<string, unknown>) : {};
  const wait = ctx.args.wait === 'none' ? 'none' : 'answer';
  let res: Awaited<ReturnType<typeof ctx.sessions.originate>>;
  try {
    res = await ctx.sessions.originate(
      {
        to,
        flow,
        params,
        timeoutMs: num(ctx, 'timeout', 60_000),
        maxDurationMs: num(ctx, 'max-duration', 3_600_000),
        wait,
        ...(from === undefined ? {} : { from }),
        ...(via === undefined ? {} : { via }),
        ...(headers === undefined ? {} : { headers }),
      },
      ctx.signal,
    );
  } catch (err) {
    if (interrupted(ctx)) throw failure(ctx, err);
    ctx.trace({ type: 'originate', to, flow, outcome: 'failed', error: err instanceof Error ? err.message : String(err) });
    return { outcome: 'failed', value: { call_id: null } };
  }
  checkAborted(ctx);
  ctx.trace({ type: 'originate', to, flow, outcome: res.outcome, ...(res.callId ? { callId: res.callId } : {}), ...(res.status ? { status: res.status } : {}) });
  return { outcome: res.outcome, value: { call_id: res.callId ?? null, ...(res.status === undefined ? {} : { status: res.status }) } };
};
