/** `notify`: send a JSON webhook; ok on 2xx, error otherwise. It never fails the session. */
import { HttpError } from '../ports/http.js';
import type { StepRun } from '../runtime/step-context.js';
import { checkAborted, num, str, stringMap } from './support.js';

/** Run `notify`. */
export const run: StepRun = async (ctx) => {
  const url = str(ctx, 'url') ?? '';
  const method = str(ctx, 'method') ?? 'POST';
  const started = ctx.ports.clock.monotonic();
  try {
    const res = await ctx.ports.http.request(
      {
        method,
        url,
        headers: stringMap(ctx, 'headers') ?? {},
        body: ctx.args.body,
        timeoutMs: num(ctx, 'timeout', 5000),
        retries: num(ctx, 'retries', 2),
      },
      ctx.signal,
    );
    checkAborted(ctx);
    const ok = res.status >= 200 && res.status < 300;
    ctx.trace({ type: 'http.request', step: 'notify', method, url, status: res.status, attempts: res.attempts, durationMs: ctx.ports.clock.monotonic() - started });
    return { outcome: ok ? 'ok' : 'error', value: { status: res.status, body: res.body } };
  } catch (err) {
    checkAborted(ctx);
    const code = err instanceof HttpError ? err.code : 'error';
    const message = err instanceof Error ? err.message : String(err);
    ctx.trace({ type: 'http.request', step: 'notify', method, url, error: code, message, durationMs: ctx.ports.clock.monotonic() - started });
    return { outcome: 'error', value: { status: null, body: null, error: message } };
  }
};
