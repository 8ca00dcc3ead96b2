/**
 * Fail fast when the configured Redis cannot be reached: a plain TCP connect with a timeout, before the store
 * client (which retries forever) is created, so `callflow serve` exits with a clear message instead of hanging.
 */
import { connect } from 'node:net';
import { ConfigError } from './config.js';

/** Resolve when a TCP connection to the Redis URL's host and port succeeds; throw ConfigError otherwise. */
export async function probeRedis(url: string, timeoutMs = 3000): Promise<void> {
  let host: string;
  let port: number;
  try {
    const u = new URL(url);
    host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
    port = u.port ? Number(u.port) : 6379;
  } catch {
    throw new ConfigError(`store: '${url}' is not a valid redis:// URL`);
  }
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (why: string): void => {
      socket.destroy();
      reject(new ConfigError(`store: cannot reach Redis at ${host}:${port} (${why})`));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    socket.once('error', (err) => fail(err.message));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
}
