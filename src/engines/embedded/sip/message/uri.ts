/** SIP, SIPS and tel URIs (RFC 3261 §19.1, RFC 3966), parsed by hand-written scanning. */

/** A parsed sip:, sips: or tel: URI. Escapes are decoded; param names are lower-cased. */
export interface SipUri {
  scheme: 'sip' | 'sips' | 'tel';
  /** Decoded user part; for tel: URIs, the telephone-subscriber (e.g. "+1-201-555-0123"). */
  user?: string;
  password?: string;
  /** Host as written (lower-cased); IPv6 references keep their brackets ("[2001:db8::1]"). '' for tel:. */
  host: string;
  port?: number;
  /** `;name=value` parameters; `null` for a parameter without a value (e.g. `lr`). */
  params: Record<string, string | null>;
  /** `?name=value` headers (decoded). */
  headers: Record<string, string>;
}

/** Decodes %XX escapes as UTF-8; returns null when an escape is malformed. */
export function unescapeUri(s: string): string | null {
  if (s.indexOf('%') < 0) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 /* % */) {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return null;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c < 128) bytes.push(c);
    else {
      const cp = s.codePointAt(i) ?? c;
      const ch = String.fromCodePoint(cp);
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
      i += ch.length - 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

// Characters that may appear unescaped (RFC 3261 §25.1 unreserved plus the per-component extras).
const UNRESERVED = "A-Za-z0-9\\-_.!~*'()";
const USER_OK = new RegExp(`^[${UNRESERVED}&=+$,;/]$`);
const PASS_OK = new RegExp(`^[${UNRESERVED}&=+$,]$`);
const PARAM_OK = new RegExp(`^[${UNRESERVED}\\[\\]/:&+$]$`);
const HEADER_OK = new RegExp(`^[${UNRESERVED}\\[\\]/?:+$]$`);

function escapeWith(s: string, ok: RegExp): string {
  let out = '';
  for (const ch of s) {
    if (ok.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** True for characters that can never appear raw inside a URI (whitespace, controls, <>"). */
function hasForbidden(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 127 || c === 60 || c === 62 || c === 34) return true;
  }
  return false;
}

const TEL_NUMBER = /^[0-9A-Fa-f*#+\-.()pPwW]+$/;

/** Parses `;a=b;c` into lower-cased names and decoded values; false on an empty name or bad escape. */
export function parseUriParams(s: string, into: Record<string, string | null>): boolean {
  let i = 0;
  while (i <= s.length) {
    let end = s.indexOf(';', i);
    if (end < 0) end = s.length;
    const eq = s.indexOf('=', i);
    const hasValue = eq >= 0 && eq < end;
    const rawName = s.slice(i, hasValue ? eq : end);
    if (rawName.length === 0) return false;
    const name = unescapeUri(rawName);
    if (name === null) return false;
    if (!hasValue) into[name.toLowerCase()] = null;
    else {
      const value = unescapeUri(s.slice(eq + 1, end));
      if (value === null) return false;
      into[name.toLowerCase()] = value;
    }
    i = end + 1;
  }
  return true;
}

function isHostname(h: string): boolean {
  if (h.length === 0) return false;
  for (let i = 0; i < h.length; i++) {
    const c = h.charCodeAt(i);
    const alnum = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
    if (!alnum && !((c === 45 || c === 46) && i > 0)) return false;
  }
  return h.charCodeAt(h.length - 1) !== 45;
}

function isIpv6Ref(h: string): boolean {
  if (h.length < 4 || h.charCodeAt(h.length - 1) !== 93) return false;
  for (let i = 1; i < h.length - 1; i++) {
    const c = h.charCodeAt(i);
    const hex = (c >= 48 && c <= 58) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 46;
    if (!hex) return false;
  }
  return h.indexOf(':') >= 0;
}

function isPort(p: string): boolean {
  if (p.length === 0 || p.length > 5) return false;
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return Number(p) <= 65535;
}

/** Splits host[:port]; returns null when either part is invalid. IPv6 references keep their brackets. */
export function parseHostPort(s: string): { host: string; port?: number } | null {
  let host: string;
  let portStr: string | undefined;
  if (s.charCodeAt(0) === 91 /* [ */) {
    const close = s.indexOf(']');
    if (close < 0) return null;
    host = s.slice(0, close + 1);
    if (!isIpv6Ref(host)) return null;
    if (close + 1 < s.length) {
      if (s.charCodeAt(close + 1) !== 58) return null;
      portStr = s.slice(close + 2);
    }
  } else {
    const colon = s.indexOf(':');
    host = colon < 0 ? s : s.slice(0, colon);
    if (colon >= 0) portStr = s.slice(colon + 1);
    if (!isHostname(host)) return null;
  }
  const lower = host.toLowerCase();
  if (portStr === undefined) return { host: lower };
  if (!isPort(portStr)) return null;
  return { host: lower, port: Number(portStr) };
}

function parseTel(rest: string): SipUri | null {
  const semi = rest.indexOf(';');
  const number = semi < 0 ? rest : rest.slice(0, semi);
  if (!TEL_NUMBER.test(number)) return null;
  const params: Record<string, string | null> = {};
  if (semi >= 0 && !parseUriParams(rest.slice(semi + 1), params)) return null;
  return { scheme: 'tel', user: number, host: '', params, headers: {} };
}

/** Parses a sip:, sips: or tel: URI; null when invalid or of another scheme. */
export function parseUri(s: string): SipUri | null {
  const colon = s.indexOf(':');
  if (colon < 3 || colon > 4 || hasForbidden(s)) return null;
  const scheme = s.slice(0, colon).toLowerCase();
  const rest = s.slice(colon + 1);
  if (scheme === 'tel') return parseTel(rest);
  if (scheme !== 'sip' && scheme !== 'sips') return null;
  // RFC 3261 §25.1: '@' may appear raw only as the userinfo terminator, while the user part itself may hold
  // '?' and ';' (RFC 4475 §3.1.1.2 intmeth), so the first '@' decides, not the first '?'.
  const at = rest.indexOf('@');
  const uri: SipUri = { scheme, host: '', params: {}, headers: {} };
  let hostPart = rest;
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    hostPart = rest.slice(at + 1);
    const pc = userinfo.indexOf(':');
    const user = unescapeUri(pc < 0 ? userinfo : userinfo.slice(0, pc));
    if (user === null || user.length === 0) return null;
    uri.user = user;
    if (pc >= 0) {
      const password = unescapeUri(userinfo.slice(pc + 1));
      if (password === null) return null;
      uri.password = password;
    }
  }
  const hq = hostPart.indexOf('?');
  const beforeHeaders = hq < 0 ? hostPart : hostPart.slice(0, hq);
  const semi = beforeHeaders.indexOf(';');
  const hp = parseHostPort(semi < 0 ? beforeHeaders : beforeHeaders.slice(0, semi));
  if (hp === null) return null;
  uri.host = hp.host;
  if (hp.port !== undefined) uri.port = hp.port;
  if (semi >= 0 && !parseUriParams(beforeHeaders.slice(semi + 1), uri.params)) return null;
  if (hq >= 0) {
    for (const part of hostPart.slice(hq + 1).split('&')) {
      const eq = part.indexOf('=');
      if (eq <= 0) return null;
      const name = unescapeUri(part.slice(0, eq));
      const value = unescapeUri(part.slice(eq + 1));
      if (name === null || value === null) return null;
      uri.headers[name] = value;
    }
  }
  return uri;
}

/** Serialises a URI, escaping what the grammar requires (inverse of parseUri). */
export function formatUri(u: SipUri): string {
  let out = u.scheme + ':';
  if (u.scheme === 'tel') out += u.user ?? '';
  else {
    if (u.user !== undefined) {
      out += escapeWith(u.user, USER_OK);
      if (u.password !== undefined) out += ':' + escapeWith(u.password, PASS_OK);
      out += '@';
    }
    out += u.host;
    if (u.port !== undefined) out += ':' + String(u.port);
  }
  for (const [k, v] of Object.entries(u.params)) {
    out += ';' + escapeWith(k, PARAM_OK);
    if (v !== null) out += '=' + escapeWith(v, PARAM_OK);
  }
  const hs = Object.entries(u.headers);
  if (hs.length > 0) {
    out += '?' + hs.map(([k, v]) => escapeWith(k, HEADER_OK) + '=' + escapeWith(v, HEADER_OK)).join('&');
  }
  return out;
}

/** True when `s` looks like an absoluteURI of any scheme (RFC 3261 §25.1), for tolerant header parsing. */
export function isAbsoluteUri(s: string): boolean {
  const colon = s.indexOf(':');
  return colon > 0 && /^[A-Za-z][A-Za-z0-9+.-]*$/.test(s.slice(0, colon)) && !hasForbidden(s);
}
