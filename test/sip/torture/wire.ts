/** Builds torture-test datagrams: lines joined with CRLF, `$CL` replaced by the body's byte length. */

/** A single RFC 4475 test case: a name from the RFC, the wire bytes, and what the test expects. */
export interface TortureCase {
  /** The RFC 4475 tag (wsinv, clerr, ...). */
  name: string;
  /** RFC 4475 section, for the test title. */
  section: string;
  bytes: Buffer;
}

/** A small SDP body like the ones the RFC attaches. */
export const SDP = [
  'v=0',
  'o=mhandley 29739 7272939 IN IP4 192.0.2.3',
  's=-',
  'c=IN IP4 192.0.2.4',
  't=0 0',
  'm=audio 49217 RTP/AVP 0 12',
  'm=video 3227 RTP/AVP 31',
  'a=rtpmap:31 LPC',
  '',
].join('\r\n');

/** Joins `head` lines (LF in the source) with CRLF, appends the blank line and the body. */
export function wire(head: string, body: string | Buffer = ''): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const text = head.replace(/^\n/, '').replace(/\n$/, '').split('\n').join('\r\n').replaceAll('$CL', String(b.length));
  return Buffer.concat([Buffer.from(text + '\r\n\r\n', 'utf8'), b]);
}
