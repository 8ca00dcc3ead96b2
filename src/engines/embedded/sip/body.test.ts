import { describe, expect, it } from 'vitest';
import { refuseBody, sdpOf, sessionBody, type BodyMessage } from './body.js';

const SDP = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';

function msg(headers: Record<string, string>, body: string | Buffer): BodyMessage {
  const h = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name) => h.get(name.toLowerCase()), body: Buffer.isBuffer(body) ? body : Buffer.from(body) };
}

/** A SIP-I style body: SDP, then an ISUP part (binary) marked optional, as ITU-T Q.1912.5 carriers send it. */
function sipI(boundary: string, isupDisposition = 'signal;handling=optional'): Buffer {
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Type: application/sdp\r\n\r\n${SDP}\r\n--${boundary}\r\n`),
    Buffer.from(`Content-Type: application/ISUP;version=itu-t92+\r\nContent-Disposition: ${isupDisposition}\r\n\r\n`),
    Buffer.from([0x01, 0x00, 0x49, 0x00, 0x00, 0x03, 0x02, 0x00, 0x07, 0x03, 0x10, 0x99, 0x0d, 0x0a, 0xff]),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

describe('the session description of a body', () => {
  it('is the whole body for application/sdp, or without a Content-Type; empty bodies carry none', () => {
    expect(sessionBody(msg({ 'Content-Type': 'application/sdp' }, SDP))).toEqual({ ok: true, sdp: SDP });
    expect(sessionBody(msg({ 'Content-Type': 'Application/SDP; charset=utf-8' }, SDP))).toEqual({ ok: true, sdp: SDP });
    expect(sessionBody(msg({}, SDP))).toEqual({ ok: true, sdp: SDP });
    expect(sessionBody(msg({ 'Content-Type': 'text/plain' }, ''))).toEqual({ ok: true, sdp: '' });
  });

  it('is the SDP part of a SIP-I multipart/mixed body, byte for byte, next to a binary ISUP part', () => {
    const b = sessionBody(msg({ 'Content-Type': 'multipart/mixed;boundary=unique-boundary-1' }, sipI('unique-boundary-1')));
    expect(b).toEqual({ ok: true, sdp: SDP });
    // A quoted boundary, a preamble, LF-only line ends and a folded part header.
    const sdpLf = SDP.replace(/\r\n/g, '\n');
    const lf = `preamble text\n--b 1\nContent-Type:\n application/sdp\n\n${sdpLf}\n--b 1--\nepilogue`;
    expect(sdpOf(msg({ 'Content-Type': 'multipart/mixed; boundary="b 1"' }, lf))).toBe(sdpLf);
  });

  it('takes the last SDP of multipart/alternative and the first of multipart/mixed, also one level down', () => {
    const two = `--x\r\nContent-Type: application/sdp\r\n\r\nv=0 first\r\n--x\r\nContent-Type: application/sdp\r\n\r\nv=0 second\r\n--x--\r\n`;
    expect(sdpOf(msg({ 'Content-Type': 'multipart/alternative; boundary=x' }, two))).toBe('v=0 second');
    expect(sdpOf(msg({ 'Content-Type': 'multipart/mixed; boundary=x' }, two))).toBe('v=0 first');
    const nested = `--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\nContent-Type: application/sdp\r\n\r\n${SDP}\r\n--inner--\r\n\r\n--outer--\r\n`;
    expect(sdpOf(msg({ 'Content-Type': 'multipart/mixed; boundary=outer' }, nested))).toBe(SDP);
  });

  it('carries no SDP when a multipart has no SDP part (a late offer), and skips parts without a disposition', () => {
    const isupOnly = `--x\r\nContent-Type: application/isup\r\n\r\nabc\r\n--x--\r\n`;
    expect(sessionBody(msg({ 'Content-Type': 'multipart/mixed; boundary=x' }, isupOnly))).toEqual({ ok: true, sdp: '' });
  });

  it('refuses with 415 a part marked handling=required that we do not read, and a whole body of another type', () => {
    const required = sessionBody(
      msg({ 'Content-Type': 'multipart/mixed;boundary=b' }, sipI('b', 'signal; handling=required')),
    );
    expect(required).toEqual({ ok: false, status: 415, reason: 'a required body part of type application/isup' });
    expect(sessionBody(msg({ 'Content-Type': 'text/plain' }, 'hello'))).toEqual({
      ok: false,
      status: 415,
      reason: 'a body of type text/plain',
    });
    // The sender may say that such a body can be ignored.
    expect(sessionBody(msg({ 'Content-Type': 'text/plain', 'Content-Disposition': 'render;handling=optional' }, 'hello'))).toEqual({
      ok: true,
      sdp: '',
    });
  });

  it('refuses with 400 a multipart without a boundary, or whose body never uses it; too deep nesting is 415', () => {
    expect(sessionBody(msg({ 'Content-Type': 'multipart/mixed' }, SDP))).toMatchObject({ ok: false, status: 400 });
    expect(sessionBody(msg({ 'Content-Type': 'multipart/mixed; boundary=zz' }, SDP))).toMatchObject({
      ok: false,
      status: 400,
      reason: 'multipart/mixed body without its boundary "zz"',
    });
    let deep = SDP;
    for (let i = 0; i < 4; i++) deep = `--b${i}\r\nContent-Type: ${i === 0 ? 'application/sdp' : `multipart/mixed; boundary=b${i - 1}`}\r\n\r\n${deep}\r\n--b${i}--\r\n`;
    expect(sessionBody(msg({ 'Content-Type': 'multipart/mixed; boundary=b3' }, deep))).toMatchObject({ ok: false, status: 415 });
    expect(sdpOf(msg({ 'Content-Type': 'multipart/mixed; boundary=b3' }, deep))).toBe('');
  });

  it('is refused with 415 and Accept, or with 400 whose reason phrase says what is wrong', () => {
    const sent: unknown[][] = [];
    const res = { send: (...a: unknown[]) => sent.push(a) };
    const bad = sessionBody(msg({ 'Content-Type': 'multipart/mixed' }, SDP));
    const other = sessionBody(msg({ 'Content-Type': 'text/plain' }, 'hi'));
    if (bad.ok || other.ok) throw new Error('expected refusals');
    refuseBody(res, bad);
    refuseBody(res, other);
    expect(sent).toEqual([
      [400, 'Bad Request (multipart/mixed without a boundary)', {}],
      [415, 'Unsupported Media Type', { headers: { Accept: 'application/sdp, multipart/mixed, multipart/alternative' } }],
    ]);
  });
});
