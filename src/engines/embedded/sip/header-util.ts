/**
 * Small, allocation-light readers for the few header values the transaction and dialog layers
 * need on every message (top Via, tags, CSeq, URIs). They work on raw header strings so the hot
 * path never builds full parsed-header objects.
 */

/** The fields of one Via header value (RFC 3261 §20.42, RFC 3581). */
export interface ViaInfo {
  transport: string;
  host: string;
  port: number | undefined;
  branch: string | undefined;
  rport: boolean;
  received: string | undefined;
  maddr: string | undefined;
  /** host[:port] as written, used for transaction matching (§17.2.3). */
  sentBy: string;
}

/** Parts of a sip/sips URI (§19.1.1). */
export interface UriInfo {
  scheme: string;
  user: string | undefined;
  host: string;
  port: number | undefined;
  transport: string | undefined;
  lr: boolean;
}

/** Returns the first element of a comma-separated header value, respecting quotes and <>. */
export function firstValue(v: string): string {
  let quoted = false;
  let angle = false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 34 /* " */ && v.charCodeAt(i - 1) !== 92) quoted = !quoted;
    else if (!quoted && c === 60 /* < */) angle = true;
    else if (!quoted && c === 62 /* > */) angle = false;
    else if (!quoted && !angle && c === 44 /* , */) return v.slice(0, i).trim();
  }
  return v.trim();
}

/** Splits a header value into its comma-separated elements (quotes and <> respected). */
export function splitValues(v: string): string[] {
  const out: string[] = [];
  let rest = v;
  while (rest.length > 0) {
    const first = firstValue(rest);
    out.push(first);
    const idx = rest.indexOf(first) + first.length;
    const comma = rest.indexOf(',', idx);
    if (comma < 0) break;
    rest = rest.slice(comma + 1);
  }
  return out.filter((s) => s.length > 0);
}

/** Reads a `;name=value` parameter from a header value (outside <>), case-insensitive. */
export function paramOf(v: string, name: string): string | undefined {
  const close = v.lastIndexOf('>');
  const tail = close >= 0 ? v.slice(close + 1) : v;
  const parts = tail.split(';');
  for (let i = close >= 0 ? 0 : 1; i < parts.length; i++) {
    const p = parts[i]!;
    const eq = p.indexOf('=');
    const key = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    if (key === name) return eq < 0 ? '' : p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

/** The tag parameter of a From/To value. */
export function tagOf(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const t = paramOf(v, 'tag');
  return t === '' ? undefined : t;
}

/** Parses the top Via value. */
export function parseVia(raw: string): ViaInfo | undefined {
  const v = firstValue(raw);
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+(\[[^\]]+\]|[^\s;:]+)(?:\s*:\s*(\d+))?\s*(.*)$/i.exec(v);
  if (!m) return undefined;
  const params = m[4] ?? '';
  const host = m[2]!;
  const port = m[3] ? Number(m[3]) : undefined;
  const rport = paramOf(`x${params}`, 'rport');
  return {
    transport: m[1]!.toLowerCase(),
    host,
    port,
    branch: paramOf(`x${params}`, 'branch'),
    rport: rport !== undefined,
    received: paramOf(`x${params}`, 'received'),
    maddr: paramOf(`x${params}`, 'maddr'),
    sentBy: port === undefined ? host.toLowerCase() : `${host.toLowerCase()}:${port}`,
  };
}

/** Returns the URI inside a name-addr (`"x" <sip:a@b>;tag=1`) or the bare addr-spec. */
export function uriOf(v: string): string {
  const lt = v.indexOf('<');
  if (lt >= 0) {
    const gt = v.indexOf('>', lt);
    return v.slice(lt + 1, gt < 0 ? undefined : gt).trim();
  }
  const semi = v.indexOf(';');
  return (semi < 0 ? v : v.slice(0, semi)).trim();
}

/** Parses a sip/sips URI; undefined for other schemes or garbage. */
export function parseUri(uri: string): UriInfo | undefined {
  const m = /^(sips?):(?:([^@]*)@)?(\[[^\]]+\]|[^:;?>]+)(?::(\d+))?([^?]*)/i.exec(uri.trim());
  if (!m) return undefined;
  const params = m[5] ?? '';
  const transport = /;transport=([a-z]+)/i.exec(params)?.[1]?.toLowerCase();
  return {
    scheme: m[1]!.toLowerCase(),
    user: m[2],
    host: m[3]!,
    port: m[4] ? Number(m[4]) : undefined,
    transport,
    lr: /;lr(?:[;=]|$)/i.test(params),
  };
}

/** Parses `CSeq: 12 INVITE`. */
export function parseCSeq(v: string | undefined): { seq: number; method: string } | undefined {
  if (!v) return undefined;
  const m = /^\s*(\d+)\s+([A-Za-z!%*_+`'~.-]+)\s*$/.exec(v);
  if (!m) return undefined;
  return { seq: Number(m[1]), method: m[2]!.toUpperCase() };
}

/** Strips [] from an IPv6 host for socket calls. */
export function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Adds received/rport to a top Via value (RFC 3261 §18.2.1, RFC 3581 §4). */
export function stampVia(raw: string, via: ViaInfo, address: string, port: number): string | undefined {
  const needReceived = bareHost(via.host) !== address;
  if (!needReceived && !via.rport) return undefined;
  const first = firstValue(raw);
  let stamped = first;
  if (via.rport) stamped = stamped.replace(/;\s*rport(=[^;]*)?/i, `;rport=${port}`);
  if (needReceived && via.received === undefined) stamped += `;received=${address}`;
  return raw.replace(first, stamped);
}

/**
 * SIP extensions (option tags, §19.2) this stack implements and so accepts in a Require header: session timers
 * (RFC 4028). Not reliable provisionals (RFC 3262) nor Replaces (RFC 3891).
 */
const SUPPORTED_OPTION_TAGS: ReadonlySet<string> = new Set(['timer']);

/** The option tags of Require header values (each may list several) that we do not support, as written. */
export function unsupportedRequirements(requires: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of requires)
    for (const raw of v.split(',')) {
      const tag = raw.trim();
      if (tag !== '' && !SUPPORTED_OPTION_TAGS.has(tag) && !out.includes(tag)) out.push(tag);
    }
  return out;
}

