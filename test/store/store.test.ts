/** Runs the Store and Bus contracts against the memory implementation and the real Redis at 127.0.0.1:6379. */
import { createMemoryBus, createMemoryStore, createRedisBus, createRedisStore } from '../../src/store/index.js';
import { describeBusContract, describeStoreContract } from '../contracts/store-contract.js';

const REDIS_URL = process.env.CALLFLOW_TEST_REDIS ?? 'redis://127.0.0.1:6379/0';

describeStoreContract('memory', () => Promise.resolve(createMemoryStore({ sweepMs: 50 })));
describeStoreContract('redis', () => createRedisStore(REDIS_URL, { prefix: 'callflow-test:' }));
describeBusContract('memory', () => Promise.resolve(createMemoryBus()));
describeBusContract('redis', () => createRedisBus(REDIS_URL, { prefix: 'callflow-test:' }));
