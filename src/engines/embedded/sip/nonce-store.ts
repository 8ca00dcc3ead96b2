/**
 * Server nonces for digest authentication (RFC 7616 §3.3): a nonce is an HMAC-signed timestamp,
 * so expiry (→ stale=true) needs no storage; nonce-count replay tracking keeps the last nc per nonce.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The verdict on a nonce presented by a client. */
export const NonceVerdict = { Fresh: 'fresh', Stale: 'stale', Invalid: 'invalid', Replay: 'replay' } as const;
/** One of the nonce verdicts. */
export type NonceVerdict = (typeof NonceVerdict)[keyof typeof NonceVerdict];

/** Issues and checks nonces. */
export class NonceStore {
  private readonly secret = randomBytes(32);
  private readonly counts = new Map<string, { nc: number; expires: number }>();
  private lastPrune = 0;

  constructor(
    private readonly ttlMs = 300_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new nonce valid for the TTL. */
  issue(): string {
    const ts = this.now().toString(36);
    const salt = randomBytes(6).toString('base64url');
    return `${ts}.${salt}.${this.sign(`${ts}.${salt}`)}`;
  }

  /** Checks a nonce and, when given, its nonce-count (must strictly increase per nonce). */
  check(nonce: string, nc?: string): NonceVerdict {
    const parts = nonce.split('.');
    if (parts.length !== 3) return NonceVerdict.Invalid;
    const [ts, salt, mac] = parts as [string, string, string];
    const want = Buffer.from(this.sign(`${ts}.${salt}`));
    const got = Buffer.from(mac);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return NonceVerdict.Invalid;
    const issued = parseInt(ts, 36);
    const now = this.now();
    if (!Number.isFinite(issued) || now - issued > this.ttlMs) return NonceVerdict.Stale;
    if (nc !== undefined) {
      const n = parseInt(nc, 16);
      if (!Number.isFinite(n)) return NonceVerdict.Invalid;
      const seen = this.counts.get(nonce);
      if (seen && n <= seen.nc) return NonceVerdict.Replay;
      this.counts.set(nonce, { nc: n, expires: issued + this.ttlMs });
      if (now - this.lastPrune > 10_000) this.prune(now);
    }
    return NonceVerdict.Fresh;
  }

  private sign(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url').slice(0, 22);
  }

  private prune(now: number): void {
    this.lastPrune = now;
    for (const [k, v] of this.counts) if (v.expires < now) this.counts.delete(k);
  }
}
