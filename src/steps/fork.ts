/**
 * `fork`: ring every target at once; the first to answer wins and the others are cancelled. With `bridge`
 * (default) the winner is bridged to the caller until one hangs up. Outcomes: answered; busy only when every
 * target was busy; no-answer when any target rang out; failed otherwise.
 */
import type { CallLeg, DialResult } from '../ports/call-control.js';
import type { StepRun } from '../runtime/step-context.js';
import { bridgeToCaller, dialTarget } from './legs.js';
import { bool, failure, num, requireCall, targetsOf } from './support.js';

/** Run `fork`. */
export const run: StepRun = async (ctx) => {
  const call = requireCall(ctx);
  const targets = targetsOf(ctx);
  const timeoutMs = num(ctx, 'timeout', 30_000);
  const controllers = targets.map(() => new AbortController());
  const onAbort = (): void => controllers.forEach((c) => c.abort(ctx.signal.reason));
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let winner: { index: number; leg: CallLeg } | undefined;
  let results: Array<DialResult | 'cancelled'>;
  try {
    results = await Promise.all(
      targets.map(async (t, i): Promise<DialResult | 'cancelled'> => {
        const ac = controllers[i] as AbortController;
        try {
          const r = await dialTarget(ctx, call, t, timeoutMs, ac.signal);
          if (r.outcome !== 'answered') return r;
          if (winner || ctx.signal.aborted) {
            // Two answered at nearly the same time: the later one is hung up at once.
            await r.leg.hangup({ cause: 'canceled' });
            return 'cancelled';
          }
          winner = { index: i, leg: r.leg };
          controllers.forEach((c, j) => j !== i && c.abort('another target answered'));
          return r;
        } catch {
          return 'cancelled';
        }
      }),
    );
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
  if (ctx.signal.aborted) {
    if (winner && winner.leg.state !== 'ended') await winner.leg.hangup({ cause: 'canceled' });
    throw failure(ctx, ctx.signal.reason);
  }
  if (winner) {
    const target = targets[winner.index]?.uri ?? '';
    const value = { target, call_id: winner.leg.info.id, status: 200 };
    if (bool(ctx, 'bridge', true)) await bridgeToCaller(ctx, call, winner.leg);
    return { outcome: 'answered', value };
  }
  const outcomes = results.map((r) => (r === 'cancelled' ? 'failed' : r.outcome));
  const outcome = outcomes.length > 0 && outcomes.every((o) => o === 'busy') ? 'busy' : outcomes.includes('no-answer') ? 'no-answer' : 'failed';
  return { outcome, value: null };
};
