/**
 * The session description in a message body (RFC 3261 §7.4, RFC 5621). Most peers send `application/sdp`; SIP-I
 * carriers (ITU-T Q.1912.5) and some SBCs send `multipart/mixed` with the SDP next to an ISUP part, and a few
 * wrap alternatives in `multipart/alternative`. Inside a multipart we use the SDP part and, as FreeSWITCH and
 * Asterisk do, skip parts we do not understand unless the sender marked one `handling=required` (RFC 5621
 * §3.2). A whole body of another type is refused (§8.2.3) unless marked `handling=optional`. A refusal is a
 * 415 listing the types we accept.
 */

/** What a message (request or response) offers for reading. */
export interface BodyMessage {
  get(name: string): string | undefined;
  body: Buffer;
}

/** The SDP of a body ('' when it carries none), or why the request must be refused. */
export type SessionBody = { ok: true; sdp: string } | { ok: false; status: 400 | 415; reason: string };

/** The Accept header value of a 415: the body types we read. */
export const ACCEPTED_BODY_TYPES = 'application/sdp, multipart/mixed, multipart/alternative';

/** Nested multiparts deeper than this are not searched (a guard against crafted bodies). */
const MAX_DEPTH = 3;

/** The session description of `msg`. */
export function sessionBody(msg: BodyMessage): SessionBody {
  if (msg.body.length === 0) return { ok: true, sdp: '' };
  const disposition = msg.get('content-disposition');
  const text = msg.body.toString('utf8');
  const type = mediaType(msg.get('content-type'));
  if (type !== undefined && type !== 'application/sdp' && !type.startsWith('multipart/') && text.trim() !== '')
    return handling(disposition) === 'optional' ? { ok: true, sdp: '' } : { ok: false, status: 415, reason: `a body of type ${type}` };
  return ofPart(msg.get('content-type'), disposition, text, 0);
}

/** Refuse a request whose body cannot be read: 415 lists what we accept, 400 says what is wrong (§21.4.13). */
export function refuseBody(
  res: { send(status: number, reason: string, opts: { headers?: Record<string, string> }): unknown },
  body: { status: 400 | 415; reason: string },
): void {
  if (body.status === 415) res.send(415, 'Unsupported Media Type', { headers: { Accept: ACCEPTED_BODY_TYPES } });
  else res.send(400, `Bad Request (${body.reason})`, {});
}

/** The SDP text of `msg`, '' when there is none or the body cannot be read (for responses and ACKs). */
export function sdpOf(msg: BodyMessage): string {
  const b = sessionBody(msg);
  return b.ok ? b.sdp : '';
}

function ofPart(contentType: string | undefined, disposition: string | undefined, text: string, depth: number): SessionBody {
  if (text.trim() === '') return { ok: true, sdp: '' };
  const type = mediaType(contentType);
  // §7.4.1 makes Content-Type mandatory with a body; old peers that leave it out send SDP.
  if (type === undefined || type === 'application/sdp') return { ok: true, sdp: text };
  if (type.startsWith('multipart/')) return ofMultipart(type, contentType ?? '', text, depth);
  if (handling(disposition) === 'required') return { ok: false, status: 415, reason: `a required body part of type ${type}` };
  return { ok: true, sdp: '' };
}

function ofMultipart(type: string, contentType: string, text: string, depth: number): SessionBody {
  const boundary = param(contentType, 'boundary');
  if (boundary === undefined || boundary === '') return { ok: false, status: 400, reason: `${type} without a boundary` };
  if (depth >= MAX_DEPTH) return { ok: false, status: 415, reason: `${type} nested too deeply` };
  const parts = splitParts(text, boundary);
  if (parts === undefined) return { ok: false, status: 400, reason: `${type} body without its boundary "${boundary}"` };
  let sdp = '';
  for (const p of parts) {
    const inner = ofPart(p.headers.get('content-type'), p.headers.get('content-disposition'), p.body, depth + 1);
    if (!inner.ok) return inner;
    // multipart/alternative lists the preferred form last (RFC 2046 §5.1.4); in mixed, the first SDP is the session.
    if (inner.sdp !== '' && (sdp === '' || type === 'multipart/alternative')) sdp = inner.sdp;
  }
  return { ok: true, sdp };
}

interface Part {
  headers: Map<string, string>;
  body: string;
}

/**
 * The body parts between `--boundary` delimiter lines (RFC 2046 §5.1.1): the preamble before the first and the
 * epilogue after `--boundary--` are ignored; the line break before each delimiter belongs to the delimiter.
 */
function splitParts(text: string, boundary: string): Part[] | undefined {
  const delimiter = `--${boundary}`;
  let at = text.startsWith(delimiter) ? 0 : text.indexOf(`\n${delimiter}`);
  if (at < 0) return undefined;
  if (at > 0) at += 1;
  const parts: Part[] = [];
  for (;;) {
    const lineEnd = text.indexOf('\n', at);
    // The close delimiter, or a delimiter on the last line: no more parts.
    if (text.startsWith(`${delimiter}--`, at) || lineEnd < 0) return parts;
    const next = text.indexOf(`\n${delimiter}`, lineEnd);
    const end = next < 0 ? text.length : next;
    parts.push(parsePart(text.slice(lineEnd + 1, end > 0 && text[end - 1] === '\r' ? end - 1 : end)));
    if (next < 0) return parts;
    at = next + 1;
  }
}

/** A part's header lines (folded lines joined) up to the empty line, then its content. */
function parsePart(raw: string): Part {
  const headers = new Map<string, string>();
  const blank = /\r?\n\r?\n/.exec(raw);
  // A part that starts with the empty line has no headers (RFC 2046 §5.1.1: it is then text/plain).
  const headEnd = raw.startsWith('\r\n') || raw.startsWith('\n') ? 0 : (blank?.index ?? raw.length);
  const bodyStart = headEnd === 0 ? raw.indexOf('\n') + 1 : blank ? blank.index + blank[0].length : raw.length;
  for (const line of raw.slice(0, headEnd).replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(bodyStart) };
}

/** `type/subtype` in lower case, without parameters. */
function mediaType(contentType: string | undefined): string | undefined {
  const t = contentType?.split(';')[0]?.trim().toLowerCase();
  return t === undefined || t === '' ? undefined : t;
}

/** A parameter of a header value, unquoted. */
function param(value: string, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*("([^"]*)"|[^;\\s]+)`, 'i').exec(value);
  if (!m) return undefined;
  return m[2] ?? m[1];
}

/** The `handling` parameter of a Content-Disposition (§20.11), in lower case, if given. */
function handling(disposition: string | undefined): string | undefined {
  return disposition === undefined ? undefined : param(disposition, 'handling')?.toLowerCase();
}
