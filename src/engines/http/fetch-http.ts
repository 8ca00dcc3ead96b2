/**
 * The Http port over Node's fetch (undici): per-attempt timeouts, retries with exponential backoff on network
 * errors, timeouts and 5xx, and JSON bodies in both directions. Used by every engine for lookup and notify.
 */
import { HttpError, type Http, type HttpRequest, type HttpResponse } from '../../ports/http.js';

/** Options for the client. */
export interface FetchHttpOptions {
  /** First retry delay; doubles per attempt. */
  backoffMs?: number;
  /** Cap on response body size read, to protect the server from huge answers. */
  maxBodyBytes?: number;
  userAgent?: string;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new HttpError('aborted', 'request aborted', 0));
      },
      { once: true },
    );
  });
}

async function readBody(res: Response, maxBytes: number): Promise<unknown> {
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > maxBytes) throw new HttpError('network', `response body exceeds ${maxBytes} bytes`, 0);
  const text = buf.toString('utf8');
  const type = res.headers.get('content-type') ?? '';
  if (/\bjson\b/i.test(type) && text.trim() !== '') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text; // a server that lies about JSON still gets its text seen in the trace
    }
  }
  return text;
}

/** Create the fetch-based Http port. */
export function createFetchHttp(opts: FetchHttpOptions = {}): Http {
  const backoffMs = opts.backoffMs ?? 200;
  const maxBodyBytes = opts.maxBodyBytes ?? 1 << 20;
  const userAgent = opts.userAgent ?? 'callflow';

  async function attempt(req: HttpRequest, signal: AbortSignal | undefined): Promise<Response> {
    const headers: Record<string, string> = { 'user-agent': userAgent, ...req.headers };
    let body: string | undefined;
    if (req.body !== undefined && req.method !== 'GET' && req.method !== 'HEAD') {
      if (typeof req.body === 'string') body = req.body;
      else {
        body = JSON.stringify(req.body);
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
      }
    }
    const timeout = AbortSignal.timeout(req.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      return await fetch(req.url, { method: req.method, headers, body, signal: combined, redirect: 'follow' });
    } catch (err) {
      if (signal?.aborted) throw new HttpError('aborted', 'request aborted', 0);
      if (timeout.aborted) throw new HttpError('timeout', `no response within ${req.timeoutMs} ms`, 0);
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new HttpError('network', cause?.code ?? cause?.message ?? (err as Error).message, 0);
    }
  }

  return {
    async request(req, signal) {
      try {
        new URL(req.url);
      } catch {
        throw new HttpError('bad-url', `not a valid URL: '${req.url}'`, 0);
      }
      const started = performance.now();
      let lastError: HttpError | undefined;
      for (let i = 0; i <= req.retries; i++) {
        if (i > 0) await delay(backoffMs * 2 ** (i - 1), signal);
        try {
          const res = await attempt(req, signal);
          if (res.status >= 500 && i < req.retries) {
            await res.arrayBuffer().catch(() => undefined);
            lastError = new HttpError('network', `HTTP ${res.status}`, i + 1);
            continue;
          }
          const response: HttpResponse = {
            status: res.status,
            headers: Object.fromEntries(res.headers),
            body: await readBody(res, maxBodyBytes),
            attempts: i + 1,
            durationMs: performance.now() - started,
          };
          return response;
        } catch (err) {
          if (!(err instanceof HttpError) || err.code === 'aborted') throw err;
          lastError = new HttpError(err.code, err.message, i + 1);
        }
      }
      throw lastError ?? new HttpError('network', 'request failed', req.retries + 1);
    },
  };
}
