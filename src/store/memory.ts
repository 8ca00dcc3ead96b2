/**
 * The in-memory store: the default for a single node. TTLs are enforced lazily on read and by a periodic
 * sweep, so expired keys neither answer reads nor accumulate.
 */
import type { Bus, PutOptions, Store } from '../ports/store.js';

interface Entry {
  value: string;
  expiresAt: number;
}

/** Shared state behind every namespace view of one memory store. */
class MemoryState {
  readonly map = new Map<string, Entry>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(readonly now: () => number) {}

  startSweeping(everyMs: number): void {
    this.sweeper = setInterval(() => this.sweep(), everyMs);
    this.sweeper.unref();
  }

  stopSweeping(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  sweep(): void {
    const now = this.now();
    for (const [k, e] of this.map) if (e.expiresAt <= now) this.map.delete(k);
  }

  live(key: string): Entry | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    return e;
  }
}

/** Values are stored as JSON text so both stores hand back copies with identical semantics. */
function encode(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('store values must be JSON-serialisable');
  return text;
}

class MemoryStore implements Store {
  constructor(
    private readonly state: MemoryState,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<unknown> {
    const e = this.state.live(this.prefix + key);
    return e ? (JSON.parse(e.value) as unknown) : undefined;
  }

  async put(key: string, value: unknown, opts: PutOptions = {}): Promise<boolean> {
    const k = this.prefix + key;
    const text = encode(value);
    if (opts.ifAbsent && this.state.live(k)) return false;
    const expiresAt = opts.ttlMs !== undefined ? this.state.now() + opts.ttlMs : Infinity;
    this.state.map.set(k, { value: text, expiresAt });
    return true;
  }

  async delete(key: string): Promise<boolean> {
    const k = this.prefix + key;
    const existed = this.state.live(k) !== undefined;
    this.state.map.delete(k);
    return existed;
  }

  async incr(key: string, by = 1, opts: { ttlMs?: number } = {}): Promise<number> {
    const k = this.prefix + key;
    const e = this.state.live(k);
    if (e) {
      const current = JSON.parse(e.value) as unknown;
      if (typeof current !== 'number' || !Number.isInteger(current)) {
        throw new TypeError(`store key '${key}' does not hold an integer`);
      }
      e.value = String(current + by);
      return current + by;
    }
    const expiresAt = opts.ttlMs !== undefined ? this.state.now() + opts.ttlMs : Infinity;
    this.state.map.set(k, { value: String(by), expiresAt });
    return by;
  }

  async keys(prefix: string, limit = 1000): Promise<string[]> {
    const full = this.prefix + prefix;
    const out: string[] = [];
    for (const k of this.state.map.keys()) {
      if (out.length >= limit) break;
      if (k.startsWith(full) && this.state.live(k)) out.push(k.slice(this.prefix.length));
    }
    return out;
  }

  namespace(prefix: string): Store {
    return new MemoryStore(this.state, this.prefix + prefix);
  }

  async close(): Promise<void> {
    this.state.stopSweeping();
  }
}

/** Create an in-memory store. `now` is injectable for simulations; sweeping is off when `sweepMs` is 0. */
export function createMemoryStore(opts: { now?: () => number; sweepMs?: number; prefix?: string } = {}): Store {
  const state = new MemoryState(opts.now ?? Date.now);
  const sweepMs = opts.sweepMs ?? 60_000;
  if (sweepMs > 0) state.startSweeping(sweepMs);
  return new MemoryStore(state, opts.prefix ?? '');
}

/** An in-process bus: delivery is asynchronous (next microtask) like a real broker's. */
export function createMemoryBus(): Bus {
  const subs = new Map<string, Set<(m: unknown) => void>>();
  return {
    publish(channel, message) {
      const copy = JSON.parse(encode(message)) as unknown;
      for (const fn of subs.get(channel) ?? []) queueMicrotask(() => fn(copy));
      return Promise.resolve();
    },
    subscribe(channel, fn) {
      let set = subs.get(channel);
      if (!set) subs.set(channel, (set = new Set()));
      set.add(fn);
      return Promise.resolve(() => {
        set.delete(fn);
        return Promise.resolve();
      });
    },
    close() {
      subs.clear();
      return Promise.resolve();
    },
  };
}
