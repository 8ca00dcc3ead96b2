/** Wire serialisation of SIP messages (RFC 3261 §7): one header per line, Content-Length from the body. */

/**
 * Builds the wire bytes. Any Content-Length entry is rewritten in place with the body's byte length
 * (§20.14); when none exists one is appended, since stream transports require it (§18.3).
 */
export function serializeMessage(startLine: string, headers: ReadonlyArray<readonly [string, string]>, body: Buffer): Buffer {
  let head = startLine + '\r\n';
  let wroteLength = false;
  for (const [name, value] of headers) {
    if (name === 'Content-Length') {
      if (wroteLength) continue;
      head += `Content-Length: ${body.length}\r\n`;
      wroteLength = true;
    } else head += `${name}: ${value}\r\n`;
  }
  if (!wroteLength) head += `Content-Length: ${body.length}\r\n`;
  head += '\r\n';
  if (body.length === 0) return Buffer.from(head, 'utf8');
  const headLen = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLen + body.length);
  out.write(head, 0, 'utf8');
  body.copy(out, headLen);
  return out;
}
