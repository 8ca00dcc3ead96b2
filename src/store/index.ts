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
    const [store, bus] = await Promise.all([createRedisStore(setting, { prefix }), createRedisBus(setting, { prefix })]);
    return { store, bus, kind: 'redis' };
  }
  throw new Error(`store: expected "memory" or a redis:// URL, got '${setting}'`);
}
