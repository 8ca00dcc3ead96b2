/**
 * Request and response objects handed to the application, shaped like drachtio-srf's `req`/`res`:
 * `req.get(name)`, `req.method`, `req.body`, `req.on('cancel')`, `res.send(status, reason?, opts?)`.
 */
import { sessionBody, type SessionBody } from './body.js';
import type { InboundContext, SipCore } from './core.js';
import { createResponse, defaultReason, type SipRequest, type SipResponse } from './message-port.js';

/** Extra headers and body of an outgoing message. */
export interface MessageOptions {
  headers?: Record<string, string>;
  body?: string;
}

/** An incoming request. */
export class InboundRequest {
  /** Free-form storage for middleware (e.g. the authenticated user). */
  readonly locals: Record<string, unknown> = {};
  private cancelListeners: (() => void)[] | undefined;
  private session$: SessionBody | undefined;

  constructor(readonly ctx: InboundContext) {
    ctx.onCancel = () => {
      for (const fn of this.cancelListeners ?? []) fn();
    };
  }

  /** The parsed message. */
  get msg(): SipRequest {
    return this.ctx.req;
  }
  get method(): string {
    return this.ctx.req.method;
  }
  get uri(): string {
    return this.ctx.req.uri;
  }
  get body(): string {
    return this.ctx.req.body.toString('utf8');
  }
  /** What the body offers as a session description, read once (the engine, the leg and the dialog all ask). */
  get session(): SessionBody {
    return (this.session$ ??= sessionBody(this.ctx.req));
  }
  /** The session description in the body: all of it, or the SDP part of a multipart body; '' if none. */
  get sdp(): string {
    const b = this.session;
    return b.ok ? b.sdp : '';
  }
  get callId(): string {
    return this.ctx.req.get('call-id') ?? '';
  }
  /** Source of the request: protocol, address, port. */
  get source(): { protocol: string; address: string; port: number } {
    const s = this.ctx.source;
    return { protocol: s.protocol, address: s.address, port: s.port };
  }
  /** drachtio-srf compatible name for the source address. */
  get source_address(): string {
    return this.ctx.source.address;
  }
  /** True once a CANCEL for this INVITE arrived. */
  get canceled(): boolean {
    return this.ctx.cancelled;
  }
  /** First value of a header. */
  get(name: string): string | undefined {
    return this.ctx.req.get(name);
  }
  /** True when the header is present. */
  has(name: string): boolean {
    return this.ctx.req.get(name) !== undefined;
  }
  /** Listens for CANCEL (the core already answered 200 and 487). */
  on(event: 'cancel', fn: () => void): this {
    if (event === 'cancel') (this.cancelListeners ??= []).push(fn);
    return this;
  }
}

/** The response side of an incoming request. */
export class OutboundResponse {
  private final = false;
  /** Last status sent. */
  statusCode = 0;
  /** @internal Dialog hook: sees every response sent (a 2xx to INVITE starts 2xx retransmission). */
  onSent: ((res: SipResponse, bytes: Buffer) => void) | undefined;
  /** @internal Headers the stack adds to a 2xx, under the application's own (e.g. the session timer's). */
  extraHeaders: Record<string, string> | undefined;

  constructor(
    private readonly core: SipCore,
    private readonly ctx: InboundContext,
  ) {}

  /** True once a final response went out (or a CANCEL answered the INVITE with 487). */
  get finalResponseSent(): boolean {
    return this.final || this.ctx.cancelled;
  }

  /** The To tag this side uses when it answers. */
  get localTag(): string {
    return this.ctx.localTag;
  }

  /** Sends a response; later finals are ignored (§17.2.1). Returns the message sent, if any. */
  send(status: number, reason?: string | MessageOptions, opts?: MessageOptions): SipResponse | undefined {
    if (typeof reason === 'object') {
      opts = reason;
      reason = undefined;
    }
    if (this.finalResponseSent) return undefined;
    const res = this.build(status, reason ?? defaultReason(status), opts);
    this.sendBuilt(res);
    return res;
  }

  /** Builds a response with our To tag and the given headers/body without sending it. */
  build(status: number, reason: string, opts?: MessageOptions): SipResponse {
    const res = createResponse(this.ctx.req, status, reason, { toTag: this.ctx.localTag });
    // §12.1.1: a dialog-creating response copies the Record-Route of the request.
    if (status > 100 && status < 300 && this.ctx.req.method === 'INVITE') for (const rr of this.ctx.req.getAll('record-route')) res.add('record-route', rr);
    if (status >= 200 && status < 300) for (const [k, v] of Object.entries(this.extraHeaders ?? {})) res.set(k, v);
    for (const [k, v] of Object.entries(opts?.headers ?? {})) res.set(k, v);
    if (opts?.body !== undefined) {
      res.body = Buffer.from(opts.body, 'utf8');
      if (!res.get('content-type') && opts.body.length > 0) res.set('content-type', 'application/sdp');
    }
    return res;
  }

  /** Sends an already built response (2xx retransmission goes through here). */
  sendBuilt(res: SipResponse): void {
    if (this.finalResponseSent) return;
    if (res.status >= 200) this.final = true;
    this.statusCode = res.status;
    const bytes = res.toBuffer();
    this.ctx.tx.respond(res.status, bytes);
    this.onSent?.(res, bytes);
  }

  /** Re-sends the bytes of a 2xx (§13.3.1.4) through the transaction or straight to the transport. */
  retransmit(status: number, bytes: Buffer): void {
    if (this.ctx.tx.state === 'accepted') this.ctx.tx.respond(status, bytes);
    else this.core.transports.send(bytes, this.ctx.dest);
  }
}
