/**
 * The Redis store (ioredis), for several nodes sharing PINs, DID allocations, counters and the call registry.
 * Atomicity comes from Redis itself: SET NX PX for set-if-absent, a Lua script for incr-with-TTL-on-create.
 */
import { Redis } from 'ioredis';
import type { Bus, PutOptions, Store } from '../ports/store.js';

/** INCRBY that sets the TTL only when this call created the key, in one atomic step. */
const INCR_WITH_TTL = `
local existed = redis.call('EXISTS', KEYS[1])
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
if existed == 0 and ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return v`;

/** Escape glob metacharacters so SCAN MATCH treats a key prefix literally. */
function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

class RedisStore implements Store {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly owner: boolean,
  ) {}

  async get(key: string): Promise<unknown> {
    const v = await this.client.get(this.prefix + key);
    return v === null ? undefined : (JSON.parse(v) as unknown);
  }

  async put(key: string, value: unknown, opts: PutOptions = {}): Promise<boolean> {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError('store values must be JSON-serialisable');
    const k = this.prefix + key;
    const ttl = opts.ttlMs !== undefined ? Math.max(1, Math.ceil(opts.ttlMs)) : undefined;
    let res: string | null;
    if (ttl !== undefined && opts.ifAbsent) res = await this.client.set(k, text, 'PX', ttl, 'NX');
    else if (ttl !== undefined) res = await this.client.set(k, text, 'PX', ttl);
    else if (opts.ifAbsent) res = await this.client.set(k, text, 'NX');
    else res = await this.client.set(k, text);
    return res === 'OK';
  }

  async delete(key: string): Promise<boolean> {
    return (await this.client.del(this.prefix + key)) > 0;
  }

  async incr(key: string, by = 1, opts: { ttlMs?: number } = {}): Promise<number> {
    const ttl = opts.ttlMs !== undefined ? String(Math.max(1, Math.ceil(opts.ttlMs))) : '';
    try {
      return Number(await this.client.eval(INCR_WITH_TTL, 1, this.prefix + key, String(by), ttl));
    } catch (err) {
      // Redis answers "ERR value is not an integer"; report it the way the memory store does.
      throw new TypeError(`store key '${key}' does not hold an integer`, { cause: err });
    }
  }

  async keys(prefix: string, limit = 1000): Promise<string[]> {
    const out: string[] = [];
    let cursor = '0';
    const match = `${globEscape(this.prefix + prefix)}*`;
    do {
      const [next, batch] = await this.client.scan(cursor, 'MATCH', match, 'COUNT', 500);
      cursor = next;
      for (const k of batch) {
        if (out.length >= limit) return out;
        out.push(k.slice(this.prefix.length));
      }
    } while (cursor !== '0');
    return out;
  }

  namespace(prefix: string): Store {
    return new RedisStore(this.client, this.prefix + prefix, false);
  }

  async close(): Promise<void> {
    if (this.owner) await this.client.quit();
  }
}

/** Connection options shared by the store and the bus. */
export interface RedisConnectOptions {
  /** Key and channel prefix (default `callflow:`). */
  prefix?: string;
  /** How long the first connection may take before giving up (ms, default 3000). */
  connectTimeoutMs?: number;
}

/** `host:port` of a redis:// URL, for messages; throws on a URL that does not parse. */
function addressOf(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`'${url}' is not a valid redis:// URL`);
  }
  const host = u.hostname || '127.0.0.1';
  return `${host}:${u.port || '6379'}`;
}

/**
 * Open a client and wait for its first connection. ioredis retries a refused connection forever (its
 * `connect()` never settles then), so the first error or the timeout ends the attempt; once connected, the
 * client's own reconnects take over.
 */
async function connectClient(url: string, opts: RedisConnectOptions): Promise<Redis> {
  const where = addressOf(url);
  const timeoutMs = opts.connectTimeoutMs ?? 3000;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: timeoutMs });
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.off('error', finish);
      if (!err) return resolve();
      client.disconnect();
      reject(new Error(`cannot reach Redis at ${where}: ${err.message}`, { cause: err }));
    };
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    client.once('error', finish);
    client.connect().then(
      () => finish(),
      (err: unknown) => finish(err instanceof Error ? err : new Error(String(err))),
    );
  });
  return client;
}

/** Connect to Redis at `url` (redis://host:port/db); rejects with a clear error if it cannot be reached. */
export async function createRedisStore(url: string, opts: RedisConnectOptions = {}): Promise<Store> {
  const client = await connectClient(url, opts);
  return new RedisStore(client, opts.prefix ?? 'callflow:', true);
}

/** A bus over Redis PUBLISH/SUBSCRIBE; subscribing uses its own connection, as Redis requires. */
export async function createRedisBus(url: string, opts: RedisConnectOptions = {}): Promise<Bus> {
  const prefix = opts.prefix ?? 'callflow:';
  const pub = await connectClient(url, opts);
  let sub: Redis;
  try {
    sub = await connectClient(url, opts);
  } catch (err) {
    pub.disconnect();
    throw err;
  }
  const handlers = new Map<string, Set<(m: unknown) => void>>();
  sub.on('message', (channel: string, text: string) => {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return; // not ours: someone else published on our channel
    }
    for (const fn of handlers.get(channel) ?? []) fn(msg);
  });
  return {
    async publish(channel, message) {
      await pub.publish(prefix + channel, JSON.stringify(message));
    },
    async subscribe(channel, fn) {
      const full = prefix + channel;
      let set = handlers.get(full);
      if (!set) {
        handlers.set(full, (set = new Set()));
        await sub.subscribe(full);
      }
      set.add(fn);
      return async () => {
        set.delete(fn);
        if (set.size === 0) {
          handlers.delete(full);
          await sub.unsubscribe(full);
        }
      };
    },
    async close() {
      await Promise.all([pub.quit(), sub.quit()]);
    },
  };
}
