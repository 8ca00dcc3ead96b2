/** Store implementations and a factory from the `store:` setting ("memory" or a redis:// URL). */
import type { Bus, Store } from '../ports/store.js';
import { createMemoryBus, createMemoryStore } from './memory.js';
import { createRedisBus, createRedisStore } from './redis.js';

export { createMemoryBus, createMemoryStore } from './memory.js';
export { createRedisBus, createRedisStore } from './redis.js';

/** Open the store and bus a deployment asked for. */
export async function openStore(setting: string, prefix = 'callflow:'): Promise<{ store: Store; bus: Bus; kind: 'memory' | 'redis' }> {
  if (setting === 'memory' || setting === '') return { store: createMemoryStore(), bus: createMemoryBus(), kind: 'memory' };
  if (/^rediss?:\/\//.test(setting)) {
    // The store connects first: when Redis is unreachable that fails fast, and the bus is never attempted.
    const store = await createRedisStore(setting, { prefix });
    try {
      return { store, bus: await createRedisBus(setting, { prefix }), kind: 'redis' };
    } catch (err) {
      await store.close().catch(() => undefined);
      throw err;
    }
  }
  throw new Error(`store: expected "memory" or a redis:// URL, got '${setting}'`);
}
