/**
 * Wire parser (RFC 3261 §7, §18.3): finds the header block with Buffer.indexOf, splits lines on
 * the decoded header string, and validates only what every UA needs (start line, mandatory headers,
 * Via/From/To/CSeq/Contact syntax, Content-Length). Other headers are parsed lazily by SipMessage.
 */
import { SipParseError } from './errors.js';
import { checkedCanonicalName, isListHeader, isToken, splitList } from './header-names.js';
import { parseCSeq, parseNameAddrLoose, parseUnsigned, parseVia, type CSeq, type LooseNameAddr, type Via } from './header-parsers.js';
import { SipMessage, SipRequest, SipResponse } from './message.js';
import { isAbsoluteUri, parseUri, type SipUri } from './uri.js';

/** Size limits applied before any per-header work. */
export interface ParseLimits {
  /** Largest accepted message, in bytes (default 65535, the largest UDP payload). */
  maxMessageBytes: number;
  /** Most header entries after list splitting (default 256). */
  maxHeaders: number;
}

/** Default ParseLimits. */
export const DEFAULT_PARSE_LIMITS: Readonly<ParseLimits> = { maxMessageBytes: 65535, maxHeaders: 256 };

/** Result of parseMessage: never an exception. */
export type ParseResult =
  | { ok: true; message: SipRequest | SipResponse }
  | {
      ok: false;
      error: SipParseError;
      /**
       * Set when the input was a request with raw Via, From, To, Call-ID and CSeq, enough to build a 400/505,
       * even if one of them is repeated or another header line is broken (RFC 4475 §3.1.2.1, §3.3.7).
       */
      partialRequest?: SipRequest;
    };

const CRLFCRLF = Buffer.from('\r\n\r\n');
const LFLF = Buffer.from('\n\n');
const MUST_HAVE = ['Via', 'From', 'To', 'Call-ID', 'CSeq'] as const;
const SINGLETON_BIT: Readonly<Record<string, number>> = {
  'Call-ID': 1,
  'Content-Length': 2,
  'Content-Type': 4,
  CSeq: 8,
  From: 16,
  'Max-Forwards': 32,
  To: 64,
};
const CONTENT_LENGTH_BIT = 2;
const MANDATORY_BIT: Readonly<Record<string, number>> = { Via: 1, From: 2, To: 4, 'Call-ID': 8, CSeq: 16 };
// Values that must be a non-empty list of valid elements (RFC 4475 §3.1.2.1).
const NO_EMPTY_ELEMENTS = new Set(['Via', 'Contact', 'Route', 'Record-Route']);
const VERSION = /^SIP\/[0-9]+\.[0-9]+$/i;

interface StartLine {
  kind: 'request' | 'response';
  method: string;
  uri: string;
  status: number;
  reason: string;
  parsedUri: SipUri | null;
  error?: SipParseError;
}

/** Index of the first byte after leading CR/LF (keep-alives and stray line ends, RFC 3261 §7.5). */
export function skipLeadingCrlf(buf: Buffer, from = 0): number {
  let i = from;
  while (i < buf.length && (buf[i] === 13 || buf[i] === 10)) i++;
  return i;
}

/** Locates the end of the header block: [index of the blank line, index where the body starts]. */
export function findHeaderEnd(buf: Buffer, from: number): [number, number] | undefined {
  const crlf = buf.indexOf(CRLFCRLF, from);
  // Bare-LF senders exist. Their blank line comes before any CRLFCRLF inside a CRLF body, so the
  // earlier of the two ends the header block; LFLF is only searched for within the header block.
  const lf = (crlf >= 0 ? buf.subarray(from, crlf + 2) : buf.subarray(from)).indexOf(LFLF);
  if (lf >= 0) return [from + lf, from + lf + 2];
  return crlf >= 0 ? [crlf, crlf + 4] : undefined;
}

function parseStartLine(line: string): StartLine {
  const sl: StartLine = { kind: 'request', method: '', uri: '', status: 0, reason: '', parsedUri: null };
  if (line.length >= 4 && line.charCodeAt(3) === 47 /* / */ && line.slice(0, 4).toUpperCase() === 'SIP/') {
    sl.kind = 'response';
    const sp1 = line.indexOf(' ');
    const version = sp1 < 0 ? line : line.slice(0, sp1);
    if (version.toUpperCase() !== 'SIP/2.0') {
      sl.error = new SipParseError(VERSION.test(version) ? 'bad-version' : 'bad-start-line', `unsupported version '${version}'`);
      return sl;
    }
    const sp2 = line.indexOf(' ', sp1 + 1);
    const code = sp2 < 0 ? line.slice(sp1 + 1) : line.slice(sp1 + 1, sp2);
    // RFC 3261 §7.2 / RFC 4475 §3.1.2.18: exactly three digits, 1xx-6xx.
    if (!/^[1-6][0-9][0-9]$/.test(code)) {
      sl.error = new SipParseError('bad-status', `bad status code '${code.slice(0, 20)}'`);
      return sl;
    }
    sl.status = Number(code);
    sl.reason = sp2 < 0 ? '' : line.slice(sp2 + 1);
    return sl;
  }
  const sp1 = line.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
  sl.method = sp1 < 0 ? line : line.slice(0, sp1);
  if (sp2 < 0 || !isToken(sl.method)) {
    sl.error = new SipParseError('bad-start-line', 'request line must be "Method SP Request-URI SP SIP-Version"');
    return sl;
  }
  sl.uri = line.slice(sp1 + 1, sp2);
  const version = line.slice(sp2 + 1);
  if (version.toUpperCase() !== 'SIP/2.0') {
    const code = VERSION.test(version) ? 'bad-version' : 'bad-start-line';
    sl.error = new SipParseError(code, `bad SIP-Version '${version.slice(0, 40)}'`);
    if (code === 'bad-start-line') sl.uri = sl.uri || version.trim().split(/\s+/)[0] || '';
    return sl;
  }
  const checked = checkRequestUri(sl.uri);
  if (checked instanceof SipParseError) sl.error = checked;
  else sl.parsedUri = checked;
  return sl;
}

function checkRequestUri(uri: string): SipUri | null | SipParseError {
  if (uri.length === 0) return new SipParseError('bad-start-line', 'empty Request-URI');
  const colon = uri.indexOf(':');
  const scheme = colon < 0 ? '' : uri.slice(0, colon).toLowerCase();
  if (scheme === 'sip' || scheme === 'sips' || scheme === 'tel') {
    const parsed = parseUri(uri);
    if (parsed === null) return new SipParseError('bad-start-line', `bad Request-URI '${uri.slice(0, 80)}'`);
    // RFC 3261 §19.1.1 table 1: headers are not allowed in a Request-URI.
    if (Object.keys(parsed.headers).length > 0) return new SipParseError('bad-start-line', 'Request-URI has headers');
    return parsed;
  }
  return isAbsoluteUri(uri) ? null : new SipParseError('bad-start-line', `bad Request-URI '${uri.slice(0, 80)}'`);
}

interface HeaderBlock {
  headers: Array<[string, string]>;
  /** Bit set of SINGLETON_BIT values already seen. */
  seen: number;
  contentLength: string | undefined;
  limits: ParseLimits;
  /**
   * First problem in the header block. Parsing goes on past it so that a request with, say, two
   * Call-IDs or an empty Via element can still be answered with 400 (RFC 4475 §3.1.2.1, §3.3.7).
   */
  error?: SipParseError;
}

function noteError(block: HeaderBlock, error: SipParseError): void {
  block.error ??= error;
}

function pushHeader(block: HeaderBlock, name: string, value: string): void {
  const canon = checkedCanonicalName(name);
  if (canon === undefined) return noteError(block, new SipParseError('bad-header', `header name is not a token ('${name.slice(0, 40)}')`));
  const { headers } = block;
  const bit = SINGLETON_BIT[canon];
  if (bit !== undefined) {
    if ((block.seen & bit) !== 0) noteError(block, new SipParseError('bad-header', `${canon} appears more than once`, canon));
    else if (bit === CONTENT_LENGTH_BIT) block.contentLength = value;
    block.seen |= bit;
  }
  if (value.indexOf(',') >= 0 && isListHeader(canon)) {
    const parts = splitList(value);
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k] ?? '';
      if (part.length > 0) headers.push([canon, part]);
      else if (NO_EMPTY_ELEMENTS.has(canon)) noteError(block, new SipParseError('bad-header', `${canon}: empty list element`, canon));
    }
  } else headers.push([canon, value]);
  if (headers.length > block.limits.maxHeaders) {
    throw new SipParseError('too-many-headers', `more than ${block.limits.maxHeaders} headers`);
  }
}

function isWsCode(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

function parseHeaderLines(head: string, firstNl: number, limits: ParseLimits): HeaderBlock {
  const block: HeaderBlock = { headers: [], seen: 0, contentLength: undefined, limits };
  let name: string | undefined;
  let value = '';
  let pos = firstNl + 1;
  const len = head.length;
  while (pos < len) {
    let nl = head.indexOf('\n', pos);
    if (nl < 0) nl = len;
    const lineStart = pos;
    pos = nl + 1;
    const c0 = head.charCodeAt(lineStart);
    if (c0 === 32 || c0 === 9) {
      // Folded continuation line (RFC 3261 §7.3.1): joins the previous value with one SP.
      if (name === undefined) {
        noteError(block, new SipParseError('bad-header', 'continuation line before the first header'));
        continue;
      }
      const more = head.slice(lineStart, nl).trim();
      if (more.length > 0) value = value.length > 0 ? value + ' ' + more : more;
      continue;
    }
    if (lineStart === nl || (c0 === 13 && lineStart + 1 === nl)) continue;
    if (name !== undefined) pushHeader(block, name, value);
    name = undefined;
    const colon = head.indexOf(':', lineStart);
    if (colon < 0 || colon >= nl || colon === lineStart) {
      noteError(block, new SipParseError('bad-header', `header line without ':' ('${head.slice(lineStart, Math.min(nl, lineStart + 40))}')`));
      continue;
    }
    let ne = colon;
    while (ne > lineStart && (head.charCodeAt(ne - 1) === 32 || head.charCodeAt(ne - 1) === 9)) ne--;
    name = head.slice(lineStart, ne);
    let vs = colon + 1;
    let ve = nl;
    while (vs < ve && isWsCode(head.charCodeAt(vs))) vs++;
    while (ve > vs && isWsCode(head.charCodeAt(ve - 1))) ve--;
    value = head.slice(vs, ve);
  }
  if (name !== undefined) pushHeader(block, name, value);
  return block;
}

function hasMandatory(headers: Array<[string, string]>): string | undefined {
  let found = 0;
  for (let i = 0; i < headers.length; i++) {
    const k = MANDATORY_BIT[(headers[i] as [string, string])[0]];
    if (k !== undefined) found |= k;
  }
  if (found === 31) return undefined;
  for (let k = 0; k < MUST_HAVE.length; k++) if ((found & (1 << k)) === 0) return MUST_HAVE[k];
  return undefined;
}

/**
 * Checks, in one pass, what the transaction and dialog layers read on every message (Via, From, To,
 * CSeq, Call-ID, Contact, Max-Forwards) and primes the message's parse cache with the results.
 */
function validate(msg: SipMessage): void {
  const viaRaw: string[] = [];
  const vias: Via[] = [];
  const contactRaw: string[] = [];
  const contacts: LooseNameAddr[] = [];
  let cseq: CSeq | undefined;
  const headers = msg.headers;
  for (let i = 0; i < headers.length; i++) {
    const [name, v] = headers[i] as [string, string];
    switch (name) {
      case 'Via':
        viaRaw.push(v);
        vias.push(parseVia(v));
        break;
      case 'From':
      case 'To':
        msg.primeParsed(name === 'From' ? 'from' : 'to', [v], parseNameAddrLoose(v, name));
        break;
      case 'Contact':
        contactRaw.push(v);
        if (v !== '*') contacts.push(parseNameAddrLoose(v, name));
        break;
      case 'CSeq':
        cseq = parseCSeq(v);
        msg.primeParsed('cseq', [v], cseq);
        break;
      case 'Max-Forwards':
        msg.primeParsed('max-forwards', [v], parseUnsigned(v, name, 255));
        break;
      case 'Call-ID':
        if (v.length === 0 || /\s/.test(v)) throw new SipParseError('bad-header', 'bad Call-ID', 'Call-ID');
        break;
    }
  }
  msg.primeParsed('via', viaRaw, vias);
  msg.primeParsed('contact', contactRaw, contacts);
  if (msg instanceof SipRequest && cseq !== undefined && cseq.method !== msg.method) {
    throw new SipParseError('cseq-mismatch', `CSeq method ${cseq.method} differs from ${msg.method}`, 'CSeq');
  }
}

/** Builds the message; start-line and Content-Length problems come back as `startError` so a 400 can still be built. */
function parseOrThrow(buf: Buffer, limits: ParseLimits): { message: SipRequest | SipResponse; startError?: SipParseError } {
  if (buf.length > limits.maxMessageBytes) {
    throw new SipParseError('too-large', `message of ${buf.length} bytes exceeds ${limits.maxMessageBytes}`);
  }
  const start = skipLeadingCrlf(buf);
  if (start >= buf.length) throw new SipParseError('empty', 'empty message');
  const end = findHeaderEnd(buf, start);
  if (end === undefined) throw new SipParseError('truncated', 'no empty line after the headers');
  const head = buf.toString('utf8', start, end[0]);
  let firstNl = head.indexOf('\n');
  if (firstNl < 0) firstNl = head.length;
  const sl = parseStartLine(head.charCodeAt(firstNl - 1) === 13 ? head.slice(0, firstNl - 1) : head.slice(0, firstNl));
  const { headers, contentLength: clRaw, error: blockError } = parseHeaderLines(head, firstNl, limits);
  let error = sl.error ?? blockError;
  let body = buf.subarray(end[1]);
  if (clRaw !== undefined) {
    const cl = /^[0-9]{1,10}$/.test(clRaw) ? Number(clRaw) : -1;
    if (cl < 0) {
      error ??= new SipParseError('bad-content-length', `bad Content-Length '${clRaw.slice(0, 20)}'`, 'Content-Length');
    } else if (cl > body.length) {
      // RFC 3261 §18.3: a datagram shorter than Content-Length is discarded (or answered 400).
      error ??= new SipParseError('truncated', `Content-Length ${cl} exceeds the ${body.length} body bytes`, 'Content-Length');
    } else body = body.subarray(0, cl);
  }
  const copy = body.length > 0 ? Buffer.from(body) : Buffer.alloc(0);
  let message: SipRequest | SipResponse;
  if (sl.kind === 'request') {
    message = new SipRequest(sl.method, sl.uri, headers, copy);
    if (sl.error === undefined) message.primeParsedUri(sl.parsedUri);
  } else message = new SipResponse(sl.status, sl.reason, headers, copy);
  return error === undefined ? { message } : { message, startError: error };
}

/** Parses one complete message (a datagram or a frame from frameStream). Never throws. */
export function parseMessage(buf: Buffer, limits?: Partial<ParseLimits>): ParseResult {
  const lim: ParseLimits = limits === undefined ? DEFAULT_PARSE_LIMITS : { ...DEFAULT_PARSE_LIMITS, ...limits };
  let message: SipRequest | SipResponse | undefined;
  try {
    const r = parseOrThrow(buf, lim);
    message = r.message;
    if (r.startError !== undefined) throw r.startError;
    const missing = hasMandatory(message.headers);
    if (missing !== undefined) throw new SipParseError('missing-header', `missing ${missing}`, missing);
    validate(message);
    return { ok: true, message };
  } catch (e) {
    const error = e instanceof SipParseError ? e : new SipParseError('bad-header', String(e));
    if (message instanceof SipRequest && message.method.length > 0 && hasMandatory(message.headers) === undefined) {
      return { ok: false, error, partialRequest: message };
    }
    return { ok: false, error };
  }
}
