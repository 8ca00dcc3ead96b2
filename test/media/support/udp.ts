/** A UDP peer on 127.0.0.1 for the real-socket media tests. */
import { createSocket, type Socket } from 'node:dgram';

/** A bound socket, its port, and every datagram it received. */
export interface UdpPeer {
  sock: Socket;
  port: number;
  got: Buffer[];
}

/** Bind a socket to an ephemeral port on 127.0.0.1, added to `track` so the test can close it afterwards. */
export async function udpPeer(track: Socket[]): Promise<UdpPeer> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  track.push(sock);
  const got: Buffer[] = [];
  sock.on('message', (m: Buffer) => got.push(m));
  return { sock, port: sock.address().port, got };
}
