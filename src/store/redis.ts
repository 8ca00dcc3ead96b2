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

/** Connect to Redis at `url` (redis://host:port/db); rejects if the server cannot be reached. */
export async function createRedisStore(url: string, opts: { prefix?: string } = {}): Promise<Store> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await client.connect();
  return new RedisStore(client, opts.prefix ?? 'callflow:', true);
}

/** A bus over Redis PUBLISH/SUBSCRIBE; subscribing uses its own connection, as Redis requires. */
export async function createRedisBus(url: string, opts: { prefix?: string } = {}): Promise<Bus> {
  const prefix = opts.prefix ?? 'callflow:';
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const sub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await Promise.all([pub.connect(), sub.connect()]);
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
