/**
 * A byte-bounded LRU of decoded PCM keyed by string (file path + mtime, or a TTS hash).
 * Concurrent loads of the same key share one promise, so a prompt is decoded once however many calls start it.
 */

/** LRU cache of 8 kHz int16 PCM with a total byte budget. */
export class PcmCache {
  private readonly entries = new Map<string, Int16Array>();
  private readonly pending = new Map<string, Promise<Int16Array>>();
  private bytes = 0;
  /** Loads actually run (cache misses), for tests and metrics. */
  loads = 0;

  constructor(readonly maxBytes: number = 64 * 1024 * 1024) {}

  /** Bytes held. */
  get size(): number {
    return this.bytes;
  }

  /** The cached PCM for `key`, refreshing its recency; undefined on a miss. */
  peek(key: string): Int16Array | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  /** Return the cached PCM for `key`, or run `load` once (shared by concurrent callers) and cache the result. */
  get(key: string, load: () => Promise<Int16Array>): Promise<Int16Array> {
    const hit = this.peek(key);
    if (hit) return Promise.resolve(hit);
    const inflight = this.pending.get(key);
    if (inflight) return inflight;
    this.loads++;
    const p = load().then(
      (pcm) => {
        this.pending.delete(key);
        this.put(key, pcm);
        return pcm;
      },
      (err: unknown) => {
        this.pending.delete(key);
        throw err;
      },
    );
    this.pending.set(key, p);
    return p;
  }

  /** Store PCM under `key`, evicting the least recently used entries beyond the budget. */
  put(key: string, pcm: Int16Array): void {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.byteLength;
      this.entries.delete(key);
    }
    if (pcm.byteLength > this.maxBytes) return;
    this.entries.set(key, pcm);
    this.bytes += pcm.byteLength;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.byteLength;
    }
  }
}
