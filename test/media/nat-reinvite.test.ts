/**
 * A caller behind NAT through the engine's offer/answer: its SDP names one address, its RTP comes from another.
 * The leg latches the real source and sends there over a connected socket; re-INVITEs (RFC 3264 §8) with the
 * same SDP keep that, hold stops sending, a new address is followed. Ports 17240-17249.
 */
import type { Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { createMediaEngine, type EmbeddedMediaEngine } from '../../src/engines/embedded/media/index.js';
import { arrivals, closeAll, rtpPeer, udpPeer } from './support/udp.js';
import { sleep, until } from './support/wait.js';

let engine: EmbeddedMediaEngine | undefined;
const socks: Socket[] = [];
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  closeAll(socks);
});

const offer = (port: number, dir = 'sendrecv'): string =>
  'v=0\r\no=nat 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n' +
  `m=audio ${port} RTP/AVP 0\r\na=${dir}\r\n`;

describe('a NATed caller through offer/answer and re-INVITEs', () => {
  it('latches and connects to the real source; same SDP keeps it, hold stops, a new address is followed', async () => {
    engine = createMediaEngine({
      portMin: 17240,
      portMax: 17249,
      localAddress: '127.0.0.1',
      rtcpIntervalMs: 0,
    });
    const inSdp = await udpPeer(socks);
    const natted = await rtpPeer(socks, 0x1234);
    const { leg } = await engine.answer(offer(inSdp.port));
    await until(() => inSdp.got.length >= 2, 'packets at the SDP address');
    const stop = natted.talk(leg.localPort);
    await until(() => leg.sendsConnected && natted.got.length >= 3, 'connected to the NATed source');
    expect(leg.remoteAddress?.port).toBe(natted.port);
    // A session refresh repeats the SDP: the learned address and the connection stay.
    engine.reanswer(leg, offer(inSdp.port));
    expect(leg.sendsConnected).toBe(true);
    expect(await arrivals(inSdp, 150)).toBe(0);
    expect(await arrivals(natted, 150)).toBeGreaterThan(3);
    // The caller holds (sendonly): we answer recvonly, disconnect and send nothing.
    engine.reanswer(leg, offer(inSdp.port, 'sendonly'));
    expect(leg.mediaDirection).toBe('recvonly');
    expect(leg.sendsConnected).toBe(false);
    await sleep(60);
    expect(await arrivals(natted, 150)).toBe(0);
    // Unhold from a new address: the caller's old source stops, packets go to the new SDP address.
    stop();
    const moved = await udpPeer(socks);
    engine.reanswer(leg, offer(moved.port));
    await until(() => moved.got.length >= 3, 'packets at the new address');
    expect(leg.sendsConnected).toBe(false);
    expect(await arrivals(natted, 150)).toBe(0);
    const s = leg.stats().sent;
    expect(s.connects).toBe(1);
    expect(s.connectErrors).toBe(0);
  });
});
