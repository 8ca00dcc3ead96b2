import { describe, expect, it } from 'vitest';
import { NonceStore } from './nonce-store.js';

describe('NonceStore', () => {
  it('accepts its own nonce, rejects forged ones, reports stale after the TTL', () => {
    let now = 1_000_000;
    const store = new NonceStore(1000, () => now);
    const n = store.issue();
    expect(store.check(n)).toBe('fresh');
    expect(store.check(n.slice(0, -2) + 'xx')).toBe('invalid');
    expect(store.check('garbage')).toBe('invalid');
    now += 1001;
    expect(store.check(n)).toBe('stale');
  });

  it('tracks nonce-count replays', () => {
    const store = new NonceStore();
    const n = store.issue();
    expect(store.check(n, '00000001')).toBe('fresh');
    expect(store.check(n, '00000001')).toBe('replay');
    expect(store.check(n, '00000002')).toBe('fresh');
    expect(store.check(n, 'zz')).toBe('invalid');
  });
});
