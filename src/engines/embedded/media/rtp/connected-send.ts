/**
 * Connected sending for one leg's RTP socket. A connect()ed UDP socket sends about a quarter cheaper per packet
 * (no address parse or route lookup per send), but the kernel then delivers only the connected peer's packets:
 * anyone else's are dropped (Linux answers them with ICMP port unreachable) before the receiver can see them.
 * So the socket is connected only to the address the receiver latched from the peer's own packets (symmetric
 * RTP, RFC 4961), only while that source is live (it sent within RELATCH_MS) and only while the leg sends; the
 * leg re-evaluates on every pacer tick, so a silent source is let go in time for another one to take over.
 * Errors never escape: they are counted, and the leg sends unconnected instead.
 */
import type { Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { RELATCH_MS } from './receiver.js';

/** A remote RTP address; the connection is keyed on the identity of the leg's remote object. */
export interface Peer {
  address: string;
  port: number;
}

/**
 * Connection failures (connect/disconnect errors, socket errors while connected) after which a leg stops
 * connecting until its next setRemote: a peer whose port keeps refusing must not cost a syscall pair per packet.
 */
export const MAX_CONNECT_FAILURES = 3;

/**
 * How much newer than a failure a source packet must be to allow another connect. Linux reports a pending
 * socket error before the datagrams already queued (udp_recvmsg checks sk_err first), so the peer's last
 * packets, sent before it closed its port, are read just after the ECONNREFUSED: they prove nothing about
 * the peer being back. They are read within the next poll pass; a revived peer sends for longer than this.
 */
export const FAILURE_HOLDOFF_MS = 100;

/** The connect state of one RTP socket. */
export class SendConnection {
  /** The remote the socket is connected to (the very object the leg sends to); null: sends name the address. */
  target: Peer | null = null;
  /** Successful connect() calls. */
  connects = 0;
  /** Failures: connect/disconnect errors and socket errors (e.g. ECONNREFUSED) while connected. */
  errors = 0;
  private failures = 0;
  private failedAt = -Infinity;

  constructor(
    private readonly sock: Socket,
    /** Off: the socket is never connected (RtpLegOptions.connectedSend: false). */
    readonly enabled: boolean,
  ) {}

  /**
   * Connect to `latched` (the leg's remote when it was learned from the latched source and the leg sends; null
   * otherwise) while that source's last packet (`latchedAt`) is under RELATCH_MS old; disconnect otherwise.
   * After a failure, only a source packet FAILURE_HOLDOFF_MS newer than the failure allows another attempt.
   */
  update(latched: Peer | null, latchedAt: number, now: number): void {
    const want =
      latched !== null &&
      now - latchedAt < RELATCH_MS &&
      latchedAt > this.failedAt + FAILURE_HOLDOFF_MS &&
      this.failures < MAX_CONNECT_FAILURES
        ? latched
        : null;
    if (want === this.target) return;
    if (this.target !== null) this.disconnect(now);
    if (want !== null && this.target === null && this.failures < MAX_CONNECT_FAILURES)
      this.connect(want, now);
  }

  /**
   * An error event on the socket. While connected it is the connection's (Linux reports an ICMP port
   * unreachable only on connected sockets, as ECONNREFUSED, RFC 1122 §4.1.3.3): fall back to unconnected sends.
   */
  socketError(now: number): void {
    if (this.target === null) return;
    this.fail(now);
    this.disconnect(now);
  }

  /** A new remote from SDP: earlier failures were about another peer. */
  reset(): void {
    this.failures = 0;
    this.failedAt = -Infinity;
  }

  /** The socket is closing: nothing to undo. */
  close(): void {
    this.target = null;
  }

  private connect(p: Peer, now: number): void {
    if (isIP(p.address) === 0) return;
    try {
      // With an IP literal and the pair's synchronous lookup the socket is connected when connect() returns;
      // remoteAddress() throws if it is not (the 'error' event then follows on the next tick).
      this.sock.connect(p.port, p.address);
      this.sock.remoteAddress();
      this.target = p;
      this.connects++;
    } catch {
      this.fail(now);
    }
  }

  private disconnect(now: number): void {
    this.target = null;
    try {
      this.sock.disconnect();
    } catch {
      this.fail(now);
    }
  }

  private fail(now: number): void {
    this.errors++;
    this.failures++;
    this.failedAt = now;
  }
}
