/**
 * The Store and Bus contract: every implementation (memory, Redis, anything simulated) must pass it.
 * Each suite gets a fresh, isolated namespace so runs against a shared Redis never see each other's keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus, Store } from '../../src/ports/store.js';

/** Run the Store contract against stores made by `open`. */
export function describeStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let root: Store;
    let s: Store;
    beforeAll(async () => {
      root = await open();
      s = root.namespace(`contract-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}:`);
    });
    afterAll(async () => {
      for (const k of await s.keys('')) await s.delete(k);
      await root.close();
    });

    it('round-trips JSON values and returns copies', async () => {
      const value = { a: 1, b: ['x', null], c: { d: true } };
      expect(await s.put('obj', value)).toBe(true);
      const got = await s.get('obj');
      expect(got).toEqual(value);
      expect(got).not.toBe(value);
      await s.put('str', 'text');
      await s.put('num', 42);
      expect(await s.get('str')).toBe('text');
      expect(await s.get('num')).toBe(42);
      expect(await s.get('absent')).toBeUndefined();
    });

    it('put ifAbsent writes only once (atomic set-if-absent)', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => s.put('once', i, { ifAbsent: true })));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(await s.get('once')).toBe(winner);
    });

    it('expires keys after their TTL', async () => {
      await s.put('short', 'x', { ttlMs: 80 });
      expect(await s.get('short')).toBe('x');
      await new Promise((r) => setTimeout(r, 200));
      expect(await s.get('short')).toBeUndefined();
      expect(await s.put('short', 'y', { ifAbsent: true })).toBe(true);
    });

    it('delete reports whether the key existed', async () => {
      await s.put('gone', 1);
      expect(await s.delete('gone')).toBe(true);
      expect(await s.delete('gone')).toBe(false);
      expect(await s.get('gone')).toBeUndefined();
    });

    it('incr is atomic and starts from zero', async () => {
      const values = await Promise.all(Array.from({ length: 50 }, () => s.incr('counter')));
      expect(new Set(values).size).toBe(50);
      expect(Math.max(...values)).toBe(50);
      expect(await s.incr('counter', 10)).toBe(60);
      expect(await s.get('counter')).toBe(60);
      expect(await s.incr('neg', -3)).toBe(-3);
    });

    it('incr applies the TTL only when it creates the counter', async () => {
      expect(await s.incr('ttl-counter', 1, { ttlMs: 150 })).toBe(1);
      expect(await s.incr('ttl-counter', 1, { ttlMs: 10_000 })).toBe(2);
      await new Promise((r) => setTimeout(r, 300));
      expect(await s.get('ttl-counter')).toBeUndefined();
    });

    it('incr on a non-integer value fails with a TypeError and keeps the value', async () => {
      await s.put('text', 'hello');
      await expect(s.incr('text')).rejects.toBeInstanceOf(TypeError);
      expect(await s.get('text')).toBe('hello');
    });

    it('namespaces isolate keys and nest', async () => {
      const a = s.namespace('a:');
      const b = s.namespace('b:');
      await a.put('k', 'in-a');
      await b.put('k', 'in-b');
      expect(await a.get('k')).toBe('in-a');
      expect(await b.get('k')).toBe('in-b');
      expect(await s.get('a:k')).toBe('in-a');
      expect(await a.namespace('x:').put('y', 1)).toBe(true);
      expect(await s.get('a:x:y')).toBe(1);
    });

    it('lists keys by prefix, relative to the namespace, bounded by limit', async () => {
      const ns = s.namespace('list:');
      for (let i = 0; i < 5; i++) await ns.put(`call:${i}`, i);
      await ns.put('other', 0);
      await ns.put('glob*[x]', 1);
      expect((await ns.keys('call:')).sort()).toEqual(['call:0', 'call:1', 'call:2', 'call:3', 'call:4']);
      expect(await ns.keys('call:', 2)).toHaveLength(2);
      expect(await ns.keys('glob*')).toEqual(['glob*[x]']);
    });

    it('rejects values that are not JSON', async () => {
      await expect(s.put('bad', undefined)).rejects.toBeInstanceOf(TypeError);
    });
  });
}

/** Run the Bus contract: messages published on a channel reach every subscriber of it, and only them. */
export function describeBusContract(name: string, open: () => Promise<Bus>): void {
  describe(`Bus contract: ${name}`, () => {
    let bus: Bus;
    beforeAll(async () => {
      bus = await open();
    });
    afterAll(async () => {
      await bus.close();
    });

    const channel = (): string => `contract-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const nextMessage = (b: Bus, ch: string): Promise<{ got: Promise<unknown>; off: () => Promise<void> }> =>
      new Promise((resolve) => {
        let deliver: (m: unknown) => void = () => undefined;
        const got = new Promise<unknown>((r) => (deliver = r));
        void b.subscribe(ch, (m) => deliver(m)).then((off) => resolve({ got, off }));
      });

    it('delivers JSON messages to subscribers of the channel', async () => {
      const ch = channel();
      const one = await nextMessage(bus, ch);
      const two = await nextMessage(bus, ch);
      await bus.publish(ch, { cmd: 'hangup', id: 'abc' });
      expect(await one.got).toEqual({ cmd: 'hangup', id: 'abc' });
      expect(await two.got).toEqual({ cmd: 'hangup', id: 'abc' });
      await one.off();
      await two.off();
    });

    it('does not deliver other channels or after unsubscribe', async () => {
      const ch = channel();
      const seen: unknown[] = [];
      const off = await bus.subscribe(ch, (m) => seen.push(m));
      await bus.publish(`${ch}-other`, 'nope');
      await bus.publish(ch, 1);
      await new Promise((r) => setTimeout(r, 100));
      await off();
      await bus.publish(ch, 2);
      await new Promise((r) => setTimeout(r, 100));
      expect(seen).toEqual([1]);
    });
  });
}
