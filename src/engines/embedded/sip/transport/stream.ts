/**
 * TCP and TLS transports (RFC 3261 §18.3): Content-Length framing, one connection per remote
 * address reused in both directions, idle connections closed after a timeout. An outbound TLS connection
 * dialled for a host name serves that name only: its certificate was checked against it, not against any
 * other name that resolves to the same address.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, isIP, connect as netConnect, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, connect as tlsConnect, type Server as TlsServer, type TLSSocket } from 'node:tls';
import type { FramerFactory, InboundHandler, SendErrorHandler } from './types.js';

/** TCP/TLS listen settings; for TLS, cert and key are PEM text or the path of a PEM file. */
export interface StreamListenOptions {
  port?: number;
  host?: string;
  cert?: string | Buffer;
  key?: string | Buffer;
  /** TLS: a client that has not finished its handshake by then is dropped (default 10 s). */
  handshakeTimeoutMs?: number;
  idleTimeoutMs?: number;
  /**
   * TLS client side: check the server's certificate chain and that it names the host we dialled (default true;
   * RFC 5922 §7.2). Off accepts any certificate: only for a lab.
   */
  verifyPeer?: boolean;
  /** TLS client side: the CAs to trust instead of Node's bundled roots (PEM text or a file), e.g. a trunk's own. */
  ca?: string | Buffer;
}

interface Pending {
  socket: Socket;
  ready: boolean;
  queue: Buffer[];
  waiters: SendErrorHandler[];
}

/** One listening stream transport plus its pool of connections. */
export class StreamTransport {
  private server: Server | undefined;
  private readonly pool = new Map<string, Pending>();
  private idleMs = 120_000;
  private opts: StreamListenOptions = {};
  private ca: string | Buffer | undefined;
  /** Connections that closed on a framing error. */
  framingErrors = 0;
  /** Inbound TLS connections dropped because the handshake failed (plain TCP, bad hello, rejected cert). */
  handshakeErrors = 0;

  constructor(
    readonly protocol: 'tcp' | 'tls',
    private readonly onData: InboundHandler,
    private readonly framer: FramerFactory,
  ) {}

  /** Starts listening and resolves with the bound address. */
  async listen(opts: StreamListenOptions): Promise<{ address: string; port: number }> {
    this.opts = opts;
    this.idleMs = opts.idleTimeoutMs ?? this.idleMs;
    const onConn = (s: Socket): void => this.adopt(s, true);
    let server: Server;
    if (this.protocol === 'tls') {
      if (!opts.cert || !opts.key) throw new Error('TLS transport needs a certificate and a key');
      const [cert, key, ca] = await Promise.all([
        pem(opts.cert, 'certificate'),
        pem(opts.key, 'key'),
        opts.ca === undefined ? undefined : pem(opts.ca, 'CA certificates'),
      ]);
      if (ca !== undefined) checkCertificates(ca);
      this.ca = ca;
      let tlsServer: TlsServer;
      try {
        tlsServer = createTlsServer({ cert, key, handshakeTimeout: opts.handshakeTimeoutMs ?? 10_000 }, onConn);
      } catch (err) {
        throw new Error(`bad TLS certificate or key: ${err instanceof Error ? err.message : String(err)}`);
      }
      // A failed or timed-out handshake costs only that socket; Node leaves a timed-out one open.
      tlsServer.on('tlsClientError', (_err, socket) => {
        this.handshakeErrors++;
        socket.destroy();
      });
      server = tlsServer;
    } else server = createServer(onConn);
    this.server = server;
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? (this.protocol === 'tls' ? 5061 : 5060), opts.host ?? '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const a = server.address();
    if (a === null || typeof a === 'string') throw new Error('stream server has no address');
    return { address: a.address, port: a.port };
  }

  /**
   * Sends on `conn` when it is still open, else on a pooled or new connection to address:port. `serverName` is
   * the host name the address was resolved from: a new TLS connection sends it (SNI) and checks the server's
   * certificate against it; without one the certificate must name the address.
   */
  send(data: Buffer, address: string, port: number, conn?: Socket, onError?: SendErrorHandler, serverName?: string): void {
    if (conn && !conn.destroyed && conn.writable) {
      conn.write(data);
      return;
    }
    const name = this.protocol === 'tls' ? hostName(serverName) : undefined;
    let p = this.pool.get(keyOf(address, port, name));
    if (!p || p.socket.destroyed) p = this.dial(address, port, name);
    if (p.ready) p.socket.write(data);
    else {
      p.queue.push(data);
      if (onError) p.waiters.push(onError);
    }
  }

  /** Number of open connections. */
  get connections(): number {
    return this.pool.size;
  }

  /** Closes the server and every connection. */
  async close(): Promise<void> {
    for (const p of this.pool.values()) p.socket.destroy();
    this.pool.clear();
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** `name`: the TLS server name (never an address literal, RFC 6066 §3), also part of the pool key. */
  private dial(address: string, port: number, name: string | undefined): Pending {
    const socket =
      this.protocol === 'tls'
        ? tlsConnect({
            host: address,
            port,
            // Node checks the certificate against servername when given, else against host (the address).
            ...(name !== undefined ? { servername: name } : {}),
            rejectUnauthorized: this.opts.verifyPeer ?? true,
            ...(this.ca !== undefined ? { ca: this.ca } : {}),
          })
        : netConnect({ host: address, port });
    const p: Pending = { socket, ready: false, queue: [], waiters: [] };
    this.pool.set(keyOf(address, port, name), p);
    socket.once(this.protocol === 'tls' ? 'secureConnect' : 'connect', () => {
      p.ready = true;
      for (const b of p.queue) socket.write(b);
      p.queue = [];
      p.waiters = [];
    });
    socket.once('error', (err: Error) => {
      for (const w of p.waiters) w(err);
      p.waiters = [];
      p.queue = [];
    });
    this.adopt(socket, false, p);
    return p;
  }

  private adopt(socket: Socket | TLSSocket, inbound: boolean, pending?: Pending): void {
    const address = normalise(socket.remoteAddress);
    const port = socket.remotePort ?? 0;
    // Outbound sockets have no remote address until connected; their key is set by dial().
    const key = inbound ? keyOf(address, port) : undefined;
    if (inbound && key) this.pool.set(key, pending ?? { socket, ready: true, queue: [], waiters: [] });
    socket.setNoDelay(true);
    socket.setTimeout(this.idleMs, () => socket.destroy());
    socket.on('error', () => undefined);
    const framer = this.framer(
      (msg) => {
        try {
          this.onData(msg, {
            protocol: this.protocol,
            address: normalise(socket.remoteAddress),
            port: socket.remotePort ?? port,
            conn: socket,
          });
        } catch {
          // Handler failures are counted above; the connection stays up.
        }
      },
      () => {
        this.framingErrors++;
        socket.destroy();
      },
    );
    socket.on('data', (chunk: Buffer) => {
      try {
        framer.push(chunk);
      } catch {
        this.framingErrors++;
        socket.destroy();
      }
    });
    socket.once('close', () => {
      for (const [k, v] of this.pool) {
        if (v.socket === socket) {
          this.pool.delete(k);
          break;
        }
      }
    });
  }
}

/** PEM text is used as is; anything else is read as a file path (config gives paths). */
async function pem(v: string | Buffer, what: string): Promise<string | Buffer> {
  if (Buffer.isBuffer(v) || v.includes('-----BEGIN')) return v;
  try {
    return await readFile(v);
  } catch (err) {
    throw new Error(`cannot read TLS ${what} from ${v}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Node ignores CA text it cannot parse, which would leave every outbound TLS call failing its certificate
 * check for no visible reason: refuse it when listening instead.
 */
function checkCertificates(ca: string | Buffer): void {
  const blocks = ca.toString().match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error('bad TLS CA certificates: no PEM certificate (-----BEGIN CERTIFICATE-----) found');
  for (const [i, b] of blocks.entries()) {
    try {
      new X509Certificate(b);
    } catch (err) {
      throw new Error(`bad TLS CA certificates: certificate ${i + 1} does not parse (${err instanceof Error ? err.message : String(err)})`);
    }
  }
}

/**
 * Pool key. Inbound connections and those dialled to an address have none of a name, so a request to an
 * address reuses them (§18.1.1); a connection verified for a name is found only by that name.
 */
function keyOf(address: string, port: number, name?: string): string {
  return name === undefined ? `${address}|${port}` : `${address}|${port}|${name}`;
}

/** A DNS name for SNI and the pool key, lower-cased (names are case-insensitive); undefined for literals. */
function hostName(serverName: string | undefined): string | undefined {
  return serverName !== undefined && isIP(serverName) === 0 ? serverName.toLowerCase() : undefined;
}

function normalise(a: string | undefined): string {
  if (!a) return '';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}
