/**
 * `fallback`: try targets in order, each with its own ring time; move on when the result is in `next-on`
 * (default: busy, no-answer, declined, failed). The outcome is the last tried target's; an invalid address
 * counts as failed. With `bridge` (default) an answering target is bridged to the caller.
 */
import type { StepRun } from '../runtime/step-context.js';
import { bridgeToCaller, dialTarget } from './legs.js';
import { bool, checkAborted, num, requireCall, targetsOf } from './support.js';

const ALL_NEXT = ['busy', 'no-answer', 'declined', 'failed'] as const;

/** Run `fallback`. */
export const run: StepRun = async (ctx) => {
  const call = requireCall(ctx);
  const targets = targetsOf(ctx);
  const timeoutMs = num(ctx, 'timeout', 30_000);
  const nextOn = Array.isArray(ctx.args['next-on']) ? (ctx.args['next-on'] as unknown[]).map(String) : [...ALL_NEXT];
  const tried: string[] = [];
  let last: { outcome: string; target: string; status: number | null } = { outcome: 'failed', target: '', status: null };
  for (const t of targets) {
    tried.push(t.uri);
    const r = await dialTarget(ctx, call, t, timeoutMs, ctx.signal);
    checkAborted(ctx);
    if (r.outcome === 'answered') {
      const value = { target: t.uri, call_id: r.leg.info.id, status: 200, tried };
      if (bool(ctx, 'bridge', true)) await bridgeToCaller(ctx, call, r.leg);
      return { outcome: 'answered', value };
    }
    const outcome = r.outcome === 'invalid' ? 'failed' : r.outcome;
    last = { outcome, target: t.uri, status: r.status ?? null };
    if (!nextOn.includes(outcome)) break;
  }
  return { outcome: last.outcome, value: { target: last.target, call_id: null, status: last.status, tried } };
};
