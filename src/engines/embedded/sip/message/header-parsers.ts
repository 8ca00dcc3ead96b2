/**
 * Parsers for structured header values (RFC 3261 §20, §25.1): Via, name-addr, CSeq and the
 * authentication family. Each works on one already-split value and throws SipParseError('bad-header').
 */
import { badHeader } from './errors.js';
import { TOKEN_CHARS } from './header-names.js';
import { isAbsoluteUri, parseHostPort, parseUri, type SipUri } from './uri.js';

/** One Via value (RFC 3261 §20.42); params hold branch, received, rport (null when empty), maddr, ttl. */
export interface Via {
  /** "SIP/2.0" (upper-cased). */
  protocol: string;
  /** UDP | TCP | TLS | WS | WSS | SCTP (upper-cased). */
  transport: string;
  /** Sent-by host; IPv6 references keep brackets. */
  host: string;
  port?: number;
  params: Record<string, string | null>;
}

/** A name-addr or addr-spec header value (From, To, Contact, Route, Record-Route, Refer-To, ...). */
export interface NameAddr {
  /** Display name, unquoted and unescaped. */
  displayName?: string;
  uri: SipUri;
  /** The URI exactly as written between <> (or as the addr-spec). */
  rawUri: string;
  /** Header parameters (tag, expires, q, ...); names lower-cased, quoted values unquoted. */
  params: Record<string, string | null>;
}

/** Like NameAddr but tolerant of URI schemes other than sip/sips/tel (RFC 4475 §3.3.4): `uri` is null then. */
export interface LooseNameAddr extends Omit<NameAddr, 'uri'> {
  uri: SipUri | null;
}

/** The CSeq header (RFC 3261 §20.16). */
export interface CSeq {
  seq: number;
  method: string;
}

/** WWW-Authenticate / Proxy-Authenticate / Authorization / Proxy-Authorization (RFC 3261 §20.44, §25.1). */
export interface AuthChallenge {
  /** Auth scheme as written (e.g. "Digest"). */
  scheme: string;
  /** Parameter names lower-cased; quoted values unquoted and unescaped. */
  params: Record<string, string>;
}

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

function readToken(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TOKEN_CHARS[c] !== 1) break;
    i++;
  }
  return i;
}

/** Reads a quoted-string starting at the opening quote; returns the unescaped text and the index after it. */
export function readQuoted(s: string, i: number, header: string): { text: string; end: number } {
  let text = '';
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 92 /* \ */) {
      if (j + 1 >= s.length) break;
      text += s[j + 1];
      j++;
    } else if (c === 34) return { text, end: j + 1 };
    else text += s[j];
  }
  throw badHeader(header, 'unterminated quoted string');
}

/** Parses `;name[=value]` generic params from index i to the end of s (RFC 3261 §25.1 generic-param). */
export function parseGenericParams(s: string, i: number, header: string): Record<string, string | null> {
  const params: Record<string, string | null> = {};
  for (;;) {
    i = skipWs(s, i);
    if (i >= s.length) return params;
    if (s.charCodeAt(i) !== 59 /* ; */) throw badHeader(header, `unexpected '${s[i] ?? ''}' before parameter`);
    i = skipWs(s, i + 1);
    const nameEnd = readToken(s, i);
    if (nameEnd === i) throw badHeader(header, 'empty parameter name');
    const name = s.slice(i, nameEnd).toLowerCase();
    i = skipWs(s, nameEnd);
    if (s.charCodeAt(i) !== 61 /* = */) {
      params[name] = null;
      continue;
    }
    i = skipWs(s, i + 1);
    if (s.charCodeAt(i) === 34) {
      const q = readQuoted(s, i, header);
      params[name] = q.text;
      i = q.end;
      continue;
    }
    const start = i;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 59 || isWs(c) || c === 34 || c === 44 || c === 60 || c === 62) break;
      i++;
    }
    if (i === start) throw badHeader(header, `empty value for parameter ${name}`);
    params[name] = s.slice(start, i);
  }
}

/** Parses one Via value; LWS is allowed around the slashes (RFC 4475 §3.1.1.1). */
export function parseVia(v: string, header = 'Via'): Via {
  let i = skipWs(v, 0);
  const parts: string[] = [];
  for (let k = 0; k < 3; k++) {
    const end = readToken(v, i);
    if (end === i) throw badHeader(header, 'bad sent-protocol');
    parts.push(v.slice(i, end));
    i = skipWs(v, end);
    if (k < 2) {
      if (v.charCodeAt(i) !== 47 /* / */) throw badHeader(header, 'bad sent-protocol');
      i = skipWs(v, i + 1);
    }
  }
  const start = i;
  if (v.charCodeAt(i) === 91 /* [ */) {
    const close = v.indexOf(']', i);
    if (close < 0) throw badHeader(header, 'unterminated IPv6 reference');
    i = close + 1;
  } else {
    while (i < v.length && v.charCodeAt(i) !== 58 && v.charCodeAt(i) !== 59 && !isWs(v.charCodeAt(i))) i++;
  }
  let hostPort = v.slice(start, i);
  i = skipWs(v, i);
  if (v.charCodeAt(i) === 58 /* : */) {
    i = skipWs(v, i + 1);
    const ps = i;
    while (i < v.length && v.charCodeAt(i) >= 48 && v.charCodeAt(i) <= 57) i++;
    hostPort += ':' + v.slice(ps, i);
  }
  const hp = parseHostPort(hostPort);
  if (hp === null) throw badHeader(header, `bad sent-by '${hostPort}'`);
  const via: Via = {
    protocol: parts[0] === 'SIP' && parts[1] === '2.0' ? 'SIP/2.0' : `${(parts[0] ?? '').toUpperCase()}/${parts[1] ?? ''}`,
    transport: (parts[2] ?? '').toUpperCase(),
    host: hp.host,
    params: parseGenericParams(v, i, header),
  };
  if (hp.port !== undefined) via.port = hp.port;
  return via;
}

function checkDisplayName(d: string, header: string): void {
  for (let i = 0; i < d.length; i++) {
    const c = d.charCodeAt(i);
    // RFC 3261 §25.1: display-name = *(token LWS) / quoted-string; UTF-8 is tolerated.
    if (c < 128 && TOKEN_CHARS[c] !== 1 && !isWs(c)) throw badHeader(header, 'display name needs quotes');
  }
}

/** Parses a name-addr / addr-spec value, tolerating unknown URI schemes (uri is null for them). */
export function parseNameAddrLoose(v: string, header: string): LooseNameAddr {
  let i = skipWs(v, 0);
  let displayName: string | undefined;
  let rawUri: string;
  const lt0 = v.indexOf('<', i);
  const semi0 = v.indexOf(';', i);
  if (v.charCodeAt(i) === 34 || (lt0 >= 0 && (semi0 < 0 || lt0 < semi0))) {
    if (v.charCodeAt(i) === 34) {
      const q = readQuoted(v, i, header);
      displayName = q.text;
      i = skipWs(v, q.end);
    } else {
      const d = v.slice(i, lt0).trim();
      checkDisplayName(d, header);
      if (d.length > 0) displayName = d;
      i = lt0;
    }
    if (v.charCodeAt(i) !== 60 /* < */) throw badHeader(header, "expected '<'");
    const gt = v.indexOf('>', i);
    if (gt < 0) throw badHeader(header, "missing '>'");
    rawUri = v.slice(i + 1, gt);
    i = gt + 1;
  } else {
    const start = i;
    while (i < v.length && v.charCodeAt(i) !== 59 && !isWs(v.charCodeAt(i))) i++;
    rawUri = v.slice(start, i);
    // RFC 3261 §20.10: an addr-spec containing ',', '?' or ';' must be in name-addr form.
    if (rawUri.indexOf('?') >= 0 || rawUri.indexOf(',') >= 0) throw badHeader(header, 'URI with ? or , needs <>');
  }
  const colon = rawUri.indexOf(':');
  const scheme = colon < 0 ? '' : rawUri.slice(0, colon).toLowerCase();
  let uri: SipUri | null = null;
  if (scheme === 'sip' || scheme === 'sips' || scheme === 'tel') {
    uri = parseUri(rawUri);
    if (uri === null) throw badHeader(header, `bad URI '${rawUri}'`);
  } else if (!isAbsoluteUri(rawUri)) throw badHeader(header, `bad URI '${rawUri}'`);
  const out: LooseNameAddr = { uri, rawUri, params: parseGenericParams(v, i, header) };
  if (displayName !== undefined) out.displayName = displayName;
  return out;
}

/** Parses a CSeq value; the number must be below 2**31 (RFC 3261 §8.1.1.5). */
export function parseCSeq(v: string, header = 'CSeq'): CSeq {
  let i = skipWs(v, 0);
  const ds = i;
  while (i < v.length && v.charCodeAt(i) >= 48 && v.charCodeAt(i) <= 57) i++;
  if (i === ds || i - ds > 10) throw badHeader(header, 'bad sequence number');
  const seq = Number(v.slice(ds, i));
  if (seq > 0x7fffffff) throw badHeader(header, 'sequence number too large');
  const ws = i;
  i = skipWs(v, i);
  if (i === ws) throw badHeader(header, 'missing method');
  const me = readToken(v, i);
  if (me === i || skipWs(v, me) !== v.length) throw badHeader(header, 'bad method');
  return { seq, method: v.slice(i, me) };
}

/** Parses one challenge or credentials value: `scheme name=value, name="quoted", ...`. */
export function parseAuth(v: string, header: string): AuthChallenge {
  let i = skipWs(v, 0);
  const se = readToken(v, i);
  if (se === i) throw badHeader(header, 'missing auth scheme');
  const scheme = v.slice(i, se);
  const params: Record<string, string> = {};
  i = skipWs(v, se);
  while (i < v.length) {
    const ne = readToken(v, i);
    if (ne === i) throw badHeader(header, `unexpected '${v[i] ?? ''}'`);
    const name = v.slice(i, ne).toLowerCase();
    i = skipWs(v, ne);
    if (v.charCodeAt(i) !== 61) throw badHeader(header, `missing '=' after ${name}`);
    i = skipWs(v, i + 1);
    if (v.charCodeAt(i) === 34) {
      const q = readQuoted(v, i, header);
      params[name] = q.text;
      i = q.end;
    } else {
      const vs = i;
      while (i < v.length && v.charCodeAt(i) !== 44 && !isWs(v.charCodeAt(i))) i++;
      params[name] = v.slice(vs, i);
    }
    i = skipWs(v, i);
    if (i < v.length) {
      if (v.charCodeAt(i) !== 44) throw badHeader(header, "expected ','");
      i = skipWs(v, i + 1);
    }
  }
  return { scheme, params };
}

/** Parses a non-negative decimal header (Max-Forwards, Expires, ...) bounded by `max`. */
export function parseUnsigned(v: string, header: string, max: number): number {
  const t = v.trim();
  if (!/^[0-9]{1,10}$/.test(t)) throw badHeader(header, 'not a number');
  const n = Number(t);
  if (n > max) throw badHeader(header, 'value too large');
  return n;
}
