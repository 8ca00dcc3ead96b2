/** The send path of a real UDP leg: packets written in place, and the connectedSend option. Ports 17200-17299. */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { ULAW_DECODE, encode } from '../codec/g711.js';
import { writeTelephoneEvent } from '../dtmf/rfc4733.js';
import { createMediaEngine, type EmbeddedMediaEngine } from '../engine.js';
import type { DtmfEvent } from '../types.js';
import { RTP_HEADER_SIZE, parseRtp, writeRtpHeader } from './packet.js';

let engine: EmbeddedMediaEngine | undefined;
const peers: Socket[] = [];
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  for (const p of peers.splice(0)) p.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function peer(): Promise<{ sock: Socket; port: number; got: Buffer[] }> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  peers.push(sock);
  const got: Buffer[] = [];
  sock.on('message', (m: Buffer) => got.push(m));
  return { sock, port: sock.address().port, got };
}

/** Frames whose every sample is the frame number: each packet's payload differs from the last. */
function countingSource(): { next(): Int16Array; made: number } {
  const src = {
    made: 0,
    next(): Int16Array {
      src.made++;
      return new Int16Array(160).fill(src.made * 100);
    },
  };
  return src;
}

function event(seq: number, marker: boolean, end: boolean, duration: number): Buffer {
  const b = Buffer.alloc(RTP_HEADER_SIZE + 4);
  writeRtpHeader(b, 101, marker, seq, 4000, 0xabc);
  writeTelephoneEvent(b, RTP_HEADER_SIZE, { event: 5, end, volume: 10, duration });
  return b;
}

describe('UdpRtpLeg send path', () => {
  it('rewrites its packet in place: consecutive seq and timestamps, each with its own frame', async () => {
    engine = createMediaEngine({ portMin: 17200, portMax: 17249, localAddress: '127.0.0.1', rtcpIntervalMs: 0 });
    const leg = await engine.createLeg();
    const p = await peer();
    leg.setSource(countingSource());
    leg.setRemote('127.0.0.1', p.port);
    await until(() => p.got.length >= 12, 'a dozen packets');
    const pkts = p.got.slice(0, 12).map((m) => parseRtp(m));
    for (let i = 1; i < pkts.length; i++) {
      const a = pkts[i - 1];
      const b = pkts[i];
      expect(a && b).toBeTruthy();
      expect(b!.sequence).toBe((a!.sequence + 1) & 0xffff);
      expect(b!.timestamp).toBe((a!.timestamp + 160) >>> 0);
      expect(b!.ssrc).toBe(leg.localSsrc);
      // Consecutive frames of the counting source differ, so no packet repeats the previous payload.
      expect(Buffer.compare(Buffer.from(a!.payload), Buffer.from(b!.payload))).not.toBe(0);
    }
    // Each payload is its whole frame encoded (a constant frame: 160 equal µ-law bytes).
    for (const pkt of pkts) {
      const pl = pkt!.payload;
      expect(pl.length).toBe(160);
      expect(Buffer.from(pl)).toEqual(Buffer.from(encode('PCMU', new Int16Array(160).fill(ULAW_DECODE[pl[0]!]!))));
    }
    expect(leg.stats().sent.errors).toBe(0);
  });

  it('connectedSend: sends over a connected socket, follows a new remote, still hears the peer', async () => {
    engine = createMediaEngine({
      portMin: 17250,
      portMax: 17299,
      localAddress: '127.0.0.1',
      rtcpIntervalMs: 0,
      connectedSend: true,
    });
    const leg = await engine.createLeg({ telephoneEventPt: 101 });
    const digits: DtmfEvent[] = [];
    leg.on('dtmf', (d: DtmfEvent) => digits.push(d));
    const p1 = await peer();
    const p2 = await peer();
    leg.setRemote('127.0.0.1', p1.port);
    await until(() => p1.got.length >= 5, 'packets at the first remote');
    // RFC 4733 from the connected peer gets through the kernel's filter.
    for (const [seq, marker, end, dur] of [
      [1, true, false, 160],
      [2, false, true, 800],
      [3, false, true, 800],
    ] as const) {
      await new Promise<void>((r) => p1.sock.send(event(seq, marker, end, dur), leg.localPort, '127.0.0.1', () => r()));
    }
    await until(() => digits.length === 1, 'the digit');
    expect(digits[0]?.digit).toBe('5');
    leg.setRemote('127.0.0.1', p2.port);
    await until(() => p2.got.length >= 5, 'packets at the second remote');
    const n1 = p1.got.length;
    await sleep(100);
    // Allow one packet in flight at the switch.
    expect(p1.got.length).toBeLessThanOrEqual(n1 + 1);
    // The same remote again (a repeated SDP answer) keeps the connection and the stream.
    leg.setRemote('127.0.0.1', p2.port);
    const again = p2.got.length;
    await until(() => p2.got.length >= again + 3, 'packets after repeating the remote');
    const seqs = p2.got.map((m) => m.readUInt16BE(2));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(((seqs[i - 1] as number) + 1) & 0xffff);
    // Hold (0.0.0.0): nothing is sent and the socket is disconnected without errors.
    leg.setRemote('0.0.0.0', 9);
    const n2 = p2.got.length;
    await sleep(100);
    expect(p2.got.length).toBeLessThanOrEqual(n2 + 1);
    expect(leg.stats().sent.errors).toBe(0);
  });
});
