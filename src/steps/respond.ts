/** `respond`: send the HTTP response of an `on http` session; the session may continue afterwards. */
import type { StepRun } from '../runtime/step-context.js';
import { StepError, num, stringMap } from './support.js';

/** Run `respond`. Responding twice is a flow bug, reported as an error rather than ignored. */
export const run: StepRun = async (ctx) => {
  const http = ctx.http;
  if (!http) throw new StepError('no-http', 'respond needs a session started by an `on http` entry');
  if (http.responded) throw new StepError('already-responded', 'this request has already been answered');
  const status = num(ctx, 'status', 200);
  const body = ctx.args.body;
  http.respond(status, body, stringMap(ctx, 'headers') ?? {});
  ctx.trace({ type: 'http.respond', status, body });
  return { outcome: 'sent' };
};
