/**
 * Simulated Http: scripted answers per URL and method, in virtual time, with the same retry rules as the
 * fetch client (retry network errors, timeouts and 5xx with doubling backoff; 4xx are answers).
 * A request nobody scripted fails as a network error, recorded as `unscripted`, so a test sees it.
 */
import { HttpError, type Http, type HttpRequest, type HttpResponse } from '../../ports/http.js';
import type { HttpRecord } from './record.js';
import { globMatch, type SimHttpAnswer, type SimHttpRoute } from './script.js';
import type { SimWorld } from './world.js';

function routeMatches(route: SimHttpRoute, method: string, url: URL): boolean {
  if (route.method && route.method.toUpperCase() !== method.toUpperCase()) return false;
  if (route.url.startsWith('/')) return globMatch(route.url, url.pathname) || globMatch(route.url, url.pathname + url.search);
  const full = url.toString();
  return globMatch(route.url, full) || globMatch(route.url, full.split('?')[0] ?? full) || globMatch(route.url.replace(/\/$/, ''), full.replace(/\/$/, ''));
}

/** A JSON-safe copy, so the flow never shares objects with the script. */
function copy(v: unknown): unknown {
  return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as unknown);
}

/** Create the simulated Http port. */
export function createSimHttp(world: SimWorld, opts: { backoffMs?: number } = {}): Http {
  const backoffMs = opts.backoffMs ?? 200;
  const counters = new Map<SimHttpRoute, number>();

  function answerFor(method: string, url: URL): SimHttpAnswer | undefined {
    const route = (world.script.http ?? []).find((r) => routeMatches(r, method, url));
    if (!route) return undefined;
    const n = counters.get(route) ?? 0;
    counters.set(route, n + 1);
    if (route.sequence && route.sequence.length > 0) return route.sequence[Math.min(n, route.sequence.length - 1)];
    return route;
  }

  /** Wait `ms` of virtual time; rejects with HttpError aborted when the signal fires. */
  function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new HttpError('aborted', 'request aborted', 0));
      const onAbort = (): void => {
        cancel();
        reject(new HttpError('aborted', 'request aborted', 0));
      };
      const cancel = world.clock.setTimer(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async function attempt(req: HttpRequest, url: URL, n: number, signal: AbortSignal | undefined): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    // What the fetch client puts on the wire, so expectations read the same on both engines.
    if (req.body !== undefined && typeof req.body !== 'string' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    const rec: HttpRecord = { at: world.t(), method: req.method.toUpperCase(), url: req.url, headers, body: copy(req.body), attempt: n };
    world.record.http.push(rec);
    const t0 = world.t();
    const answer = answerFor(req.method, url);
    try {
      if (!answer) {
        rec.error = 'unscripted';
        throw new HttpError('network', `no scripted answer for ${req.method} ${req.url}`, n);
      }
      const delay = answer.error === 'hang' ? Number.POSITIVE_INFINITY : (answer.delay ?? 0);
      if (delay >= req.timeoutMs) {
        await wait(req.timeoutMs, signal);
        rec.error = 'timeout';
        throw new HttpError('timeout', `no response within ${req.timeoutMs} ms`, n);
      }
      await wait(delay, signal);
      if (answer.error === 'network') {
        rec.error = 'network';
        throw new HttpError('network', 'ECONNRESET', n);
      }
      const status = answer.status ?? 200;
      rec.status = status;
      const isText = typeof answer.body === 'string';
      const headers: Record<string, string> = { 'content-type': isText ? 'text/plain' : 'application/json', ...(answer.headers ?? {}) };
      return { status, headers, body: answer.body === undefined ? '' : copy(answer.body), attempts: n, durationMs: 0 };
    } catch (err) {
      if (err instanceof HttpError && err.code === 'aborted') rec.error = 'aborted';
      throw err;
    } finally {
      rec.durationMs = world.t() - t0;
    }
  }

  return {
    async request(req, signal) {
      let url: URL;
      try {
        url = new URL(req.url);
      } catch {
        throw new HttpError('bad-url', `not a valid URL: '${req.url}'`, 0);
      }
      const started = world.t();
      let lastError: HttpError | undefined;
      for (let i = 0; i <= req.retries; i++) {
        if (i > 0) await wait(backoffMs * 2 ** (i - 1), signal);
        try {
          const res = await attempt(req, url, i + 1, signal);
          if (res.status >= 500 && i < req.retries) continue;
          return { ...res, durationMs: world.t() - started };
        } catch (err) {
          if (!(err instanceof HttpError) || err.code === 'aborted') throw err;
          lastError = err;
        }
      }
      throw lastError ?? new HttpError('network', 'request failed', req.retries + 1);
    },
  };
}
