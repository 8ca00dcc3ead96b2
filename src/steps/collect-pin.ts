/**
 * `collect-pin`: collect digits with a prompt (barge-in), a terminator, first/inter-digit timeouts, length
 * limits and a pattern, over one or more attempts. Each failed attempt but the last says `invalid-say` and
 * repeats the prompt. Outcomes: ok (into: the digits), timeout, invalid, and max-attempts when attempts > 1.
 */
import type { CollectOptions } from '../ports/media.js';
import type { StepContext, StepRun } from '../runtime/step-context.js';
import { flowPath } from './play-items.js';
import { StepError, checkAborted, failure, num, requireCall, str } from './support.js';

type Verdict = 'ok' | 'timeout' | 'invalid';

function patternOf(ctx: StepContext): RegExp | undefined {
  const p = str(ctx, 'pattern');
  if (p === undefined) return undefined;
  try {
    return new RegExp(`^(?:${p})$`);
  } catch {
    throw new StepError('bad-argument', `collect-pin: pattern '${p}' is not a valid regular expression`);
  }
}

/** Run `collect-pin`. */
export const run: StepRun = async (ctx) => {
  const call = requireCall(ctx);
  const min = num(ctx, 'min-digits', 1);
  const pattern = patternOf(ctx);
  const attempts = Math.max(1, num(ctx, 'attempts', 1));
  const say = str(ctx, 'say');
  const file = str(ctx, 'file');
  const prompt: CollectOptions['prompt'] = [];
  if (file !== undefined) prompt.push({ kind: 'file', path: flowPath(ctx, file) });
  if (say !== undefined) prompt.push({ kind: 'say', text: say });
  const opts: CollectOptions = {
    prompt,
    bargeIn: true,
    minDigits: min,
    maxDigits: num(ctx, 'max-digits', 16),
    terminators: str(ctx, 'terminator') ?? '#',
    firstDigitTimeoutMs: num(ctx, 'first-digit-timeout', 10_000),
    interDigitTimeoutMs: num(ctx, 'inter-digit-timeout', 5000),
  };
  const invalidSay = str(ctx, 'invalid-say');
  let verdict: Verdict = 'timeout';
  let digits = '';
  try {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const res = await ctx.ports.media.collect(call, opts, ctx.signal);
      checkAborted(ctx);
      digits = res.digits;
      if (digits.length < min) verdict = res.reason === 'timeout' ? 'timeout' : 'invalid';
      else verdict = pattern && !pattern.test(digits) ? 'invalid' : 'ok';
      ctx.trace({ type: 'digits.collected', digits, reason: res.reason, attempt, verdict });
      if (verdict === 'ok') return { outcome: 'ok', value: digits };
      if (attempt < attempts && invalidSay !== undefined) {
        await ctx.ports.media.play(call, [{ kind: 'say', text: invalidSay }], { bargeIn: false }, ctx.signal);
        checkAborted(ctx);
      }
    }
  } catch (err) {
    throw failure(ctx, err);
  }
  return { outcome: attempts > 1 ? 'max-attempts' : verdict, value: digits };
};
