/**
 * Store: small shared state (PINs, DID allocations, counters, call registry) with TTLs.
 * Memory by default; Redis when several nodes share the work. Values are JSON.
 */

/** Options for put. */
export interface PutOptions {
  ttlMs?: number;
  /** Write only when the key is absent (atomic: SET NX). */
  ifAbsent?: boolean;
}

/** The store port. Keys are strings; the implementation applies its namespace prefix. */
export interface Store {
  /** The value, or undefined when absent or expired. */
  get(key: string): Promise<unknown>;
  /** Write; returns false only when `ifAbsent` was set and the key existed. */
  put(key: string, value: unknown, opts?: PutOptions): Promise<boolean>;
  /** Delete; returns whether the key existed. */
  delete(key: string): Promise<boolean>;
  /** Atomically add `by` (default 1) to an integer counter (absent = 0); `ttlMs` applies when it is created. */
  incr(key: string, by?: number, opts?: { ttlMs?: number }): Promise<number>;
  /** Keys starting with `prefix` (bounded: at most `limit`, default 1000). */
  keys(prefix: string, limit?: number): Promise<string[]>;
  /** A view of this store whose keys are prefixed with `prefix` (namespaces nest). */
  namespace(prefix: string): Store;
  close(): Promise<void>;
}

/** Publish/subscribe between nodes (the cluster command channel). Memory: in-process; Redis: PUBLISH. */
export interface Bus {
  publish(channel: string, message: unknown): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(channel: string, fn: (message: unknown) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
