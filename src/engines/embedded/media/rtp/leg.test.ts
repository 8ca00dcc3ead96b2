/** The send path of a real UDP leg: packets written in place (connected sending: connected-send.test.ts). Ports 17200-17239. */
import type { Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { ULAW_DECODE, encode } from '../codec/g711.js';
import { createMediaEngine, type EmbeddedMediaEngine } from '../engine.js';
import { udpPeer } from '../../../../../test/media/support/udp.js';
import { until } from '../../../../../test/media/support/wait.js';
import { parseRtp } from './packet.js';

let engine: EmbeddedMediaEngine | undefined;
const peers: Socket[] = [];
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  for (const p of peers.splice(0)) p.close();
});

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

describe('UdpRtpLeg send path', () => {
  it('rewrites its packet in place: consecutive seq and timestamps, each with its own frame', async () => {
    engine = createMediaEngine({
      portMin: 17200,
      portMax: 17239,
      localAddress: '127.0.0.1',
      rtcpIntervalMs: 0,
    });
    const leg = await engine.createLeg();
    const p = await udpPeer(peers);
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
      expect(Buffer.from(pl)).toEqual(
        Buffer.from(encode('PCMU', new Int16Array(160).fill(ULAW_DECODE[pl[0]!]!))),
      );
    }
    expect(leg.stats().sent.errors).toBe(0);
  });
});
