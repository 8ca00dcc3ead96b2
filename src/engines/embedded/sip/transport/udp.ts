/** UDP transport: one socket per listen address, large receive buffer, IPv4 or IPv6. */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { InboundHandler, SendErrorHandler } from './types.js';

/** UDP listen settings. */
export interface UdpListenOptions {
  port?: number;
  host?: string;
  recvBufferSize?: number;
}

/** A bound UDP socket that hands datagrams to the layer. */
export class UdpTransport {
  private socket: Socket | undefined;
  /** Datagrams that failed to send. */
  sendErrors = 0;

  constructor(private readonly onData: InboundHandler) {}

  /** Binds and resolves with the bound address. */
  async listen(opts: UdpListenOptions): Promise<{ address: string; port: number }> {
    const host = opts.host ?? '0.0.0.0';
    const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false });
    this.socket = socket;
    socket.on('message', (msg, rinfo) => {
      try {
        this.onData(msg, { protocol: 'udp', address: rinfo.address, port: rinfo.port });
      } catch {
        // The layer above counts its own failures; a datagram must never crash the socket.
      }
    });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(opts.port ?? 5060, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const want = opts.recvBufferSize ?? 4 * 1024 * 1024;
    try {
      socket.setRecvBufferSize(want);
      socket.setSendBufferSize(want);
    } catch {
      // The kernel caps the size (net.core.rmem_max); running with a smaller buffer is still correct.
    }
    const a = socket.address();
    return { address: a.address, port: a.port };
  }

  /** Sends one datagram. */
  send(data: Buffer, address: string, port: number, onError?: SendErrorHandler): void {
    const s = this.socket;
    if (!s) {
      onError?.(new Error('udp transport closed'));
      return;
    }
    s.send(data, port, address, (err) => {
      if (err) {
        this.sendErrors++;
        onError?.(err);
      }
    });
  }

  /** Closes the socket. */
  close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (!s) return Promise.resolve();
    return new Promise((resolve) => s.close(() => resolve()));
  }
}
