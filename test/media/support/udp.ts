/** UDP peers on 127.0.0.1 for the real-socket media tests: a plain receiver, or a phone that talks RTP. */
import { createSocket, type Socket } from 'node:dgram';
import { buildRtp } from '../../../src/engines/embedded/media/rtp/packet.js';
import { sleep } from './wait.js';

/** A bound socket, its port, and every datagram it received. */
export interface UdpPeer {
  sock: Socket;
  port: number;
  got: Buffer[];
}

/**
 * Bind a socket on 127.0.0.1 (`port` 0: an ephemeral one), added to `track` so the test can close it afterwards
 * (closeAll). Errors after the bind, such as an ICMP report on a closed port, are the test's business, not a crash.
 */
export async function udpPeer(track: Socket[], port = 0): Promise<UdpPeer> {
  const sock = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, '127.0.0.1', () => resolve());
  });
  sock.on('error', () => undefined);
  track.push(sock);
  const got: Buffer[] = [];
  sock.on('message', (m: Buffer) => got.push(m));
  return { sock, port: sock.address().port, got };
}

/** A UDP peer that sends PCMU under its own SSRC, as a phone does. */
export interface RtpPeer extends UdpPeer {
  /** Send one 20 ms packet to `port`. */
  send(port: number): void;
  /** Send a packet now and every 20 ms until stop() or until the socket closes; returns stop(). */
  talk(port: number): () => void;
}

/** udpPeer plus sending: see RtpPeer. */
export async function rtpPeer(track: Socket[], ssrc: number, port = 0): Promise<RtpPeer> {
  const p = await udpPeer(track, port);
  let seq = 1;
  const send = (to: number): void => {
    const s = seq++;
    p.sock.send(buildRtp({ payloadType: 0, sequence: s, timestamp: s * 160, ssrc }, new Uint8Array(160)), to, '127.0.0.1');
  };
  return {
    ...p,
    send,
    talk(to) {
      send(to);
      const t = setInterval(() => send(to), 20);
      const stop = (): void => clearInterval(t);
      p.sock.once('close', stop);
      return stop;
    },
  };
}

/** Datagrams that arrive at `p` over the next `ms`. */
export async function arrivals(p: UdpPeer, ms: number): Promise<number> {
  const n = p.got.length;
  await sleep(ms);
  return p.got.length - n;
}

/** Close every socket in `track` (some a test may have closed itself) and empty it. */
export function closeAll(track: Socket[]): void {
  for (const s of track.splice(0)) {
    try {
      s.close();
    } catch {
      // Closed by the test.
    }
  }
}
