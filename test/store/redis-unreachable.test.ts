/**
 * Opening the Redis store or bus when Redis cannot be reached fails within a bounded time with a message that
 * names the address, instead of waiting forever while ioredis retries (real sockets: a closed port, and a TCP
 * server that accepts but never speaks Redis).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBus, createRedisStore, openStore } from '../../src/store/index.js';

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address();
  await new Promise<void>((r) => srv.close(() => r()));
  if (typeof addr !== 'object' || !addr) throw new Error('no address');
  return addr.port;
}

describe('Redis unreachable', () => {
  let port: number;
  let silent: Server;
  let silentPort: number;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    port = await closedPort();
    silent = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const addr = silent.address();
    silentPort = typeof addr === 'object' && addr ? addr.port : 0;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('createRedisStore rejects at once on a refused connection, naming the address', async () => {
    const started = Date.now();
    await expect(createRedisStore(`redis://127.0.0.1:${port}`)).rejects.toThrow(
      new RegExp(`cannot reach Redis at 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('createRedisBus and openStore reject the same way', async () => {
    const url = `redis://127.0.0.1:${port}`;
    await expect(createRedisBus(url)).rejects.toThrow(/cannot reach Redis at .*ECONNREFUSED/);
    await expect(openStore(url, 'callflow-test-unreachable:')).rejects.toThrow(/cannot reach Redis at .*ECONNREFUSED/);
  });

  it('gives up after the connect timeout when the server accepts but never answers', async () => {
    const started = Date.now();
    await expect(
      createRedisStore(`redis://127.0.0.1:${silentPort}`, { connectTimeoutMs: 300 }),
    ).rejects.toThrow(`cannot reach Redis at 127.0.0.1:${silentPort}: no answer within 300 ms`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('rejects a URL that does not parse', async () => {
    await expect(createRedisStore('redis://[bad')).rejects.toThrow(/not a valid redis:\/\/ URL/);
  });
});
