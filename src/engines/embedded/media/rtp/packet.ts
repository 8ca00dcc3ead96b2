/**
 * RTP fixed header parse and build (RFC 3550 §5.1). Parsing returns null for malformed input instead of throwing,
 * and the payload is a view into the datagram (no copy) because this runs for every packet.
 */
import type { RtpPacket } from '../types.js';

/** Size of the fixed header without CSRCs. */
export const RTP_HEADER_SIZE = 12;

/** Parse `buf` as an RTP packet; null when it is not a valid RTP v2 packet. */
export function parseRtp(buf: Uint8Array): RtpPacket | null {
  const len = buf.length;
  if (len < RTP_HEADER_SIZE) return null;
  const b0 = buf[0] as number;
  const b1 = buf[1] as number;
  if (b0 >> 6 !== 2) return null;
  const padding = (b0 & 0x20) !== 0;
  const extension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  let off = RTP_HEADER_SIZE + csrcCount * 4;
  if (off > len) return null;
  if (extension) {
    // RFC 3550 §5.3.1: 16-bit profile id, 16-bit length in 32-bit words, then the words.
    if (off + 4 > len) return null;
    const words = ((buf[off + 2] as number) << 8) | (buf[off + 3] as number);
    off += 4 + words * 4;
    if (off > len) return null;
  }
  let end = len;
  if (padding) {
    // RFC 3550 §5.1: the last octet counts the padding octets, itself included.
    const pad = buf[len - 1] as number;
    if (pad === 0 || off + pad > len) return null;
    end = len - pad;
  }
  const pt = b1 & 0x7f;
  // RFC 5761 §4: PT 72-76 with the marker bit set collide with RTCP SR/RR/SDES/BYE/APP; treat as not RTP.
  if (pt >= 72 && pt <= 76) return null;
  return {
    version: 2,
    padding,
    extension,
    csrcCount,
    marker: (b1 & 0x80) !== 0,
    payloadType: pt,
    sequence: ((buf[2] as number) << 8) | (buf[3] as number),
    timestamp: (((buf[4] as number) << 24) | ((buf[5] as number) << 16) | ((buf[6] as number) << 8) | (buf[7] as number)) >>> 0,
    ssrc: (((buf[8] as number) << 24) | ((buf[9] as number) << 16) | ((buf[10] as number) << 8) | (buf[11] as number)) >>> 0,
    payload: buf.subarray(off, end),
  };
}

/** Write a 12-byte RTP header (no CSRC, no extension, no padding) at the start of `out`; returns 12. */
export function writeRtpHeader(out: Uint8Array, pt: number, marker: boolean, seq: number, ts: number, ssrc: number): number {
  out[0] = 0x80;
  out[1] = (marker ? 0x80 : 0) | (pt & 0x7f);
  out[2] = (seq >>> 8) & 0xff;
  out[3] = seq & 0xff;
  out[4] = (ts >>> 24) & 0xff;
  out[5] = (ts >>> 16) & 0xff;
  out[6] = (ts >>> 8) & 0xff;
  out[7] = ts & 0xff;
  out[8] = (ssrc >>> 24) & 0xff;
  out[9] = (ssrc >>> 16) & 0xff;
  out[10] = (ssrc >>> 8) & 0xff;
  out[11] = ssrc & 0xff;
  return RTP_HEADER_SIZE;
}

/** Build a new RTP packet buffer (tests, tools; the leg reuses its own buffer instead). */
export function buildRtp(h: { payloadType: number; marker?: boolean; sequence: number; timestamp: number; ssrc: number }, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(RTP_HEADER_SIZE + payload.length);
  writeRtpHeader(out, h.payloadType, h.marker ?? false, h.sequence & 0xffff, h.timestamp >>> 0, h.ssrc >>> 0);
  out.set(payload, RTP_HEADER_SIZE);
  return out;
}

/** True when `buf` looks like RTCP (RFC 5761 §4: version 2, PT 192-223). */
export function isRtcp(buf: Uint8Array): boolean {
  if (buf.length < 8) return false;
  const pt = buf[1] as number;
  return (buf[0] as number) >> 6 === 2 && pt >= 192 && pt <= 223;
}
