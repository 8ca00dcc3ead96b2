/**
 * Where a dial goes: a SIP URI as given, or a number sent through a trunk (named, given as URI/host in `via`,
 * or the default trunk); and which trunk an inbound call's source belongs to.
 */
import type { BlockList } from 'node:net';
import { buildAllowList } from './sip/access-control.js';
import { parseUri } from './sip/header-util.js';
import { userOf } from './call-info.js';

/** A configured trunk (the same shape as the server's TrunkConfig). */
export interface EngineTrunk {
  /** SIP URI of the trunk, e.g. sip:carrier.example.com:5060;transport=tcp. */
  uri: string;
  /** Source IPs / CIDRs its inbound calls come from. */
  sources?: string[];
  /** Credentials for digest challenges from the trunk (RFC 7616). */
  username?: string;
  password?: string;
  default?: boolean;
}

/** A resolved dial route. */
export interface DialRoute {
  /** The Request-URI. */
  uri: string;
  /** Outbound proxy (loose route, §8.1.2) when a full URI goes through a trunk. */
  proxy?: string;
  auth?: { username: string; password: string };
}

/** A bare host[:port] or a sip: URI as a sip: URI. */
function asUri(v: string): string {
  return /^sips?:/i.test(v) ? v : `sip:${v}`;
}

/** Resolves `to` (+ optional `via`) against the trunks; a string is the reason no route exists. */
export function routeDial(
  to: string,
  via: string | undefined,
  trunks: Record<string, EngineTrunk>,
): DialRoute | string {
  const named =
    via !== undefined
      ? trunks[via]
      : (Object.values(trunks).find((t) => t.default) ??
        (Object.keys(trunks).length === 1 ? Object.values(trunks)[0] : undefined));
  const base = named?.uri ?? (via !== undefined ? asUri(via) : undefined);
  const auth =
    named?.username !== undefined && named.password !== undefined
      ? { username: named.username, password: named.password }
      : undefined;
  const withAuth = (r: DialRoute): DialRoute => (auth ? { ...r, auth } : r);
  if (/^sips?:/i.test(to)) {
    if (!parseUri(to)) return `not a valid SIP URI: ${to}`;
    return withAuth(base !== undefined && via !== undefined ? { uri: to, proxy: base } : { uri: to });
  }
  const number = /^tel:/i.test(to) ? userOf(to) : to.trim();
  if (!/^[A-Za-z0-9+*#._~-]+$/.test(number)) return `not a number or SIP URI: ${to}`;
  if (base === undefined) return `no trunk to route ${to} through`;
  const b = parseUri(base);
  if (!b) return `not a valid trunk URI: ${base}`;
  const hostPort = b.port !== undefined ? `${b.host}:${b.port}` : b.host;
  const transport = b.transport ? `;transport=${b.transport}` : '';
  return withAuth({ uri: `${b.scheme}:${number}@${hostPort}${transport}` });
}

/** Matches inbound sources to trunk names. */
export class TrunkMatcher {
  private readonly lists: { name: string; list: BlockList }[];

  constructor(trunks: Record<string, EngineTrunk>) {
    this.lists = Object.entries(trunks)
      .filter(([, t]) => (t.sources?.length ?? 0) > 0)
      .map(([name, t]) => ({ name, list: buildAllowList(t.sources ?? []) }));
  }

  /** The trunk whose sources include `address`, if any. */
  match(address: string): string | undefined {
    const family = address.includes(':') ? 'ipv6' : 'ipv4';
    for (const t of this.lists) if (t.list.check(address, family)) return t.name;
    return undefined;
  }
}
