/**
 * The SIP message model (RFC 3261 §7): an ordered header list with canonical names, a byte body,
 * and header values parsed lazily on first access and cached.
 */
import { SipParseError } from './errors.js';
import { canonicalName, isToken, sameName, splitList } from './header-names.js';
import {
  parseAuth,
  parseCSeq,
  parseNameAddrLoose,
  parseUnsigned,
  parseVia,
  type AuthChallenge,
  type CSeq,
  type LooseNameAddr,
  type NameAddr,
  type Via,
} from './header-parsers.js';
import { serializeMessage } from './serializer.js';
import { parseUri, type SipUri } from './uri.js';

/** A request method: INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, ... or an extension token. */
export type SipMethod = string;

/** What getParsedHeader returns for each supported (lower-case) header name. */
export interface ParsedHeaderMap {
  via: Via[];
  from: NameAddr | undefined;
  to: NameAddr | undefined;
  'refer-to': NameAddr | undefined;
  'referred-by': NameAddr | undefined;
  'reply-to': NameAddr | undefined;
  contact: NameAddr[];
  route: NameAddr[];
  'record-route': NameAddr[];
  path: NameAddr[];
  'service-route': NameAddr[];
  'p-asserted-identity': NameAddr[];
  cseq: CSeq | undefined;
  'www-authenticate': AuthChallenge[];
  'proxy-authenticate': AuthChallenge[];
  authorization: AuthChallenge[];
  'proxy-authorization': AuthChallenge[];
  'max-forwards': number | undefined;
  expires: number | undefined;
  'min-expires': number | undefined;
  'content-length': number | undefined;
  rseq: number | undefined;
}
/** Header names getParsedHeader understands (any letter case is accepted). */
export type ParsedHeaderName = keyof ParsedHeaderMap;

type Kind = 'via' | 'na1' | 'naN' | 'cseq' | 'auth' | 'uint';
const KIND: Record<ParsedHeaderName, Kind> = {
  via: 'via',
  from: 'na1',
  to: 'na1',
  'refer-to': 'na1',
  'referred-by': 'na1',
  'reply-to': 'na1',
  contact: 'naN',
  route: 'naN',
  'record-route': 'naN',
  path: 'naN',
  'service-route': 'naN',
  'p-asserted-identity': 'naN',
  cseq: 'cseq',
  'www-authenticate': 'auth',
  'proxy-authenticate': 'auth',
  authorization: 'auth',
  'proxy-authorization': 'auth',
  'max-forwards': 'uint',
  expires: 'uint',
  'min-expires': 'uint',
  'content-length': 'uint',
  rseq: 'uint',
};
const UINT_MAX: Record<string, number> = { 'max-forwards': 255 };

interface CacheEntry {
  raw: string[];
  value: unknown;
}

function strictNameAddr(na: LooseNameAddr, header: string): NameAddr {
  if (na.uri === null) {
    throw new SipParseError('unsupported-uri-scheme', `${header}: unsupported URI scheme in '${na.rawUri}'`, header);
  }
  return na as NameAddr;
}

function checkHeader(name: string, value: string): void {
  if (!isToken(name)) throw new TypeError(`invalid SIP header name '${name}'`);
  if (/[\r\n]/.test(value)) throw new TypeError(`header ${name}: CR/LF not allowed in a value`);
}

/** Common base of SipRequest and SipResponse. */
export abstract class SipMessage {
  /** Headers in wire order with canonical names; list headers hold one value per entry (§7.3.1). */
  headers: Array<[name: string, value: string]>;
  /** The body bytes; Content-Length is recomputed from it on serialisation. */
  body: Buffer;
  #cache: Map<string, CacheEntry> | undefined;

  constructor(headers: Array<[string, string]> = [], body: Buffer = Buffer.alloc(0)) {
    this.headers = headers;
    this.body = body;
  }

  /** The first line without CRLF. */
  abstract startLine(): string;
  protected abstract emptyCopy(): SipMessage;

  /** First value of a header (case-insensitive, compact names accepted). */
  get(name: string): string | undefined {
    const canon = canonicalName(name);
    for (const h of this.headers) if (sameName(h[0], canon)) return h[1];
    return undefined;
  }

  /** All values of a header, in order. */
  getAll(name: string): string[] {
    const canon = canonicalName(name);
    const out: string[] = [];
    for (const h of this.headers) if (sameName(h[0], canon)) out.push(h[1]);
    return out;
  }

  /** True when the header is present. */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Replaces every value of the header with one value, at the position of the first (or at the end). */
  set(name: string, value: string): this {
    const canon = canonicalName(name);
    checkHeader(canon, value);
    const idx = this.headers.findIndex((h) => sameName(h[0], canon));
    this.remove(canon);
    if (idx < 0) this.headers.push([canon, value]);
    else this.headers.splice(idx, 0, [canon, value]);
    return this;
  }

  /** Appends a value after the existing ones of that header (or at the end of the message). */
  add(name: string, value: string): this {
    const canon = canonicalName(name);
    checkHeader(canon, value);
    let last = -1;
    this.headers.forEach((h, i) => {
      if (sameName(h[0], canon)) last = i;
    });
    if (last < 0) this.headers.push([canon, value]);
    else this.headers.splice(last + 1, 0, [canon, value]);
    return this;
  }

  /** Inserts a value before the existing ones of that header, e.g. a new top Via (§16.6 step 8). */
  prepend(name: string, value: string): this {
    const canon = canonicalName(name);
    checkHeader(canon, value);
    const first = this.headers.findIndex((h) => sameName(h[0], canon));
    if (first < 0) this.headers.unshift([canon, value]);
    else this.headers.splice(first, 0, [canon, value]);
    return this;
  }

  /** Removes every value of the header. */
  remove(name: string): this {
    const canon = canonicalName(name);
    this.headers = this.headers.filter((h) => !sameName(h[0], canon));
    return this;
  }

  /**
   * Parses a structured header on first use and caches it (the cache notices later edits).
   * Returns undefined / [] when the header is absent. Throws SipParseError: code 'bad-header' (with
   * `header`) when the value is malformed, 'unsupported-uri-scheme' when a name-addr holds a
   * non-sip/sips/tel URI. Treat results as read-only: they are shared with the cache.
   */
  getParsedHeader<K extends string>(
    name: K & (Lowercase<K> extends ParsedHeaderName ? unknown : never),
  ): ParsedHeaderMap[Lowercase<K> & ParsedHeaderName] {
    const key = canonicalName(name).toLowerCase() as ParsedHeaderName;
    const kind = KIND[key];
    if (kind === undefined) throw new TypeError(`no parser for header '${name}'`);
    const canon = canonicalName(key);
    if (kind === 'na1') {
      const loose = this.parsedLoose(key) as LooseNameAddr | undefined;
      return (loose === undefined ? undefined : strictNameAddr(loose, canon)) as never;
    }
    if (kind === 'naN') {
      const list = this.parsedLoose(key) as LooseNameAddr[];
      return list.map((na) => strictNameAddr(na, canon)) as never;
    }
    return this.parsedLoose(key) as never;
  }

  /** Cached parse where name-addrs keep unknown URI schemes (uri: null). */
  parsedLoose(key: ParsedHeaderName): unknown {
    const canon = canonicalName(key);
    const raw = this.getAll(canon);
    const hit = this.#cache?.get(key);
    if (hit !== undefined && sameRaw(hit.raw, raw)) return hit.value;
    const value = parseValues(key, canon, raw);
    (this.#cache ??= new Map()).set(key, { raw, value });
    return value;
  }

  /** Internal (parser): stores an already-parsed value for the given raw header values. */
  primeParsed(key: ParsedHeaderName, raw: string[], value: unknown): void {
    (this.#cache ??= new Map()).set(key, { raw, value });
  }

  /** Call-ID; throws SipParseError('missing-header') when absent. */
  get callId(): string {
    return required(this.get('Call-ID'), 'Call-ID');
  }

  /** Parsed CSeq; throws when missing or malformed. */
  get cseq(): CSeq {
    return required(this.getParsedHeader('cseq'), 'CSeq');
  }

  /** Parsed From; throws when missing, malformed or of an unsupported URI scheme. */
  get from(): NameAddr {
    return required(this.getParsedHeader('from'), 'From');
  }

  /** Parsed To; throws when missing, malformed or of an unsupported URI scheme. */
  get to(): NameAddr {
    return required(this.getParsedHeader('to'), 'To');
  }

  /** From tag, readable even when the From URI scheme is unknown. */
  get fromTag(): string | undefined {
    return tagOf(this.parsedLoose('from') as LooseNameAddr | undefined);
  }

  /** To tag, readable even when the To URI scheme is unknown. */
  get toTag(): string | undefined {
    return tagOf(this.parsedLoose('to') as LooseNameAddr | undefined);
  }

  /** All Via values, top first; throws on a malformed one. */
  get vias(): Via[] {
    return this.getParsedHeader('via');
  }

  /** Content-Type value (media type plus params) or undefined. */
  get contentType(): string | undefined {
    return this.get('Content-Type');
  }

  /** True for `Contact: *` (REGISTER removal, RFC 3261 §10.2.2). */
  get isWildcardContact(): boolean {
    const all = this.getAll('Contact');
    return all.length === 1 && all[0] === '*';
  }

  /** Wire bytes with Content-Length computed from the body (bytes, not characters). */
  toBuffer(): Buffer {
    return serializeMessage(this.startLine(), this.headers, this.body);
  }

  /** Deep copy: headers and body are copied, the parse cache is not shared. */
  clone(): this {
    const copy = this.emptyCopy();
    copy.headers = this.headers.map(([n, v]) => [n, v]);
    copy.body = Buffer.from(this.body);
    return copy as this;
  }
}

function sameRaw(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function tagOf(na: LooseNameAddr | undefined): string | undefined {
  const t = na?.params.tag;
  return t === null ? undefined : t;
}

function required<T>(v: T | undefined, header: string): T {
  if (v === undefined) throw new SipParseError('missing-header', `missing ${header}`, header);
  return v;
}

function parseValues(key: ParsedHeaderName, canon: string, raw: string[]): unknown {
  switch (KIND[key]) {
    case 'via':
      return raw.map((v) => parseVia(v, canon));
    case 'na1':
      return raw[0] === undefined ? undefined : parseNameAddrLoose(raw[0], canon);
    case 'naN': {
      const values: string[] = [];
      for (const r of raw) for (const v of splitList(r)) values.push(v);
      if (key === 'contact' && values.length === 1 && values[0] === '*') return [];
      return values.map((v) => parseNameAddrLoose(v, canon));
    }
    case 'cseq':
      return raw[0] === undefined ? undefined : parseCSeq(raw[0], canon);
    case 'auth':
      return raw.map((v) => parseAuth(v, canon));
    case 'uint':
      return raw[0] === undefined ? undefined : parseUnsigned(raw[0], canon, UINT_MAX[key] ?? 0xffffffff);
  }
}

/** A SIP request; `uri` is the raw Request-URI, `parsedUri` its lazily parsed form. */
export class SipRequest extends SipMessage {
  #parsedUri: { raw: string; uri: SipUri | null } | undefined;

  constructor(
    public method: SipMethod,
    public uri: string,
    headers?: Array<[string, string]>,
    body?: Buffer,
  ) {
    super(headers, body);
  }

  /** Internal (parser): caches the Request-URI it already parsed. */
  primeParsedUri(uri: SipUri | null): void {
    this.#parsedUri = { raw: this.uri, uri };
  }

  /** The Request-URI parsed (null for schemes other than sip/sips/tel or when invalid). */
  get parsedUri(): SipUri | null {
    if (this.#parsedUri?.raw !== this.uri) this.#parsedUri = { raw: this.uri, uri: parseUri(this.uri) };
    return this.#parsedUri.uri;
  }

  /** "METHOD uri SIP/2.0". */
  startLine(): string {
    return `${this.method} ${this.uri} SIP/2.0`;
  }

  protected emptyCopy(): SipMessage {
    return new SipRequest(this.method, this.uri);
  }
}

/** A SIP response. */
export class SipResponse extends SipMessage {
  constructor(
    public status: number,
    public reason: string,
    headers?: Array<[string, string]>,
    body?: Buffer,
  ) {
    super(headers, body);
  }

  /** "SIP/2.0 status reason". */
  startLine(): string {
    return `SIP/2.0 ${this.status} ${this.reason}`;
  }

  protected emptyCopy(): SipMessage {
    return new SipResponse(this.status, this.reason);
  }
}
