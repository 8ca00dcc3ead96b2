/** `stream-to-websocket`: connect the caller to a voice bot through an audio tap; closed, error or timeout. */
import type { BotStreamOptions } from '../ports/bots.js';
import type { StepRun } from '../runtime/step-context.js';
import { StepError, bool, checkAborted, num, requireCall, str, stringMap } from './support.js';

const RATES = [8000, 16000, 24000] as const;

function authOf(username?: string, password?: string, bearer?: string): BotStreamOptions['auth'] {
  if (bearer !== undefined) return { bearer };
  if (username !== undefined) return { username, password: password ?? '' };
  return undefined;
}

/** Run `stream-to-websocket`. The step owns the tap and always closes it. */
export const run: StepRun = async (ctx) => {
  const call = requireCall(ctx);
  const rate = RATES.find((r) => r === Number(ctx.args['sample-rate'])) ?? 8000;
  const url = str(ctx, 'url') ?? '';
  const auth = authOf(str(ctx, 'username'), str(ctx, 'password'), str(ctx, 'bearer'));
  const tap = ctx.ports.media.tap(call, { sampleRate: rate });
  ctx.trace({ type: 'bot.connect', url, protocol: str(ctx, 'protocol') ?? 'exotel' });
  try {
    const res = await ctx.ports.bots.stream(
      tap,
      {
        url,
        protocol: ctx.args.protocol === 'twilio' ? 'twilio' : 'exotel',
        params: stringMap(ctx, 'params') ?? {},
        sampleRate: rate,
        encoding: ctx.args.encoding === 'mulaw' ? 'mulaw' : 'pcm',
        bidirectional: bool(ctx, 'bidirectional', true),
        connectTimeoutMs: num(ctx, 'connect-timeout', 10_000),
        maxDurationMs: num(ctx, 'max-duration', 3_600_000),
        call: call.info,
        accountId: 'callflow',
        callEnded: call.ended,
        ...(auth === undefined ? {} : { auth }),
      },
      ctx.signal,
    );
    checkAborted(ctx);
    ctx.trace({ type: 'bot.end', url, outcome: res.outcome, ...(res.detail ? { detail: res.detail } : {}), ...(res.streamId ? { streamId: res.streamId } : {}) });
    switch (res.outcome) {
      case 'closed':
      case 'error':
      case 'timeout':
        return { outcome: res.outcome };
      case 'hangup':
        throw new StepError('call-ended', 'the call ended during the bot stream');
      case 'aborted':
        throw ctx.signal.aborted ? ctx.signal.reason : new StepError('call-ended', 'the bot stream was aborted');
    }
  } finally {
    tap.close();
  }
};
