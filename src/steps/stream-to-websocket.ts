/** `stream-to-websocket`: connect the caller to a voice bot through an audio tap; closed, error or timeout. */
import type { BotStreamOptions } from '../ports/bots.js';
import type { StepRun } from '../runtime/step-context.js';
import { stripUrlCredentials } from '../runtime/trace.js';
import { StepError, bool, checkAborted, num, requireCall, str, stringMap } from './support.js';

const RATES = [8000, 16000, 24000] as const;
type Rate = (typeof RATES)[number];

/** An empty string (e.g. `config bot_token = ""`) means "no credential", not an empty one. */
function authOf(username?: string, password?: string, bearer?: string): BotStreamOptions['auth'] {
  if (bearer !== undefined && bearer !== '') return { bearer };
  if (username !== undefined && username !== '') return { username, password: password ?? '' };
  return undefined;
}

/**
 * What an Exotel stream URL says in its query (PROTOCOLS.md): `sample-rate`, and custom parameters, which Exotel
 * hands to the bot in `start`. Nothing for a URL that does not parse.
 */
function exotelQuery(url: string): { rate?: Rate; params: Record<string, string> } {
  let q: URLSearchParams;
  try {
    q = new URL(url).searchParams;
  } catch {
    return { params: {} };
  }
  const params: Record<string, string> = {};
  for (const [k, v] of q) if (k !== 'sample-rate') params[k] = v;
  const rate = RATES.find((r) => String(r) === q.get('sample-rate'));
  return rate === undefined ? { params } : { rate, params };
}

/** Run `stream-to-websocket`. The step owns the tap and always closes it. */
export const run: StepRun = async (ctx) => {
  const call = requireCall(ctx);
  const protocol = ctx.args.protocol === 'twilio' ? 'twilio' : 'exotel';
  const url = str(ctx, 'url') ?? '';
  // A URL copied from an Exotel applet carries its settings in the query; the step's own arguments win.
  const query = protocol === 'exotel' ? exotelQuery(url) : { params: {} };
  const asked: Rate = RATES.find((r) => r === Number(ctx.args['sample-rate'])) ?? query.rate ?? 8000;
  const encoding = ctx.args.encoding === 'mulaw' ? 'mulaw' : 'pcm';
  // Twilio and µ-law streams are 8 kHz by definition (PROTOCOLS.md): the tap must run at the rate `start`
  // announces, or the bot hears 20 ms frames as 40 or 60 ms. The bots port logs the ignored `sample-rate`.
  const rate: Rate = protocol === 'twilio' || encoding === 'mulaw' ? 8000 : asked;
  // Credentials stay in `url` for the connection (they become the Authorization header), never in traces.
  const shown = stripUrlCredentials(url);
  const auth = authOf(str(ctx, 'username'), str(ctx, 'password'), str(ctx, 'bearer'));
  const tap = ctx.ports.media.tap(call, { sampleRate: rate });
  ctx.trace({ type: 'bot.connect', url: shown, protocol });
  try {
    const res = await ctx.ports.bots.stream(
      tap,
      {
        url,
        protocol,
        params: { ...query.params, ...stringMap(ctx, 'params') },
        sampleRate: asked,
        encoding,
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
    ctx.trace({ type: 'bot.end', url: shown, outcome: res.outcome, ...(res.detail ? { detail: res.detail } : {}), ...(res.streamId ? { streamId: res.streamId } : {}) });
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
