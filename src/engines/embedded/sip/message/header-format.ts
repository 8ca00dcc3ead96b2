/** Serialisers for structured header values, the inverse of header-parsers.ts. */
import type { CSeq, NameAddr, Via } from './header-parsers.js';
import { formatUri } from './uri.js';

const PLAIN_VALUE = /^[A-Za-z0-9\-.!%*_+`'~:[\]/@?&=$]+$/;

/** Formats `;name=value` params, quoting values that are not plain tokens/hosts. */
export function formatParams(params: Record<string, string | null>): string {
  let out = '';
  for (const [k, v] of Object.entries(params)) {
    out += ';' + k;
    if (v !== null) out += '=' + (PLAIN_VALUE.test(v) ? v : quote(v));
  }
  return out;
}

/** Wraps a string in a quoted-string, escaping `"` and `\` (RFC 3261 §25.1). */
export function quote(s: string): string {
  return '"' + s.replace(/["\\]/g, (c) => '\\' + c) + '"';
}

/** Formats a name-addr, always with <> so URI params never read as header params (RFC 3261 §20.10). */
export function formatNameAddr(na: NameAddr): string {
  const display = na.displayName !== undefined && na.displayName.length > 0 ? quote(na.displayName) + ' ' : '';
  return `${display}<${formatUri(na.uri)}>${formatParams(na.params)}`;
}

/** Formats one Via value ("SIP/2.0/UDP host:port;branch=..."). */
export function formatVia(via: Via): string {
  const port = via.port !== undefined ? ':' + String(via.port) : '';
  return `${via.protocol}/${via.transport} ${via.host}${port}${formatParams(via.params)}`;
}

/** Formats a CSeq value. */
export function formatCSeq(c: CSeq): string {
  return `${c.seq} ${c.method}`;
}
