/**
 * Access control that runs before any transaction exists: a source-IP allow list (CIDR, IPv4/IPv6)
 * and a per-source token bucket as a flood guard.
 */
import { BlockList, isIPv6 } from 'node:net';

/** Allow list and rate limit settings. */
export interface AccessControlOptions {
  /** CIDR blocks or single addresses; undefined or empty means everyone is allowed. */
  allow?: readonly string[];
  /** Sustained requests per second per source IP; undefined disables the limit. */
  ratePerSecond?: number;
  /** Bucket size (burst); defaults to 2 × ratePerSecond. */
  burst?: number;
  now?: () => number;
}

/** Why a packet was refused. */
export const AccessDecision = { Allow: 'allow', NotAllowed: 'not-allowed', RateLimited: 'rate-limited' } as const;
/** The result of `AccessControl.check`. */
export type AccessDecision = (typeof AccessDecision)[keyof typeof AccessDecision];

interface Bucket {
  tokens: number;
  last: number;
}

/** Parses "10.0.0.0/8", "::1", "2001:db8::/32" into a BlockList used as an allow list. */
export function buildAllowList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    const [ip, prefix] = entry.split('/');
    if (!ip) continue;
    const family = isIPv6(ip) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(ip, family);
    else list.addSubnet(ip, Number(prefix), family);
  }
  return list;
}

/** Checks a source address against the allow list and its token bucket. */
export class AccessControl {
  private readonly allow: BlockList | undefined;
  private readonly rate: number | undefined;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly buckets = new Map<string, Bucket>();
  private lastPrune = 0;

  constructor(opts: AccessControlOptions = {}) {
    this.allow = opts.allow && opts.allow.length > 0 ? buildAllowList(opts.allow) : undefined;
    this.rate = opts.ratePerSecond;
    this.burst = opts.burst ?? (opts.ratePerSecond ?? 0) * 2;
    this.now = opts.now ?? Date.now;
  }

  /** Decides for one incoming request from `ip`. */
  check(ip: string): AccessDecision {
    if (this.allow && !this.isAllowed(ip)) return AccessDecision.NotAllowed;
    if (this.rate === undefined) return AccessDecision.Allow;
    const now = this.now();
    let b = this.buckets.get(ip);
    if (!b) {
      b = { tokens: this.burst, last: now };
      this.buckets.set(ip, b);
    } else {
      b.tokens = Math.min(this.burst, b.tokens + ((now - b.last) / 1000) * this.rate);
      b.last = now;
    }
    if (now - this.lastPrune > 60_000) this.prune(now);
    if (b.tokens < 1) return AccessDecision.RateLimited;
    b.tokens -= 1;
    return AccessDecision.Allow;
  }

  private isAllowed(ip: string): boolean {
    const v4mapped = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
    const family = isIPv6(v4mapped) ? 'ipv6' : 'ipv4';
    try {
      return this.allow!.check(v4mapped, family);
    } catch {
      return false;
    }
  }

  /** Drops full buckets so one-off sources do not grow the map forever. */
  private prune(now: number): void {
    this.lastPrune = now;
    for (const [ip, b] of this.buckets) {
      if (b.tokens + ((now - b.last) / 1000) * (this.rate ?? 0) >= this.burst) this.buckets.delete(ip);
    }
  }
}
