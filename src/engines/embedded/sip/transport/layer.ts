/**
 * The transport layer: owns the UDP/TCP/TLS transports, picks one for an outgoing message and
 * routes responses per RFC 3261 §18.2.2 and RFC 3581 (received/rport).
 */
import { isIPv6 } from 'node:net';
import { StreamTransport, type StreamListenOptions } from './stream.js';
import type { Endpoint, FramerFactory, InboundHandler, SendErrorHandler, Source, TransportProtocol } from './types.js';
import { UdpTransport, type UdpListenOptions } from './udp.js';

/** What `listen` binds; any subset. `advertise` is the host written into Via/Contact. */
export interface ListenOptions {
  udp?: UdpListenOptions;
  tcp?: StreamListenOptions;
  tls?: StreamListenOptions;
  advertise?: string;
}

/** A bound local address per protocol, for Via sent-by and Contact. */
export interface LocalAddress {
  host: string;
  port: number;
}

/** Owns the transports and chooses between them. */
export class TransportLayer {
  private udp: UdpTransport | undefined;
  private tcp: StreamTransport | undefined;
  private tls: StreamTransport | undefined;
  private readonly locals = new Map<TransportProtocol, LocalAddress>();

  constructor(
    private readonly onData: InboundHandler,
    private readonly framer: FramerFactory,
  ) {}

  /** Binds every requested transport; resolves with the bound addresses. */
  async listen(opts: ListenOptions): Promise<Map<TransportProtocol, LocalAddress>> {
    if (opts.udp) {
      this.udp = new UdpTransport(this.onData);
      const a = await this.udp.listen(unbracketed(opts.udp));
      this.locals.set('udp', { host: advertised(opts.advertise, a.address), port: a.port });
    }
    if (opts.tcp) {
      this.tcp = new StreamTransport('tcp', this.onData, this.framer);
      const a = await this.tcp.listen(unbracketed(opts.tcp));
      this.locals.set('tcp', { host: advertised(opts.advertise, a.address), port: a.port });
    }
    if (opts.tls) {
      this.tls = new StreamTransport('tls', this.onData, this.framer);
      const a = await this.tls.listen(unbracketed(opts.tls));
      this.locals.set('tls', { host: advertised(opts.advertise, a.address), port: a.port });
    }
    return new Map(this.locals);
  }

  /** The address to put in Via/Contact for `protocol`, falling back to any bound transport. */
  local(protocol: TransportProtocol): LocalAddress | undefined {
    return this.locals.get(protocol);
  }

  /** True when `protocol` is bound. */
  has(protocol: TransportProtocol): boolean {
    return this.locals.has(protocol);
  }

  /** Picks the protocol for a target: explicit transport param, sips → tls, else udp if bound. */
  pick(transportParam: string | undefined, secure: boolean): TransportProtocol {
    const t = transportParam?.toLowerCase();
    if (t === 'tcp' || t === 'tls' || t === 'udp') return t;
    if (secure) return 'tls';
    return this.has('udp') ? 'udp' : this.has('tcp') ? 'tcp' : 'tls';
  }

  /** Sends bytes to an endpoint, reusing `conn` for stream transports when given. */
  send(data: Buffer, dest: Endpoint & { conn?: Source['conn'] }, onError?: SendErrorHandler): void {
    switch (dest.protocol) {
      case 'udp':
        if (!this.udp) return onError?.(new Error('udp not bound'));
        return this.udp.send(data, dest.address, dest.port, onError);
      case 'tcp':
        if (!this.tcp) return onError?.(new Error('tcp not bound'));
        return this.tcp.send(data, dest.address, dest.port, dest.conn, onError);
      case 'tls':
        if (!this.tls) return onError?.(new Error('tls not bound'));
        return this.tls.send(data, dest.address, dest.port, dest.conn, onError, dest.serverName);
    }
  }

  /** Open stream connections (TCP + TLS). */
  get streamConnections(): number {
    return (this.tcp?.connections ?? 0) + (this.tls?.connections ?? 0);
  }

  /** Inbound TLS handshakes that failed (plain TCP to the TLS port, bad hello, rejected certificate). */
  get tlsHandshakeErrors(): number {
    return this.tls?.handshakeErrors ?? 0;
  }

  /** Closes everything. */
  async close(): Promise<void> {
    await Promise.all([this.udp?.close(), this.tcp?.close(), this.tls?.close()]);
    this.udp = this.tcp = this.tls = undefined;
    this.locals.clear();
  }
}

/**
 * Where a response goes (§18.2.2, RFC 3581 §4): back on the request's connection when reliable;
 * otherwise to the source address, and to the source port only when the client asked with rport.
 */
export function responseDestination(
  source: Source,
  viaPort: number | undefined,
  hasRport: boolean,
  maddr?: string,
): Endpoint & { conn?: Source['conn'] } {
  if (source.protocol !== 'udp') {
    return { protocol: source.protocol, address: source.address, port: source.port, conn: source.conn };
  }
  if (maddr) return { protocol: 'udp', address: bare(maddr), port: viaPort ?? 5060 };
  return { protocol: 'udp', address: source.address, port: hasRport ? source.port : (viaPort ?? 5060) };
}

function bare(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Sockets want `::1`, config and URIs may say `[::1]`. */
function unbracketed<T extends { host?: string }>(o: T): T {
  return o.host === undefined ? o : { ...o, host: bare(o.host) };
}

function advertised(advertise: string | undefined, bound: string): string {
  const h = bare(advertise ?? (bound === '0.0.0.0' ? '127.0.0.1' : bound === '::' ? '::1' : bound));
  return isIPv6(h) ? `[${h}]` : h;
}
