/** A raw TLS client for tests that must see exact messages on one connection (§18.2.2: replies come back on it). */
import { connect, type TLSSocket } from 'node:tls';
import { createFramer, parseMessage, SipResponse } from '../../src/engines/embedded/sip/message-port.js';

/** A connected TLS socket that frames and records what the server sends. */
export class TlsPeer {
  readonly responses: SipResponse[] = [];
  readonly requests: string[] = [];
  closed = false;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: TLSSocket) {
    const framer = createFramer(
      (msg) => {
        const p = parseMessage(msg);
        if (p.ok && p.message instanceof SipResponse) this.responses.push(p.message);
        else this.requests.push(msg.toString('utf8'));
        this.wake();
      },
      () => undefined,
    );
    socket.on('data', (b: Buffer) => framer.push(b));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  /** Connects to 127.0.0.1:port, accepting the self-signed test certificate. */
  static open(port: number, host = '127.0.0.1'): Promise<TlsPeer> {
    return new Promise((resolve, reject) => {
      const s = connect({ host, port, rejectUnauthorized: false }, () => resolve(new TlsPeer(s)));
      s.once('error', reject);
    });
  }

  /** Local port of the connection (what rport should report). */
  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  /** Writes raw text. */
  write(text: string): void {
    this.socket.write(text);
  }

  /** Waits until `pred` holds, or fails after `ms`. */
  async waitFor(pred: () => boolean, ms = 5000): Promise<void> {
    const until = performance.now() + ms;
    while (!pred()) {
      const left = until - performance.now();
      if (left <= 0) throw new Error(`timed out; saw ${this.responses.map((r) => `${r.status} ${r.get('cseq')}`).join(' | ')}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** The first response with this status to this CSeq method. */
  find(status: number, method: string): SipResponse | undefined {
    return this.responses.find((r) => r.status === status && (r.get('cseq') ?? '').endsWith(` ${method}`));
  }

  /** Closes the connection. */
  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

/** One request over TLS from the raw peer; `via` is the sent-by host:port written in the Via. */
export function tlsRequest(o: { method: string; port: number; via: string; branch: string; callId: string; cseq: number; toTag?: string; body?: string }): string {
  const body = o.body ?? '';
  return [
    `${o.method} sip:service@127.0.0.1:${o.port};transport=tls SIP/2.0`,
    `Via: SIP/2.0/TLS ${o.via};branch=${o.branch};rport`,
    'From: <sip:peer@example.invalid>;tag=tlspeer',
    `To: <sip:service@127.0.0.1>${o.toTag ? `;tag=${o.toTag}` : ''}`,
    `Call-ID: ${o.callId}`,
    `CSeq: ${o.cseq} ${o.method}`,
    `Contact: <sip:peer@${o.via};transport=tls>`,
    'Max-Forwards: 70',
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}
