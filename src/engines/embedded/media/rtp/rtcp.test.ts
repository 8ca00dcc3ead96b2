import { describe, expect, it } from 'vitest';
import { isRtcp } from './packet.js';
import { RtcpReporter } from './rtcp.js';

describe('RtcpReporter', () => {
  it('builds SR + SDES with a report block and per-interval fraction lost', () => {
    const r = new RtcpReporter('me@127.0.0.1');
    const me = { ssrc: 0xdeadbeef, rtpTs: 1234, packets: 50, octets: 8000, sending: true };
    r.build(me, { ssrc: 7, extendedMax: 99, expected: 100, received: 100, jitter: 3.4 });
    const b = r.build(me, { ssrc: 7, extendedMax: 199, expected: 200, received: 175, jitter: 12.6 }, 0);
    expect(isRtcp(b)).toBe(true);
    expect(b[0]).toBe(0x81);
    expect(b[1]).toBe(200);
    const srLen = (b.readUInt16BE(2) + 1) * 4;
    expect(srLen).toBe(52);
    expect(b.readUInt32BE(4)).toBe(0xdeadbeef);
    expect(b.readUInt32BE(8)).toBe(2208988800);
    expect(b.readUInt32BE(20)).toBe(50);
    expect(b.readUInt32BE(24)).toBe(8000);
    expect(b.readUInt32BE(28)).toBe(7);
    // 25 of the last 100 lost: fraction 64/256; 25 lost in total.
    expect(b[32]).toBe(64);
    expect(b.readUInt32BE(32) & 0xffffff).toBe(25);
    expect(b.readUInt32BE(36)).toBe(199);
    expect(b.readUInt32BE(40)).toBe(13);
    expect(b[srLen + 1]).toBe(202);
    expect(b.length % 4).toBe(0);
    expect(b.subarray(srLen + 10, srLen + 10 + b[srLen + 9]!).toString()).toBe('me@127.0.0.1');
  });

  it('builds an RR without sender info when not sending, and no block before any packet', () => {
    const b = new RtcpReporter('x').build({ ssrc: 1, rtpTs: 0, packets: 0, octets: 0, sending: false }, null);
    expect(b[0]).toBe(0x80);
    expect(b[1]).toBe(201);
    expect(b.readUInt16BE(2)).toBe(1);
    expect(b[9]).toBe(202);
  });
});
