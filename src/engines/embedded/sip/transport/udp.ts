/** UDP transport: one socket per listen address, large receive buffer, IPv4 or IPv6. */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';
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
  /** Bound to an IPv6 address: a dual-stack '::' socket reaches IPv4 peers only as ::ffff:a.b.c.d. */
  private v6 = false;
  /** Datagrams that failed to send. */
  sendErrors = 0;
  private inFlight = 0;
  private readonly drained: (() => void)[] = [];

  constructor(private readonly onData: InboundHandler) {}

  /** Binds and resolves with the bound address. */
  async listen(opts: UdpListenOptions): Promise<{ address: string; port: number }> {
    const host = opts.host ?? '0.0.0.0';
    this.v6 = isIPv6(host);
    const socket = createSocket({ type: this.v6 ? 'udp6' : 'udp4', reuseAddr: false });
    this.socket = socket;
    socket.on('message', (msg, rinfo) => {
      try {
        // IPv4 peers of a dual-stack socket show up v4-mapped; the layers above (Via received, ACLs) want plain IPv4.
        const address = rinfo.address.startsWith('::ffff:') && rinfo.address.includes('.') ? rinfo.address.slice(7) : rinfo.address;
        this.onData(msg, { protocol: 'udp', address, port: rinfo.port });
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
    this.inFlight++;
    const done = (err: Error | null): void => {
      if (--this.inFlight === 0) for (const fn of this.drained.splice(0)) fn();
      if (err) {
        this.sendErrors++;
        onError?.(err);
      }
    };
    try {
      s.send(data, port, this.v6 && isIPv4(address) ? `::ffff:${address}` : address, done);
    } catch (err) {
      // A bad destination (e.g. port 0) throws synchronously; it is a send error like any other.
      done(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Closes the socket once queued datagrams are out (a final response or BYE sent just before must not be lost). */
  async close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (!s) return;
    if (this.inFlight > 0) await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 250);
      this.drained.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
