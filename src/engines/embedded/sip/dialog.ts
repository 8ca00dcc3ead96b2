/**
 * A confirmed dialog (RFC 3261 §12), UAS or UAC side. Emits 'destroy', 'modify', 'info', 'refer',
 * 'notify', 'ack'. In-dialog requests follow the CSeq rules (§12.2), refresh the remote target,
 * and a 408/481 answer tears the dialog down (§12.2.1.2).
 */
import { EventEmitter } from 'node:events';
import { refuseBody, sdpOf } from './body.js';
import { SipError, SipStackError, SipStackErrorCode } from './errors.js';
import { parseCSeq, uriOf } from './header-util.js';
import type { InboundRequest, MessageOptions, OutboundResponse } from './inbound.js';
import type { SipRequest, SipResponse } from './message-port.js';
import { buildInDialog, nextHop, type DialogFields } from './request-builder.js';
import { answerDirection, directionOf, withDirection } from './sdp-direction.js';
import { acceptHeaders, parseSessionExpires, SessionTimer, timerRequest } from './session-timer.js';
import type { TimerHandle } from './timer-wheel.js';
import type { SipCore } from './core.js';
import type { Endpoint, Source, TransportProtocol } from './transport/types.js';

/** What a dialog needs from the stack that owns it. */
export interface DialogHost {
  core: SipCore;
  /** The UAC dialog a response belongs to (Call-ID, From tag, To tag). */
  dialogFor(res: SipResponse): Dialog | undefined;
  resolve(uri: string, fallback: TransportProtocol): Promise<Endpoint>;
  forget(d: Dialog): void;
}

/** Options of an in-dialog request. */
export interface DialogRequestOptions extends MessageOptions {
  method: string;
}

/** Why a dialog ended. */
export const DestroyReason = {
  Local: 'local',
  Remote: 'remote',
  Timeout: 'timeout',
  NoAck: 'no-ack',
  Gone: 'gone',
  /** Nobody refreshed the session in time (RFC 4028 §10); we sent BYE. */
  SessionExpired: 'session-expired',
} as const;
/** One destroy reason. */
export type DestroyReason = (typeof DestroyReason)[keyof typeof DestroyReason];

interface AckWait {
  seq: number;
  bytes: Buffer;
  res: OutboundResponse;
  interval: number;
  timer: TimerHandle | undefined;
  deadline: TimerHandle | undefined;
  done: (ok: boolean) => void;
}

/** One SIP dialog. */
export class Dialog extends EventEmitter {
  readonly id: string;
  readonly sip: { callId: string; localTag: string; remoteTag: string };
  readonly local: { sdp: string; uri: string; contact: string };
  readonly remote: { sdp: string; uri: string };
  connected = true;
  private localSeq: number;
  private remoteSeq: number | undefined;
  private ackWait: AckWait | undefined;
  private lastAck: { seq: number; bytes: Buffer; dest: Endpoint } | undefined;
  private reinviting = false;
  /** Whether the far end listed UPDATE in its Allow: session refreshes then need no offer (RFC 4028 §7.4). */
  private remoteAllowsUpdate: boolean;
  /** @internal The session timer (RFC 4028), started by the dialog-creating 2xx or a refresh. */
  readonly sessionTimer = new SessionTimer({
    schedule: (ms, fn) => this.host.core.wheel.schedule(ms, fn),
    refresh: (interval) => void this.refreshSession(interval),
    expire: () => void this.expireSession(),
  });

  constructor(
    private readonly host: DialogHost,
    readonly type: 'uas' | 'uac',
    private readonly fields: DialogFields,
    opts: {
      localSdp: string;
      remoteSdp: string;
      localSeq: number;
      remoteSeq?: number;
      protocol: TransportProtocol;
      /** The TCP/TLS connection the dialog-creating INVITE came on, reused for requests to the same host. */
      flow?: Source['conn'];
      /** The far end's Allow header from the dialog-creating INVITE or 2xx. */
      remoteAllow?: string;
    },
  ) {
    super();
    this.sip = { callId: fields.callId, localTag: fields.localTag, remoteTag: fields.remoteTag };
    this.id = dialogKey(fields.callId, fields.localTag, fields.remoteTag);
    this.local = { sdp: opts.localSdp, uri: uriOf(fields.localUri), contact: fields.contact };
    this.remote = { sdp: opts.remoteSdp, uri: uriOf(fields.remoteUri) };
    this.localSeq = opts.localSeq;
    this.remoteSeq = opts.remoteSeq;
    this.protocol = opts.protocol;
    this.flow = opts.flow;
    this.remoteAllowsUpdate = /(^|[\s,])UPDATE([\s,]|$)/i.test(opts.remoteAllow ?? '');
  }

  private readonly flow: Source['conn'];

  /** Transport used for requests inside the dialog. */
  readonly protocol: TransportProtocol;

  /** Sends BYE and ends the dialog; resolves once the BYE is answered or timed out. */
  async destroy(opts: MessageOptions = {}): Promise<void> {
    if (!this.connected) return;
    this.end(DestroyReason.Local);
    await this.send({ method: 'BYE', ...opts }, true).catch(() => undefined);
  }

  /** Re-INVITE with a new SDP, or (`'hold'` / `'unhold'`) put the far end on hold / take it off hold; resolves with the remote SDP. */
  async modify(sdp: string, opts: MessageOptions = {}): Promise<string> {
    const body = sdp === 'hold' ? withDirection(this.local.sdp, 'sendonly') : sdp === 'unhold' ? withDirection(this.local.sdp, 'sendrecv') : sdp;
    await this.reinvite(body, opts.headers ?? {});
    return this.remote.sdp;
  }

  /**
   * A re-INVITE offering `body`; our SDP and the far end's answer are kept on success. While a session timer
   * runs, every re-INVITE is a refresh (RFC 4028 §7.4): it carries Session-Expires, keeping the refresher, and
   * its 2xx restarts (or, without Session-Expires, stops) the timer.
   */
  private async reinvite(body: string, headers: Record<string, string>): Promise<SipResponse> {
    if (this.reinviting) throw new SipError(491, 'Request Pending');
    this.reinviting = true;
    try {
      const t = this.sessionTimer;
      const timed: Record<string, string> =
        t.interval > 0 ? { 'Session-Expires': `${t.interval};refresher=${t.weRefresh ? 'uac' : 'uas'}`, Supported: 'timer' } : {};
      const res = await this.request({ method: 'INVITE', headers: { 'Content-Type': 'application/sdp', ...timed, ...headers }, body });
      this.local.sdp = body;
      const answer = sdpOf(res);
      if (answer !== '') this.remote.sdp = answer;
      if (t.interval > 0 || headers['Session-Expires'] !== undefined) this.refreshed(res);
      return res;
    } finally {
      this.reinviting = false;
    }
  }

  /** §7.2: the 2xx of a refresh sets the interval and who refreshes (uac: us, in that transaction); none: off. */
  private refreshed(res: SipResponse): void {
    const se = parseSessionExpires(res.get('session-expires') ?? '');
    if (se) this.sessionTimer.start(se.interval, se.refresher !== 'uas');
    else this.sessionTimer.stop();
  }

  /** Sends a request inside the dialog (INFO, UPDATE, REFER, NOTIFY, OPTIONS, INVITE, …). */
  request(opts: DialogRequestOptions): Promise<SipResponse> {
    if (!this.connected) return Promise.reject(new SipStackError(SipStackErrorCode.DialogGone, 'dialog is gone'));
    return this.send(opts, false);
  }

  /** @internal A request inside this dialog arrived. */
  handleRequest(req: InboundRequest, res: OutboundResponse): void {
    const cseq = parseCSeq(req.get('cseq'));
    if (!cseq) return void res.send(400);
    // §12.2.2: lower CSeq than the last one seen is out of order.
    if (this.remoteSeq !== undefined && cseq.seq <= this.remoteSeq && req.method !== 'ACK') return void res.send(500, 'Out of Order CSeq');
    this.remoteSeq = cseq.seq;
    const contact = req.get('contact');
    if (contact && (req.method === 'INVITE' || req.method === 'UPDATE')) this.fields.remoteTarget = uriOf(contact);
    switch (req.method) {
      case 'BYE':
        res.send(200);
        this.end(DestroyReason.Remote);
        return;
      case 'INVITE': {
        if (this.reinviting) return void res.send(491);
        const refreshed = this.answerTimer(req, res);
        if (!refreshed) return;
        res.onSent = (r, bytes) => {
          if (r.status < 200 || r.status >= 300) return;
          this.waitForAck(res, cseq.seq, bytes, () => undefined);
          refreshed();
        };
        return this.offer(req, res);
      }
      case 'UPDATE': {
        const refreshed = this.answerTimer(req, res);
        if (!refreshed) return;
        res.onSent = (r) => {
          if (r.status >= 200 && r.status < 300) refreshed();
        };
        return this.offer(req, res);
      }
      case 'INFO':
      case 'REFER':
      case 'NOTIFY': {
        const event = req.method.toLowerCase();
        if (this.listenerCount(event) > 0) this.emit(event, req, res);
        else res.send(req.method === 'REFER' ? 603 : 200);
        return;
      }
      case 'OPTIONS':
        res.send(200, { headers: { Allow: 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY' } });
        return;
      default:
        res.send(501);
    }
  }

  /** @internal An ACK for a 2xx arrived (§13.3.1.4). */
  handleAck(req: SipRequest): void {
    const seq = parseCSeq(req.get('cseq'))?.seq;
    const w = this.ackWait;
    if (w && seq === w.seq) {
      this.stopAckWait();
      const answer = sdpOf(req);
      if (answer !== '') this.remote.sdp = answer;
      w.done(true);
      this.emit('ack', req);
    }
  }

  /** @internal A 2xx retransmission arrived after the INVITE transaction ended: re-send our ACK. */
  handleStray2xx(res: SipResponse): void {
    const seq = parseCSeq(res.get('cseq'))?.seq;
    if (this.lastAck && seq === this.lastAck.seq) this.host.core.sendRaw(this.lastAck.bytes, this.lastAck.dest);
  }

  /**
   * @internal Retransmits a 2xx from T1 doubling to T2 until the ACK arrives, giving up after
   * 64·T1 (§13.3.1.4); on a reliable transport only the wait remains.
   */
  waitForAck(res: OutboundResponse, seq: number, bytes: Buffer, done: (ok: boolean) => void): void {
    this.stopAckWait();
    const { wheel, timers } = this.host.core;
    const reliable = this.protocol !== 'udp';
    const w: AckWait = { seq, bytes, res, interval: timers.t1, timer: undefined, deadline: undefined, done };
    const tick = (): void => {
      w.res.retransmit(200, w.bytes);
      w.interval = Math.min(w.interval * 2, timers.t2);
      w.timer = wheel.schedule(w.interval, tick);
    };
    if (!reliable) w.timer = wheel.schedule(w.interval, tick);
    w.deadline = wheel.schedule(64 * timers.t1, () => {
      this.stopAckWait();
      w.done(false);
      this.emit('no-ack');
      void this.destroyAfterNoAck();
    });
    this.ackWait = w;
  }

  private async destroyAfterNoAck(): Promise<void> {
    if (!this.connected) return;
    this.end(DestroyReason.NoAck);
    await this.send({ method: 'BYE' }, true).catch(() => undefined);
  }

  private stopAckWait(): void {
    const w = this.ackWait;
    if (!w) return;
    w.timer?.cancel();
    w.deadline?.cancel();
    this.ackWait = undefined;
  }

  /** An incoming re-INVITE/UPDATE offer: the app answers via 'modify', or we mirror the direction. */
  private offer(req: InboundRequest, res: OutboundResponse): void {
    const body = req.session;
    if (!body.ok) return refuseBody(res, body);
    if (body.sdp !== '') this.remote.sdp = body.sdp;
    if (this.listenerCount('modify') > 0) {
      this.emit('modify', req, res);
      return;
    }
    if (body.sdp === '') return void res.send(200, { body: this.local.sdp });
    try {
      const answer = withDirection(this.local.sdp, answerDirection(directionOf(body.sdp)));
      this.local.sdp = answer;
      res.send(200, { body: answer });
    } catch {
      res.send(488);
    }
  }

  /** Marks the dialog ended and tells listeners once. */
  end(reason: DestroyReason): void {
    if (!this.connected) return;
    this.connected = false;
    this.stopAckWait();
    this.sessionTimer.stop();
    this.host.forget(this);
    this.emit('destroy', { reason });
  }

  /**
   * The session-timer part of an incoming INVITE or UPDATE (every one is a refresh, RFC 4028 §9): refused here
   * (undefined), or what to do once its 2xx is sent. In this transaction the far end is the UAC.
   */
  private answerTimer(req: InboundRequest, res: OutboundResponse): (() => void) | undefined {
    const t = timerRequest(req.msg, this.host.core.sessionTimer);
    if (t.kind === 'too-small') return void res.send(422, { headers: { 'Min-SE': String(t.minSE) } });
    if (t.kind === 'malformed') return void res.send(400, `Bad Request (${t.reason})`);
    if (t.kind === 'none') return () => this.sessionTimer.stop();
    res.extraHeaders = acceptHeaders(t);
    return () => this.sessionTimer.start(t.interval, t.refresher === 'uas');
  }

  /** Our refresh: UPDATE without a body when the far end allows it, else a re-INVITE with our current SDP. */
  private async refreshSession(interval: number): Promise<void> {
    if (!this.connected) return;
    const headers = { 'Session-Expires': `${interval};refresher=uac`, Supported: 'timer' };
    const update = this.remoteAllowsUpdate;
    if (!update && this.reinviting) return this.sessionTimer.retry(1000);
    try {
      if (update) this.refreshed(await this.request({ method: 'UPDATE', headers }));
      else await this.reinvite(this.local.sdp, headers);
    } catch (err) {
      // A 408 or 481 ended the dialog already (§12.2.1.2); otherwise retry while the expiry guard allows.
      if (!this.connected || !(err instanceof SipError)) return;
      if (err.status === 422) {
        const min = Number((err.res as SipResponse | undefined)?.get('min-se') ?? NaN);
        if (Number.isInteger(min) && min > interval) return void this.refreshSession(min);
      }
      // A far end that turns UPDATE down after all gets the re-INVITE at once; anything else, a bit later.
      const noUpdate = update && (err.status === 405 || err.status === 501);
      if (noUpdate) this.remoteAllowsUpdate = false;
      this.sessionTimer.retry(noUpdate ? 0 : 2000);
    }
  }

  /** §10: no refresh before the session expired: BYE. */
  private async expireSession(): Promise<void> {
    if (!this.connected) return;
    this.end(DestroyReason.SessionExpired);
    await this.send({ method: 'BYE' }, true).catch(() => undefined);
  }

  private async send(opts: DialogRequestOptions, evenIfEnded: boolean): Promise<SipResponse> {
    const core = this.host.core;
    const method = opts.method.toUpperCase();
    const seq = ++this.localSeq;
    const req = buildInDialog(this.fields, method, seq, core.viaFor(this.protocol));
    for (const [k, v] of Object.entries(opts.headers ?? {})) req.set(k, v);
    if (opts.body !== undefined) req.body = Buffer.from(opts.body, 'utf8');
    const dest = this.viaFlow(await this.host.resolve(nextHop(req), this.protocol));
    const res = await new Promise<SipResponse>((resolve, reject) => {
      core.sendRequest(req, dest, {
        onResponse: (r, status) => {
          if (status < 200) return;
          if (method === 'INVITE' && status < 300) this.ack2xx(r, seq, dest);
          if (status < 300) resolve(r);
          else reject(new SipError(status, r.reason, r));
        },
        onFailure: (kind) => reject(kind === 'timeout' ? new SipError(408, 'Request Timeout') : new SipError(503, 'Service Unavailable')),
      });
    }).catch((err: unknown) => {
      if (err instanceof SipError && (err.status === 408 || err.status === 481) && !evenIfEnded) this.end(DestroyReason.Gone);
      throw err;
    });
    return res;
  }

  /**
   * A caller that connected to us over TCP/TLS may not listen at its Contact (clients behind NAT rarely do), so
   * requests to the host it connected from go back over its connection while that is open (RFC 5923's reuse,
   * as proxies and B2BUAs practise it). Another host gets its own connection.
   */
  private viaFlow(dest: Endpoint): Endpoint & { conn?: Source['conn'] } {
    const f = this.flow;
    if (!f || f.destroyed || dest.protocol === 'udp') return dest;
    const remote = f.remoteAddress?.replace(/^::ffff:/, '');
    return remote === dest.address ? { ...dest, conn: f } : dest;
  }

  private ack2xx(res: SipResponse, seq: number, dest: Endpoint): void {
    const contact = res.get('contact');
    if (contact) this.fields.remoteTarget = uriOf(contact);
    this.sendInitialAck(seq, dest);
  }

  /** @internal The ACK for the 2xx of the INVITE with CSeq `seq`: an in-dialog request (§13.2.2.4). */
  buildAck(seq: number): SipRequest {
    return buildInDialog(this.fields, 'ACK', seq, this.host.core.viaFor(this.protocol));
  }

  /** @internal Sends the ACK and remembers it for 2xx retransmissions. */
  sendInitialAck(seq: number, dest: Endpoint): void {
    const bytes = this.buildAck(seq).toBuffer();
    this.lastAck = { seq, bytes, dest };
    this.host.core.sendRaw(bytes, dest);
  }
}

/** Key of the dialog table: Call-ID + local tag + remote tag (§12). */
export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\u0000${localTag}\u0000${remoteTag}`;
}
