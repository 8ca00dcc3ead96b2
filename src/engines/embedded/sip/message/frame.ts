/** Stream framing (RFC 3261 §18.3): split a TCP/TLS byte stream into messages by Content-Length. */
import { SipParseError } from './errors.js';
import { DEFAULT_PARSE_LIMITS, findHeaderEnd, skipLeadingCrlf, type ParseLimits } from './parser.js';

/** Outcome of frameStream. `skipped` counts leading CR/LF bytes (RFC 5626 §4.4.1 keep-alives). */
export type FrameResult =
  | { message: Buffer; rest: Buffer; skipped: number }
  | { need: 'more'; rest: Buffer; skipped: number }
  | { error: SipParseError };

const CL_LINE = /^(?:content-length|l)[ \t]*:[ \t]*(.*?)[ \t]*$/i;

function contentLength(head: string): number | SipParseError {
  let found: number | undefined;
  // Unfold first (RFC 3261 §7.3.1) so a folded Content-Length frames the same way parseMessage reads it.
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const c0 = line.charCodeAt(0);
    if (c0 !== 99 && c0 !== 67 && c0 !== 108 && c0 !== 76) continue; // c, C, l, L
    const m = CL_LINE.exec(line);
    if (m === null) continue;
    const v = m[1] ?? '';
    if (!/^[0-9]{1,10}$/.test(v)) return new SipParseError('bad-content-length', `bad Content-Length '${v.slice(0, 20)}'`, 'Content-Length');
    if (found !== undefined && found !== Number(v)) {
      return new SipParseError('bad-content-length', 'conflicting Content-Length values', 'Content-Length');
    }
    found = Number(v);
  }
  // §18.3: Content-Length is mandatory on stream transports; without it the stream cannot be framed.
  return found ?? new SipParseError('bad-content-length', 'Content-Length missing on a stream transport', 'Content-Length');
}

/**
 * Takes the first whole message off the front of `buf`. Leading CRLFs are skipped. `rest` (the bytes
 * after the message, or the CRLF-stripped input when more is needed) is what the caller keeps.
 * An error means the stream cannot be resynchronised: close the connection.
 */
export function frameStream(buf: Buffer, limits?: Partial<ParseLimits>): FrameResult {
  const max = limits?.maxMessageBytes ?? DEFAULT_PARSE_LIMITS.maxMessageBytes;
  const start = skipLeadingCrlf(buf);
  const end = findHeaderEnd(buf, start);
  if (end === undefined) {
    if (buf.length - start > max) return { error: new SipParseError('too-large', 'header block exceeds the size limit') };
    return { need: 'more', rest: buf.subarray(start), skipped: start };
  }
  const cl = contentLength(buf.toString('latin1', start, end[0]));
  if (cl instanceof SipParseError) return { error: cl };
  const total = end[1] + cl;
  if (total - start > max) return { error: new SipParseError('too-large', `message of ${total - start} bytes exceeds ${max}`) };
  if (buf.length < total) return { need: 'more', rest: buf.subarray(start), skipped: start };
  return { message: buf.subarray(start, total), rest: buf.subarray(total), skipped: start };
}
