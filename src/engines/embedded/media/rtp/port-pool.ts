/**
 * Even-port allocation pool for RTP (RFC 3550 §11: RTP on an even port, RTCP on the next odd one).
 * Free ports are handed out round-robin from a FIFO so a just-released port is reused last (late packets of
 * the previous call then land on a closed port rather than in a new call).
 */
import { createSocket, type Socket } from 'node:dgram';
import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';

/** Thrown when every even port of the range is in use. */
export class PortExhaustedError extends Error {
  /** Stable code for callers that map it to a SIP 503/488. */
  readonly code = 'MEDIA_PORTS_EXHAUSTED' as const;
  constructor(readonly portMin: number, readonly portMax: number) {
    super(`no free RTP port in ${portMin}-${portMax}`);
    this.name = 'PortExhaustedError';
  }
}

/** Pool of even RTP ports in [portMin, portMax] (RTCP = RTP + 1 must also fit). */
export class PortPool {
  private readonly free: number[] = [];
  private head = 0;
  private readonly used = new Set<number>();

  constructor(readonly portMin: number, readonly portMax: number) {
    if (!Number.isInteger(portMin) || !Number.isInteger(portMax) || portMin < 1024 || portMax > 65535 || portMin >= portMax) {
      throw new RangeError(`invalid RTP port range ${portMin}-${portMax}`);
    }
    const first = portMin % 2 === 0 ? portMin : portMin + 1;
    for (let p = first; p + 1 <= portMax; p += 2) this.free.push(p);
    if (this.free.length === 0) throw new RangeError(`RTP port range ${portMin}-${portMax} holds no even/odd pair`);
  }

  /** Number of RTP ports (pairs) in the range. */
  get capacity(): number {
    return this.used.size + this.available;
  }

  /** Ports currently free. */
  get available(): number {
    return this.free.length - this.head;
  }

  /** Ports currently allocated. */
  get inUse(): number {
    return this.used.size;
  }

  /** Take the next free even port; throws PortExhaustedError when none is left. */
  acquire(): number {
    if (this.head >= this.free.length) throw new PortExhaustedError(this.portMin, this.portMax);
    const port = this.free[this.head++] as number;
    if (this.head > 1024 && this.head * 2 > this.free.length) {
      this.free.splice(0, this.head);
      this.head = 0;
    }
    this.used.add(port);
    return port;
  }

  /** Give `port` back; unknown or already free ports are ignored. */
  release(port: number): void {
    if (!this.used.delete(port)) return;
    this.free.push(port);
  }
}

/** An RTP/RTCP socket pair bound on consecutive ports. */
export interface BoundPair {
  port: number;
  rtp: Socket;
  rtcp: Socket;
}

/** The last IP literal looked up (a leg sends every packet to the same one). */
let lastLiteral = { address: '', family: 0 };

/**
 * RTP peers are IP literals from SDP or from received packets. The default lookup (dns.lookup) defers every
 * send by a process.nextTick even for literals; answering synchronously saves that on the per-packet path.
 * Names (rare: SDP c= must be an address, RFC 4566 §5.7) still go through dns.lookup.
 */
export function literalLookup(
  hostname: string,
  options: unknown,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  // Every packet of a leg names the same peer: remember the last literal instead of re-parsing it.
  if (hostname === lastLiteral.address) {
    callback(null, hostname, lastLiteral.family);
    return;
  }
  const family = isIP(hostname);
  if (family !== 0) {
    lastLiteral = { address: hostname, family };
    callback(null, hostname, family);
    return;
  }
  dnsLookup(hostname, options as LookupOneOptions, callback);
}

function bindSocket(address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket({ type: address.includes(':') ? 'udp6' : 'udp4', lookup: literalLookup });
    const onError = (err: Error): void => {
      s.close();
      reject(err);
    };
    s.once('error', onError);
    s.bind({ address, port, exclusive: true }, () => {
      s.off('error', onError);
      resolve(s);
    });
  });
}

/**
 * Acquire a port from `pool` and bind RTP + RTCP sockets on it. Ports taken by other processes are skipped (and
 * kept out of the pool until released); gives up with PortExhaustedError when the pool runs dry.
 */
export async function bindPair(pool: PortPool, address: string): Promise<BoundPair> {
  const busy: number[] = [];
  try {
    for (;;) {
      const port = pool.acquire();
      let rtp: Socket | undefined;
      try {
        rtp = await bindSocket(address, port);
        const rtcp = await bindSocket(address, port + 1);
        return { port, rtp, rtcp };
      } catch (err) {
        rtp?.close();
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EADDRINUSE' && code !== 'EACCES') {
          pool.release(port);
          throw err;
        }
        busy.push(port);
      }
    }
  } finally {
    for (const p of busy) pool.release(p);
  }
}
