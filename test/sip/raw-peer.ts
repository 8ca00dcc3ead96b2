/** A raw UDP peer for tests that need to see exact bytes and timings on the wire. */
import { createSocket, type Socket } from 'node:dgram';

/** One datagram received by the peer. */
export interface Seen {
  at: number;
  text: string;
}

/** A bound UDP socket that records what it receives. */
export class RawPeer {
  readonly seen: Seen[] = [];
  private waiters: (() => void)[] = [];
  private constructor(
    readonly socket: Socket,
    readonly port: number,
  ) {
    socket.on('message', (m) => {
      this.seen.push({ at: performance.now(), text: m.toString() });
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Binds on 127.0.0.1 with an ephemeral port. */
  static async open(): Promise<RawPeer> {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    return new RawPeer(s, s.address().port);
  }

  /** Sends text or bytes to 127.0.0.1:port. */
  send(port: number, data: string | Buffer): Promise<void> {
    return new Promise((r) => this.socket.send(typeof data === 'string' ? Buffer.from(data) : data, port, '127.0.0.1', () => r()));
  }

  /** Waits until `pred` holds for the received list, or fails after `ms`. */
  async waitFor(pred: (seen: Seen[]) => boolean, ms = 5000): Promise<Seen[]> {
    const until = performance.now() + ms;
    while (!pred(this.seen)) {
      const left = until - performance.now();
      if (left <= 0) throw new Error(`timed out; saw ${this.seen.map((s) => s.text.split('\r\n')[0]).join(' | ')}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.seen;
  }

  /** Closes the socket. */
  close(): void {
    this.socket.close();
  }
}

/** A minimal request from the raw peer; `extra` lines are appended to the headers. */
export function rawRequest(o: { method: string; port: number; peerPort: number; branch: string; callId: string; cseq?: number; toTag?: string; extra?: string[]; body?: string }): string {
  const body = o.body ?? '';
  return [
    `${o.method} sip:test@127.0.0.1:${o.port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${o.peerPort};branch=${o.branch};rport`,
    'From: <sip:peer@127.0.0.1>;tag=peer1',
    `To: <sip:test@127.0.0.1>${o.toTag ? `;tag=${o.toTag}` : ''}`,
    `Call-ID: ${o.callId}`,
    `CSeq: ${o.cseq ?? 1} ${o.method === 'ACK' || o.method === 'CANCEL' ? o.method : o.method}`,
    `Contact: <sip:peer@127.0.0.1:${o.peerPort}>`,
    'Max-Forwards: 70',
    ...(o.extra ?? []),
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}
