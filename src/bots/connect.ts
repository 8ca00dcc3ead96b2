/**
 * Reaching the bot: resolve an https endpoint that answers {"url": "wss://..."} (as Exotel allows), build the
 * upgrade's Authorization header (Basic from the options or the URL's user:password, or Bearer), and open the
 * socket with a handshake timeout and one retry.
 */
import WebSocket from 'ws';

/** Why the bot could not be reached. */
export class BotConnectError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'BotConnectError';
  }
}

/** `url` without `user:password@`, for messages and logs (the credentials go in the Authorization header). */
export function safeUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
}

/** Turn an https endpoint into the ws(s) URL it names; ws(s) URLs pass through. */
export async function resolveBotUrl(url: string, timeoutMs: number, signal?: AbortSignal): Promise<string> {
  if (/^wss?:\/\//i.test(url)) return url;
  if (!/^https?:\/\//i.test(url)) throw new BotConnectError(`bot URL must start with ws://, wss://, http:// or https://: '${safeUrl(url)}'`, 0);
  const timeout = AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    // fetch refuses URLs with credentials (and names them in its error): send them as Basic instead.
    const { url: bare, headers } = upgradeAuth(url);
    res = await fetch(bare, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, headers: { accept: 'application/json', ...headers } });
  } catch (err) {
    throw new BotConnectError(`could not resolve the bot URL from ${safeUrl(url)}: ${(err as Error).message}`, 0);
  }
  const body = (await res.json().catch(() => undefined)) as { url?: unknown } | undefined;
  if (!res.ok || typeof body?.url !== 'string' || !/^wss?:\/\//i.test(body.url)) {
    throw new BotConnectError(`${safeUrl(url)} answered ${res.status} without a ws:// or wss:// "url"`, 0);
  }
  return body.url;
}

/** Authorization for the upgrade; credentials in the URL are moved into the header (and out of logs). */
export function upgradeAuth(rawUrl: string, auth?: { username: string; password: string } | { bearer: string }): { url: string; headers: Record<string, string> } {
  const u = new URL(rawUrl);
  const headers: Record<string, string> = {};
  if (u.username) {
    const creds = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
    headers.authorization = `Basic ${Buffer.from(creds).toString('base64')}`;
    u.username = '';
    u.password = '';
  }
  if (auth && 'bearer' in auth) headers.authorization = `Bearer ${auth.bearer}`;
  else if (auth) headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  return { url: u.toString(), headers };
}

function openOnce(url: string, headers: Record<string, string>, timeoutMs: number, signal?: AbortSignal): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    // No UTF-8 validation of the bot's text frames: a bad byte becomes U+FFFD and the message is then rejected
    // (and logged) by JSON or protocol checks like any other bot mistake, instead of failing the connection.
    const ws = new WebSocket(url, { headers, handshakeTimeout: timeoutMs, perMessageDeflate: false, skipUTF8Validation: true });
    const onAbort = (): void => {
      ws.terminate();
      reject(new BotConnectError('aborted while connecting', 1));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (): void => signal?.removeEventListener('abort', onAbort);
    ws.once('open', () => {
      done();
      resolve(ws);
    });
    ws.once('unexpected-response', (_req, res) => {
      done();
      ws.terminate();
      reject(new BotConnectError(`the bot refused the upgrade with HTTP ${res.statusCode ?? '?'}`, 1));
    });
    ws.once('error', (err) => {
      done();
      reject(new BotConnectError(err.message, 1));
    });
  });
}

/** Open the bot socket: one attempt, then one retry (Exotel's documented behaviour). */
export async function connectBot(url: string, headers: Record<string, string>, timeoutMs: number, signal?: AbortSignal): Promise<WebSocket> {
  let last: Error | undefined;
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      return await openOnce(url, headers, timeoutMs, signal);
    } catch (err) {
      last = err as Error;
      if (signal?.aborted) break;
    }
  }
  throw new BotConnectError(`could not connect to the bot at ${safeUrl(url)} (2 attempts): ${last?.message ?? 'unknown error'}`, 2);
}
