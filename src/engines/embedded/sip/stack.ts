/**
 * SipStack: the public face of the embedded engine, shaped like drachtio-srf (createUAS,
 * createUAC, createB2BUA, request, middleware, Dialog objects) but Promise-only and cancellable.
 */
import { lookup } from 'node:dns/promises';
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { acceptHeaders, timerRequest } from './session-timer.js';
import { SipCore, type CoreOptions, type InboundContext, type SipStats } from './core.js';
import { Dialog, dialogKey } from './dialog.js';
import { SipError, SipStackError, SipStackErrorCode } from './errors.js';
import { bareHost, parseCSeq, parseUri, splitValues, tagOf, unsupportedRequirements, uriOf } from './header-util.js';
import { InboundRequest, OutboundResponse, type MessageOptions } from './inbound.js';
import type { SipRequest, SipResponse } from './message-port.js';
import type { ListenOptions, LocalAddress } from './transport/layer.js';
import type { Endpoint, Source, TransportProtocol } from './transport/types.js';
import { createUac, sendInitial, stripTag, type UacHost, type UacOptions } from './uac.js';

/** Options of the stack. */
export type SipStackOptions = CoreOptions;

/** Express-like middleware; call `next()` to continue or answer with `res.send`. */
export type Middleware = (req: InboundRequest, res: OutboundResponse, next: (err?: unknown) => void) => unknown;

/** A request handler registered with `on('invite' | 'request' | '<method>')`. */
export type RequestHandler = (req: InboundRequest, res: OutboundResponse) => unknown;

/** Options of `createUAS`. */
export interface UasOptions extends MessageOptions {
  localSdp: string;
  /** Sees the dialog as soon as the 200 is sent, before the ACK, so a BYE racing the ACK is not missed. */
  onDialog?: (d: Dialog) => void;
}

/** Options of `close`. */
export interface CloseOptions {
  graceful?: boolean;
  /** How long dialogs may run on before they get a BYE (default 30 s). */
  graceMs?: number;
}

/** The embedded SIP user agent. */
export class SipStack extends EventEmitter implements UacHost {
  readonly core: SipCore;
  private readonly dialogs = new Map<string, Dialog>();
  private readonly chain: { method?: string; fn: Middleware }[] = [];
  private closing = false;

  constructor(opts: SipStackOptions = {}) {
    super();
    this.core = new SipCore(opts);
    this.core.user = {
      onRequest: (ic) => this.dispatch(ic),
      onAck: (req) => this.onAck(req),
      onStray2xx: (res) => this.dialogFor(res)?.handleStray2xx(res),
    };
  }

  /** Counters (malformedDropped, accessDropped, rateLimited, …). */
  get stats(): SipStats {
    return this.core.stats;
  }

  /** Number of live dialogs. */
  get dialogCount(): number {
    return this.dialogs.size;
  }

  /** Binds transports; resolves with the bound address per protocol. */
  async listen(opts: ListenOptions): Promise<Partial<Record<TransportProtocol, LocalAddress>>> {
    const bound = await this.core.listen(opts);
    return Object.fromEntries(bound);
  }

  /** Adds middleware, optionally for one method only (e.g. `use('invite', fn)`). */
  use(methodOrFn: string | Middleware, fn?: Middleware): this {
    if (typeof methodOrFn === 'function') this.chain.push({ fn: methodOrFn });
    else if (fn) this.chain.push({ method: methodOrFn.toUpperCase(), fn });
    return this;
  }

  /** Answers an INVITE with 200 + SDP; resolves with the Dialog once the ACK arrives (§13.3.1.4). */
  createUAS(req: InboundRequest, res: OutboundResponse, opts: UasOptions): Promise<Dialog> {
    if (req.canceled || res.finalResponseSent) return Promise.reject(new SipError(487, 'Request Terminated'));
    const ic = req.ctx;
    const m = ic.req;
    const protocol = ic.source.protocol;
    const contact = this.contactFor(protocol);
    const timer = timerRequest(m, this.core.sessionTimer);
    const timerHeaders = timer.kind === 'accept' ? acceptHeaders(timer) : {};
    const reply = res.build(200, 'OK', { headers: { Contact: contact, ...timerHeaders, ...opts.headers }, body: opts.localSdp });
    if (!reply.get('content-type')) reply.set('content-type', 'application/sdp');
    const reqContact = m.get('contact');
    const d = new Dialog(
      this,
      'uas',
      {
        callId: m.get('call-id') ?? '',
        localTag: res.localTag,
        remoteTag: tagOf(m.get('from')) ?? '',
        localUri: stripTag(m.get('to') ?? ''),
        remoteUri: stripTag(m.get('from') ?? ''),
        remoteTarget: reqContact ? uriOf(reqContact) : `sip:${ic.source.address}:${ic.source.port}`,
        routeSet: m.getAll('record-route').flatMap(splitValues),
        contact,
      },
      { localSdp: opts.localSdp, remoteSdp: req.sdp, localSeq: 0, remoteSeq: parseCSeq(m.get('cseq'))?.seq, protocol, flow: ic.source.conn, remoteAllow: m.getAll('allow').join(', ') },
    );
    this.adopt(d);
    if (timer.kind === 'accept') d.sessionTimer.start(timer.interval, timer.refresher === 'uas');
    return new Promise<Dialog>((resolve, reject) => {
      // A dialog torn down before its ACK (a BYE overtaking it) settles the promise instead of hanging.
      d.once('destroy', () => reject(new SipError(481, 'Dialog Ended Before ACK')));
      opts.onDialog?.(d);
      res.onSent = (r, bytes) => {
        res.onSent = undefined;
        d.waitForAck(res, parseCSeq(r.get('cseq'))?.seq ?? 0, bytes, (ok) => (ok ? resolve(d) : reject(new SipError(408, 'ACK Timeout'))));
      };
      res.sendBuilt(reply);
    });
  }

  /** Places a call; resolves with the Dialog on 2xx, rejects with SipError otherwise. */
  createUAC(uri: string, opts: UacOptions = {}): Promise<Dialog> {
    return createUac(this, uri, opts);
  }

  /** Bridges an incoming INVITE to `uri`: ringing and failures are relayed, BYE on one side ends the other. */
  async createB2BUA(req: InboundRequest, res: OutboundResponse, uri: string, opts: UacOptions = {}): Promise<{ uas: Dialog; uac: Dialog }> {
    const abort = new AbortController();
    req.on('cancel', () => abort.abort());
    opts.signal?.addEventListener('abort', () => abort.abort(), { once: true });
    let uac: Dialog;
    try {
      uac = await this.createUAC(uri, {
        ...opts,
        localSdp: opts.localSdp ?? req.body,
        signal: abort.signal,
        onProvisional: (p) => {
          if (p.status > 100 && !res.finalResponseSent) res.send(p.status, p.reason, p.body.length > 0 ? { body: p.body.toString('utf8') } : undefined);
          opts.onProvisional?.(p);
        },
      });
    } catch (err) {
      if (!res.finalResponseSent) res.send(err instanceof SipError && err.status >= 300 ? err.status : 500);
      throw err;
    }
    let uas: Dialog;
    try {
      uas = await this.createUAS(req, res, { localSdp: uac.remote.sdp });
    } catch (err) {
      await uac.destroy();
      throw err;
    }
    uas.on('destroy', () => void uac.destroy());
    uac.on('destroy', () => void uas.destroy());
    return { uas, uac };
  }

  /** Sends an out-of-dialog request (OPTIONS, MESSAGE, …); resolves with the final response of any status. */
  async request(uri: string, opts: UacOptions & { method: string }): Promise<SipResponse> {
    const a = await sendInitial(this, uri, opts);
    return a.res;
  }

  /** Stops accepting INVITEs (503), lets dialogs end within the grace period, then BYEs the rest and closes. */
  async close(opts: CloseOptions = {}): Promise<void> {
    this.closing = true;
    if (opts.graceful) {
      const until = Date.now() + (opts.graceMs ?? 30_000);
      while (this.dialogs.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    }
    const byes = [...this.dialogs.values()].map((d) => d.destroy());
    await Promise.race([Promise.all(byes), new Promise((r) => setTimeout(r, Math.min(2000, 8 * this.core.timers.t1)))]);
    this.dialogs.clear();
    await this.core.close();
  }

  /** @internal */
  isClosing(): boolean {
    return this.closing;
  }

  /** @internal The Contact we put in requests and 2xx over `protocol`. */
  contactFor(protocol: TransportProtocol): string {
    const local = this.core.transports.local(protocol) ?? { host: '127.0.0.1', port: 5060 };
    const scheme = protocol === 'tls' ? 'sips' : 'sip';
    const param = protocol === 'udp' ? '' : `;transport=${protocol}`;
    return `<${scheme}:callflow@${local.host}:${local.port}${param}>`;
  }

  /** @internal Maps a URI to a transport address (§18.1.1; A/AAAA lookup, no SRV/NAPTR). */
  async resolve(uri: string, fallback: TransportProtocol): Promise<Endpoint> {
    const u = parseUri(uri);
    if (!u) throw new SipStackError(SipStackErrorCode.BadTarget, `cannot route to ${uri}`);
    const t = this.core.transports;
    const protocol = u.transport || u.scheme === 'sips' ? t.pick(u.transport, u.scheme === 'sips') : t.has(fallback) ? fallback : t.pick(undefined, false);
    const host = bareHost(u.host);
    const address = isIP(host) ? host : (await lookup(host).catch(() => undefined))?.address;
    if (!address) throw new SipStackError(SipStackErrorCode.BadTarget, `cannot resolve ${host}`);
    const port = u.port ?? (protocol === 'tls' ? 5061 : 5060);
    return isIP(host) ? { protocol, address, port } : { protocol, address, port, serverName: host };
  }

  /** @internal */
  adopt(d: Dialog): void {
    this.dialogs.set(d.id, d);
  }

  /** @internal */
  forget(d: Dialog): void {
    if (this.dialogs.get(d.id) === d) this.dialogs.delete(d.id);
  }

  /** @internal */
  dialogFor(res: SipResponse): Dialog | undefined {
    return this.dialogs.get(dialogKey(res.get('call-id') ?? '', tagOf(res.get('from')) ?? '', tagOf(res.get('to')) ?? ''));
  }

  private onAck(req: SipRequest): void {
    const d = this.dialogs.get(dialogKey(req.get('call-id') ?? '', tagOf(req.get('to')) ?? '', tagOf(req.get('from')) ?? ''));
    d?.handleAck(req);
  }

  private dispatch(ic: InboundContext): void {
    const req = new InboundRequest(ic);
    const res = new OutboundResponse(this.core, ic);
    // §8.2.2.3: a request that requires an extension we do not implement is refused before anyone acts on
    // it (e.g. a carrier's `Require: 100rel`), so the sender can retry without it.
    const unsupported = unsupportedRequirements(ic.req.getAll('require'));
    if (unsupported.length > 0) {
      res.send(420, { headers: { Unsupported: unsupported.join(', ') } });
      return;
    }
    const toTag = tagOf(ic.req.get('to'));
    if (!toTag && req.method === 'INVITE') {
      // RFC 4028 §9: an interval shorter than we accept, before anyone rings.
      const t = timerRequest(ic.req, this.core.sessionTimer);
      if (t.kind === 'too-small') return void res.send(422, { headers: { 'Min-SE': String(t.minSE) } });
      if (t.kind === 'malformed') return void res.send(400, `Bad Request (${t.reason})`);
    }
    if (toTag) {
      const d = this.dialogs.get(dialogKey(req.callId, toTag, tagOf(ic.req.get('from')) ?? ''));
      if (d) return this.guard(res, () => d.handleRequest(req, res));
      res.send(481);
      return;
    }
    if (this.closing && req.method === 'INVITE') {
      res.send(503, { headers: { 'Retry-After': '5' } });
      return;
    }
    this.runChain(req, res, 0);
  }

  private runChain(req: InboundRequest, res: OutboundResponse, i: number): void {
    let entry = this.chain[i];
    while (entry && entry.method !== undefined && entry.method !== req.method) entry = this.chain[++i];
    if (!entry) return this.guard(res, () => this.finalHandler(req, res));
    const next = (err?: unknown): void => {
      if (err !== undefined) {
        if (!res.finalResponseSent) res.send(err instanceof SipError ? err.status : 500);
        return;
      }
      this.runChain(req, res, i + 1);
    };
    this.guard(res, () => entry.fn(req, res, next));
  }

  private finalHandler(req: InboundRequest, res: OutboundResponse): void {
    const event = req.method.toLowerCase();
    if (this.listenerCount(event) > 0) {
      this.emit(event, req, res);
      return;
    }
    if (req.method === 'OPTIONS') {
      res.send(200, { headers: { Allow: 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY' } });
      return;
    }
    if (this.listenerCount('request') > 0) {
      this.emit('request', req, res);
      return;
    }
    res.send(req.method === 'INVITE' ? 480 : req.method === 'BYE' ? 481 : 501);
  }

  /** Runs app code; a throw or rejected promise becomes a 500 instead of escaping the socket handler. */
  private guard(res: OutboundResponse, fn: () => unknown): void {
    const fail = (): void => {
      this.core.stats.handlerErrors++;
      if (!res.finalResponseSent) res.send(500);
    };
    try {
      const r = fn();
      if (r instanceof Promise) r.catch(fail);
    } catch {
      fail();
    }
  }
}

/** The source of a request, re-exported for handler typing. */
export type { Source };
