/**
 * Connected sending over real UDP sockets on 127.0.0.1 (the "address" a NAT maps to is another port here): the
 * socket connects only to the latched peer, lets it go after RELATCH_MS of silence, follows setRemote and hold,
 * and survives a peer that closed its port. Ports 17250-17299.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { writeTelephoneEvent } from '../dtmf/rfc4733.js';
import { createMediaEngine, type EmbeddedMediaEngine } from '../engine.js';
import type { DtmfEvent } from '../types.js';
import { arrivals, closeAll, rtpPeer, type RtpPeer } from '../../../../../test/media/support/udp.js';
import { sleep, until } from '../../../../../test/media/support/wait.js';
import { FAILURE_HOLDOFF_MS, MAX_CONNECT_FAILURES, SendConnection } from './connected-send.js';
import { literalLookup } from './port-pool.js';
import { RTP_HEADER_SIZE, writeRtpHeader } from './packet.js';

let engine: EmbeddedMediaEngine | undefined;
const socks: Socket[] = [];
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  closeAll(socks);
});

const peer = (ssrc: number, port = 0): Promise<RtpPeer> => rtpPeer(socks, ssrc, port);

function start(opts: { connectedSend?: boolean } = {}): EmbeddedMediaEngine {
  engine = createMediaEngine({
    portMin: 17250,
    portMax: 17299,
    localAddress: '127.0.0.1',
    rtcpIntervalMs: 0,
    ...opts,
  });
  return engine;
}

function digit(ssrc: number, seq: number, marker: boolean, end: boolean, dur: number): Buffer {
  const b = Buffer.alloc(RTP_HEADER_SIZE + 4);
  writeRtpHeader(b, 101, marker, seq, 4000, ssrc);
  writeTelephoneEvent(b, RTP_HEADER_SIZE, { event: 5, end, volume: 10, duration: dur });
  return b;
}

describe('connected sending (the default)', () => {
  it('a NATed peer: SDP address until its first packet, then connected to where it sends from', async () => {
    start();
    const leg = await engine!.createLeg({ telephoneEventPt: 101 });
    const sdpAddr = await peer(1);
    const nat = await peer(0x1111);
    leg.setRemote('127.0.0.1', sdpAddr.port);
    await until(() => sdpAddr.got.length >= 3, 'packets at the SDP address');
    expect(leg.sendsConnected).toBe(false);
    nat.talk(leg.localPort);
    await until(() => nat.got.length >= 5, 'packets at the NATed address');
    expect(leg.remoteAddress?.port).toBe(nat.port);
    expect(leg.sendsConnected).toBe(true);
    expect(leg.stats().sent.connects).toBe(1);
    // Allow one packet in flight at the switch.
    expect(await arrivals(sdpAddr, 150)).toBeLessThanOrEqual(1);
    // RFC 4733 from the latched peer goes through the kernel's filter.
    const digits: DtmfEvent[] = [];
    leg.on('dtmf', (d: DtmfEvent) => digits.push(d));
    for (const [seq, m, e, dur] of [
      [1000, true, false, 160],
      [1001, false, true, 800],
      [1002, false, true, 800],
    ] as const)
      nat.sock.send(digit(0x1111, seq, m, e, dur), leg.localPort, '127.0.0.1');
    await until(() => digits.length === 1, 'the digit');
    expect(digits[0]?.digit).toBe('5');
    // A stranger's packets never reach the leg while the latched peer talks: not even counted.
    const stranger = await peer(0x9999);
    const before = leg.stats().received.packets;
    for (let i = 0; i < 5; i++) stranger.send(leg.localPort);
    await sleep(150);
    const st = leg.stats();
    expect(st.received.foreignSsrc).toBe(0);
    expect(st.received.ssrcChanges).toBe(0);
    expect(leg.remoteAddress?.port).toBe(nat.port);
    expect(st.received.packets).toBeGreaterThan(before);
    expect(stranger.got.length).toBe(0);
    // The same SDP again (a session refresh): the latched peer and the connection stay.
    leg.setRemote('127.0.0.1', sdpAddr.port);
    expect(leg.remoteAddress?.port).toBe(nat.port);
    expect(leg.sendsConnected).toBe(true);
    expect(await arrivals(sdpAddr, 100)).toBe(0);
    expect(leg.stats().sent.connects).toBe(1);
    expect(leg.stats().sent.errors).toBe(0);
  });

  it('after the latched peer is silent for over a second, a new source and address takes over', async () => {
    start();
    const leg = await engine!.createLeg();
    const first = await peer(0x1111);
    const second = await peer(0x2222);
    leg.setRemote('127.0.0.1', first.port);
    const stopFirst = first.talk(leg.localPort);
    await until(() => leg.sendsConnected, 'connected to the first peer');
    await sleep(100);
    stopFirst();
    const silentFrom = Date.now();
    second.talk(leg.localPort);
    await until(() => leg.remoteAddress?.port === second.port, 'the second peer latched', 6000);
    const took = Date.now() - silentFrom;
    expect(took).toBeGreaterThan(900);
    expect(took).toBeLessThan(4000);
    await until(() => second.got.length >= 5 && leg.sendsConnected, 'our audio at the second peer');
    const st = leg.stats();
    expect(st.sent.connects).toBe(2);
    expect(st.received.ssrcChanges).toBe(1);
    expect(st.received.remoteChanges).toBe(1);
    // The kernel dropped the newcomer while the first peer counted as alive: nothing was counted as foreign.
    expect(st.received.foreignSsrc).toBe(0);
    expect(await arrivals(first, 150)).toBe(0);
    expect(st.sent.errors).toBe(0);
  });

  it('setRemote to a new address disconnects and follows; hold and 0.0.0.0 stop sending', async () => {
    start();
    const leg = await engine!.createLeg();
    const a = await peer(0x1111);
    const b = await peer(0x2222);
    leg.setRemote('127.0.0.1', a.port);
    const stopA = a.talk(leg.localPort);
    await until(() => leg.sendsConnected, 'connected to the first peer');
    // Hold from our side: no sending, so no connection; back to sendrecv reconnects to the talking peer.
    leg.setDirection('recvonly');
    expect(leg.sendsConnected).toBe(false);
    await sleep(60);
    expect(await arrivals(a, 150)).toBe(0);
    leg.setDirection('sendrecv');
    await until(() => leg.sendsConnected && a.got.length > 0, 'reconnected after hold');
    expect(leg.stats().sent.connects).toBe(2);
    // A re-INVITE moves the media to b: disconnected at once, b gets our packets before it says anything.
    stopA();
    leg.setRemote('127.0.0.1', b.port);
    expect(leg.sendsConnected).toBe(false);
    await until(() => b.got.length >= 3, 'packets at the new SDP address');
    expect(await arrivals(a, 150)).toBeLessThanOrEqual(1);
    const stopB = b.talk(leg.localPort);
    await until(() => leg.sendsConnected, 'connected to the new peer');
    expect(leg.remoteAddress?.port).toBe(b.port);
    expect(leg.stats().sent.connects).toBe(3);
    // RFC 3264 §8.4 hold with 0.0.0.0: nothing is sent, even though the peer keeps talking.
    leg.setRemote('0.0.0.0', 9);
    expect(leg.sendsConnected).toBe(false);
    await sleep(60);
    expect(await arrivals(b, 200)).toBe(0);
    expect(leg.remoteAddress).toBeNull();
    stopB();
    expect(leg.stats().sent.errors).toBe(0);
  });

  it('a peer that closed its port: ECONNREFUSED is counted, the leg falls back and keeps sending', async () => {
    start();
    const leg = await engine!.createLeg();
    const p = await peer(0x1111);
    const port = p.port;
    leg.setRemote('127.0.0.1', port);
    const stop = p.talk(leg.localPort);
    await until(() => leg.sendsConnected && p.got.length >= 3, 'connected to the peer');
    stop();
    p.sock.close();
    // Linux reports the ICMP port unreachable on the connected socket: well before the 1 s re-latch.
    await until(() => leg.stats().sent.connectErrors >= 1, 'the refused send counted', 900);
    expect(leg.sendsConnected).toBe(false);
    const sent = leg.stats().sent.packets;
    await sleep(200);
    expect(leg.stats().sent.packets).toBeGreaterThan(sent + 3);
    expect(leg.stats().sent.errors).toBeGreaterThanOrEqual(1);
    // The peer comes back on the same port: unconnected packets reach it, and its first packet reconnects.
    const back = await peer(0x1111, port);
    await until(() => back.got.length >= 3, 'packets at the revived port');
    back.talk(leg.localPort);
    await until(() => leg.sendsConnected, 'connected again');
    expect(leg.stats().sent.connects).toBe(2);
  });
});

describe('connectedSend: false', () => {
  it('latches and sends to the NATed address unconnected, and counts strangers as before', async () => {
    start({ connectedSend: false });
    const leg = await engine!.createLeg();
    const sdpAddr = await peer(1);
    const nat = await peer(0x1111);
    const stranger = await peer(0x9999);
    leg.setRemote('127.0.0.1', sdpAddr.port);
    nat.talk(leg.localPort);
    await until(() => nat.got.length >= 5, 'packets at the NATed address');
    stranger.send(leg.localPort);
    await until(() => leg.stats().received.foreignSsrc === 1, 'the stranger counted');
    expect(leg.remoteAddress?.port).toBe(nat.port);
    expect(leg.sendsConnected).toBe(false);
    expect(leg.stats().sent.connects).toBe(0);
  });
});

describe('SendConnection failures', () => {
  /** A socket whose connect always fails, as a stand-in for an unroutable family or a closing handle. */
  function refusingSocket(): { sock: Socket; connects: () => number } {
    let n = 0;
    const sock = {
      connect(): void {
        n++;
        throw new Error('EINVAL');
      },
      remoteAddress(): never {
        throw new Error('not connected');
      },
      disconnect(): void {
        throw new Error('not connected');
      },
    } as unknown as Socket;
    return { sock, connects: () => n };
  }

  it('never throws, retries only on a newer packet, and gives up after MAX_CONNECT_FAILURES', () => {
    const { sock, connects } = refusingSocket();
    const c = new SendConnection(sock, true);
    const peerAddr = { address: '127.0.0.1', port: 4000 };
    c.update(peerAddr, 100, 110);
    expect(connects()).toBe(1);
    expect(c.target).toBeNull();
    // Same latch time: the failure is newer than the last packet, no retry.
    c.update(peerAddr, 100, 130);
    expect(connects()).toBe(1);
    for (let t = 200; t < 2000; t += 20) c.update(peerAddr, t, t + 5);
    expect(connects()).toBe(MAX_CONNECT_FAILURES);
    expect(c.errors).toBe(MAX_CONNECT_FAILURES);
    c.reset();
    c.update(peerAddr, 3000, 3005);
    expect(connects()).toBe(MAX_CONNECT_FAILURES + 1);
    // Names are never connected (latched addresses are IP literals).
    const d = new SendConnection(sock, true);
    d.update({ address: 'example.invalid', port: 4000 }, 100, 110);
    expect(connects()).toBe(MAX_CONNECT_FAILURES + 1);
  });

  it('packets read just after an ECONNREFUSED do not reconnect; a source still talking after the holdoff does', async () => {
    const sock = createSocket({ type: 'udp4', lookup: literalLookup });
    socks.push(sock);
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', () => resolve()));
    const c = new SendConnection(sock, true);
    const peerAddr = { address: '127.0.0.1', port: 4000 };
    c.update(peerAddr, 100, 110);
    expect(c.target).toBe(peerAddr);
    c.socketError(500);
    expect(c.target).toBeNull();
    // The kernel hands over the error before the datagrams queued behind it: those were sent before the close.
    c.update(peerAddr, 505, 506);
    c.update(peerAddr, 500 + FAILURE_HOLDOFF_MS, 500 + FAILURE_HOLDOFF_MS);
    expect(c.target).toBeNull();
    expect(c.connects).toBe(1);
    c.update(peerAddr, 501 + FAILURE_HOLDOFF_MS, 502 + FAILURE_HOLDOFF_MS);
    expect(c.target).toBe(peerAddr);
    expect(c.connects).toBe(2);
    expect(c.errors).toBe(1);
  });
});
