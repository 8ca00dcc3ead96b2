/** Header-name canonicalisation: compact forms (RFC 3261 §7.3.3) and conventional spelling. */

/** Compact form → full name (RFC 3261 §7.3.3, RFC 3265, RFC 3515, RFC 3892, RFC 4028). */
export const COMPACT_FORMS: Readonly<Record<string, string>> = {
  v: 'Via',
  f: 'From',
  t: 'To',
  i: 'Call-ID',
  m: 'Contact',
  l: 'Content-Length',
  c: 'Content-Type',
  k: 'Supported',
  e: 'Content-Encoding',
  s: 'Subject',
  o: 'Event',
  r: 'Refer-To',
  b: 'Referred-By',
  x: 'Session-Expires',
  u: 'Allow-Events',
};

const KNOWN = [
  'Accept', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Allow-Events',
  'Authentication-Info', 'Authorization', 'Call-ID', 'Call-Info', 'Contact', 'Content-Disposition',
  'Content-Encoding', 'Content-Language', 'Content-Length', 'Content-Type', 'CSeq', 'Date', 'Error-Info',
  'Event', 'Expires', 'From', 'In-Reply-To', 'Max-Forwards', 'Min-Expires', 'Min-SE', 'MIME-Version',
  'Organization', 'P-Asserted-Identity', 'P-Preferred-Identity', 'Path', 'Priority', 'Privacy',
  'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require', 'RAck', 'Reason', 'Record-Route',
  'Refer-To', 'Referred-By', 'Replaces', 'Reply-To', 'Require', 'Retry-After', 'Route', 'RSeq', 'Server',
  'Service-Route', 'Session-Expires', 'SIP-ETag', 'SIP-If-Match', 'Subject', 'Subscription-State',
  'Supported', 'Timestamp', 'To', 'Unsupported', 'User-Agent', 'Via', 'Warning', 'WWW-Authenticate',
] as const;

const BY_LOWER = new Map<string, string>(KNOWN.map((n) => [n.toLowerCase(), n]));
const KNOWN_SET = new Set<string>(KNOWN);
for (const [k, v] of Object.entries(COMPACT_FORMS)) BY_LOWER.set(k, v);

/**
 * Headers whose grammar is a comma-separated list, so several values may be split into separate
 * entries (RFC 3261 §7.3.1). Authorization-family headers and single-valued headers are never split.
 */
const LIST_HEADERS = new Set<string>([
  'Accept', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Allow-Events', 'Call-Info',
  'Contact', 'Content-Encoding', 'Content-Language', 'Error-Info', 'In-Reply-To', 'P-Asserted-Identity',
  'P-Preferred-Identity', 'Path', 'Privacy', 'Proxy-Require', 'Reason', 'Record-Route', 'Require', 'Route',
  'Service-Route', 'Supported', 'Unsupported', 'Via', 'Warning',
]);

/** Headers that must appear at most once (RFC 4475 §3.4.8, RFC 3261 §20). */
export const SINGLETON_HEADERS = new Set<string>([
  'Call-ID', 'Content-Length', 'Content-Type', 'CSeq', 'From', 'Max-Forwards', 'To',
]);

const cache = new Map<string, string>();
const CACHE_MAX = 512;

/** Canonical spelling of a header name: compact forms expanded, known names re-cased, others kept. */
export function canonicalName(name: string): string {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const canon = BY_LOWER.get(name.toLowerCase()) ?? name;
  // Bounded so a peer sending random header names cannot grow memory.
  if (cache.size < CACHE_MAX && isToken(name)) cache.set(name, canon);
  return canon;
}

/** Like canonicalName, but undefined when the name is not a token (the parser's hot path: one lookup). */
export function checkedCanonicalName(name: string): string | undefined {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  return isToken(name) ? canonicalName(name) : undefined;
}

/**
 * True when a stored header name denotes `canon` (output of canonicalName). Known names are always
 * stored canonically, so only unknown names need the case-insensitive comparison.
 */
export function sameName(stored: string, canon: string): boolean {
  if (stored === canon) return true;
  return stored.length === canon.length && !KNOWN_SET.has(canon) && stored.toLowerCase() === canon.toLowerCase();
}

/** True when the header's values may be split on commas (canonical name expected). */
export function isListHeader(canon: string): boolean {
  return LIST_HEADERS.has(canon);
}

/** RFC 3261 §25.1 token characters, as a lookup table over char codes < 128. */
export const TOKEN_CHARS: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    if (/[A-Za-z0-9]/.test(ch) || '-.!%*_+`\'~'.includes(ch)) t[c] = 1;
  }
  return t;
})();

/** True when `s` is a non-empty RFC 3261 token. */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TOKEN_CHARS[c] !== 1) return false;
  }
  return true;
}

/**
 * Splits a list header value on top-level commas (outside quotes and <>). Empty elements are kept
 * as '' so callers can reject them where the grammar forbids them (RFC 4475 §3.1.2.1).
 */
export function splitList(v: string): string[] {
  if (v.indexOf(',') < 0) return [v];
  const out: string[] = [];
  let quoted = false;
  let angle = false;
  let start = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (quoted) {
      if (c === 92 /* \ */) i++;
      else if (c === 34) quoted = false;
    } else if (c === 34) quoted = true;
    else if (c === 60) angle = true;
    else if (c === 62) angle = false;
    else if (c === 44 && !angle) {
      out.push(v.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(v.slice(start).trim());
  return out;
}
