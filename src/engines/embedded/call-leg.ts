/**
 * A CallLeg over one SIP dialog and one RTP leg. Inbound legs start ringing on an INVITE and are answered with
 * the media engine's SDP answer (RFC 3264 §6); media used while ringing opens early media with a 183 carrying
 * the same SDP (RFC 3960 §3). Outbound legs exist once a dial was answered. The leg owns its media Endpoint,
 * which the Media port drives.
 */
import type { CallInfo, CallLeg, EndCause } from '../../ports/call-control.js';
import type { DigitEvent } from '../../ports/media.js';
import { Endpoint } from './media/endpoint/endpoint.js';
import type { MediaResources } from './media/endpoint/resources.js';
import type { MediaEngine, NegotiateOptions, RtpLeg } from './media/types.js';
import { callEnded, EmbeddedEngineError, EngineErrorCode, toError } from './errors.js';
import { handleInfoDtmf } from './info-dtmf.js';
import { handleReinvites } from './reinvite.js';
import type { Dialog, InboundRequest, OutboundResponse, SipStack } from './sip/index.js';
import { referTransfer, type TransferProgress } from './transfer.js';
import { abortable, delay, negotiateUas, type UasMedia } from './uas-media.js';

/** What a leg needs from its engine. */
export interface LegContext {
  stack: SipStack;
  media: MediaEngine;
  resources: MediaResources;
  negotiate: NegotiateOptions;
  /** Called once when the leg ends (the engine forgets it). */
  onEnd(leg: SipCallLeg): void;
}

type LegState = 'ringing' | 'answered' | 'ended';
type Ended = { cause: EndCause; status?: number };

/** A pause inside a DTMF string, as dialers write it. */
const DTMF_PAUSE_MS = 500;

/** A SIP + RTP call leg. */
export class SipCallLeg implements CallLeg {
  readonly ended: Promise<Ended>;
  private current: LegState;
  private resolveEnded!: (e: Ended) => void;
  private dialogRef: Dialog | null = null;
  private rtp: RtpLeg | null = null;
  private ep: Endpoint | null = null;
  private answering: Promise<void> | null = null;
  private media$: Promise<UasMedia> | null = null;
  private readonly observers = new Set<{ fn: (e: DigitEvent) => void; off: (() => void) | null }>();
  private readonly endWatchers = new Set<() => void>();
  private readonly transfer$: TransferProgress = { accepted: false };

  private constructor(
    readonly info: CallInfo,
    private readonly ctx: LegContext,
    private readonly uas: { req: InboundRequest; res: OutboundResponse } | null,
  ) {
    this.current = 'ringing';
    this.ended = new Promise((r) => (this.resolveEnded = r));
  }

  /** A ringing inbound leg for an INVITE; a CANCEL ends it with `canceled`. */
  static inbound(info: CallInfo, ctx: LegContext, req: InboundRequest, res: OutboundResponse): SipCallLeg {
    const leg = new SipCallLeg(info, ctx, { req, res });
    req.on('cancel', () => leg.finish('canceled', 487));
    return leg;
  }

  /** An answered outbound leg over a confirmed dialog. */
  static outbound(info: CallInfo, ctx: LegContext, dialog: Dialog, rtp: RtpLeg): SipCallLeg {
    const leg = new SipCallLeg(info, ctx, null);
    leg.attach(dialog, rtp);
    return leg;
  }

  get state(): LegState {
    return this.current;
  }

  /** The media endpoint, once answered (or early media started) and until ended. */
  get endpoint(): Endpoint | null {
    return this.current === 'ended' ? null : this.ep;
  }

  /** The endpoint of a ringing inbound leg: negotiates and sends 183 with our SDP (once). */
  async earlyMedia(): Promise<Endpoint> {
    if (this.current === 'ended') throw callEnded(this.info.id);
    if (this.ep) return this.ep;
    // Without an offer in the INVITE, our SDP could only go in a reliable 183 (RFC 3262), which we do not do.
    if (!this.uas || this.uas.req.sdp.trim() === '') throw notAnswered(this.info.id);
    const m = await this.negotiated();
    if (!this.ep) {
      this.uas.res.send(183, { headers: { 'Content-Type': 'application/sdp' }, body: m.sdp });
      this.useMedia(m.rtp);
    }
    const ep = this.endpoint;
    if (!ep) throw callEnded(this.info.id);
    return ep;
  }

  /** The RTP leg, once media is negotiated. */
  get rtpLeg(): RtpLeg | null {
    return this.rtp;
  }

  /** The SIP dialog, once answered. */
  get dialog(): Dialog | null {
    return this.dialogRef;
  }

  /** Run `fn` once when the leg ends (at once if it has); returns unsubscribe. */
  onEnd(fn: () => void): () => void {
    if (this.current === 'ended') {
      fn();
      return () => undefined;
    }
    this.endWatchers.add(fn);
    return () => this.endWatchers.delete(fn);
  }

  /** Observe every digit, before or after answer; returns unsubscribe. */
  observeDigits(fn: (e: DigitEvent) => void): () => void {
    const entry = { fn, off: this.ep ? this.ep.onDigit(fn) : null };
    this.observers.add(entry);
    return () => {
      entry.off?.();
      this.observers.delete(entry);
    };
  }

  async answer(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    if (this.current === 'ended') throw callEnded(this.info.id);
    if (this.current === 'answered') return;
    if (!this.answering) {
      this.answering = this.doAnswer();
      // A caller that stopped waiting (aborted signal) must not leave a rejection unhandled.
      this.answering.catch(() => undefined);
    }
    await (signal ? abortable(this.answering, signal) : this.answering);
  }

  async hangup(opts: { status?: number; reason?: string; cause?: EndCause } = {}): Promise<void> {
    if (this.current === 'ended') return;
    const cause = opts.cause ?? 'local-hangup';
    if (this.current === 'ringing') {
      const status = opts.status ?? 480;
      this.uas?.res.send(status, opts.reason);
      this.finish(cause, status);
      return;
    }
    const d = this.dialogRef;
    this.finish(cause);
    // RFC 3326: the Reason header says why we hung up.
    const headers = opts.reason
      ? { Reason: `SIP;cause=200;text="${opts.reason.replace(/"/g, "'")}"` }
      : undefined;
    await d?.destroy(headers ? { headers } : {}).catch(() => undefined);
  }

  async sendDtmf(
    digits: string,
    opts: { durationMs: number; gapMs: number },
    signal?: AbortSignal,
  ): Promise<void> {
    for (const chunk of digits.split(/([wW])/)) {
      if (signal?.aborted) throw signal.reason;
      const rtp = this.liveRtp();
      if (chunk === '') continue;
      if (chunk === 'w' || chunk === 'W') await this.whileUp(delay(DTMF_PAUSE_MS, signal));
      else
        await this.whileUp(
          rtp.sendDtmf(chunk, {
            durationMs: opts.durationMs,
            gapMs: opts.gapMs,
            ...(signal ? { signal } : {}),
          }),
        );
    }
  }

  async transfer(
    to: string,
    opts: { timeoutMs: number },
    signal?: AbortSignal,
  ): Promise<'transferred' | 'failed'> {
    const d = this.dialogRef;
    if (this.current !== 'answered' || !d)
      throw this.current === 'ended' ? callEnded(this.info.id) : notAnswered(this.info.id);
    const result = await referTransfer(d, to, opts.timeoutMs, this.transfer$, signal);
    // RFC 5589 §6.1: the transferor ends its dialog once the transfer succeeded.
    if (result === 'transferred') await this.hangup({ cause: 'transferred' });
    else this.transfer$.accepted = false;
    return result;
  }

  /** Wait for `p`, failing with call-ended if the leg ends first. */
  whileUp<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const off = this.onEnd(() => reject(callEnded(this.info.id)));
      p.then(
        (v) => {
          off();
          resolve(v);
        },
        (e: unknown) => {
          off();
          reject(toError(e));
        },
      );
    });
  }

  private liveRtp(): RtpLeg {
    if (this.current === 'ended') throw callEnded(this.info.id);
    if (!this.rtp) throw notAnswered(this.info.id);
    return this.rtp;
  }

  /** The inbound media negotiation, run once; a failure rejects the call with its status. */
  private negotiated(): Promise<UasMedia> {
    const uas = this.uas;
    if (!uas) return Promise.reject(notAnswered(this.info.id));
    this.media$ ??= negotiateUas(this.ctx.media, this.ctx.negotiate, uas.req.sdp, this.info.id).then(
      (m) => {
        if (this.current !== 'ended') return m;
        m.rtp.close();
        throw callEnded(this.info.id);
      },
      (err: unknown) => {
        const status = err instanceof EmbeddedEngineError ? (err.status ?? 503) : 503;
        if (this.current !== 'ended') {
          uas.res.send(status);
          this.finish('error', status);
        }
        throw err;
      },
    );
    return this.media$;
  }

  private async doAnswer(): Promise<void> {
    const uas = this.uas;
    if (!uas) throw notAnswered(this.info.id);
    const m = await this.negotiated();
    if (this.current === 'ended') throw callEnded(this.info.id);
    let attached = false;
    const confirmed = this.ctx.stack.createUAS(uas.req, uas.res, {
      localSdp: m.sdp,
      onDialog: (d) => {
        attached = true;
        this.attach(d, m.rtp);
        const pending = m.pending;
        if (pending) {
          d.once('ack', () => {
            try {
              pending.complete(d.remote.sdp);
            } catch {
              void this.hangup({ cause: 'error', reason: 'no acceptable media in ACK' });
            }
          });
        }
      },
    });
    // A missing ACK tears the dialog down ('destroy' with no-ack), which ends the leg.
    confirmed.catch(() => undefined);
    if (!attached) {
      if (this.rtp !== m.rtp) m.rtp.close();
      this.finish('canceled', 487);
      throw callEnded(this.info.id);
    }
  }

  /** Take `rtp` as this leg's media: the endpoint, digit observers and the media timeout. */
  private useMedia(rtp: RtpLeg): void {
    if (this.rtp === rtp && this.ep) return;
    this.rtp = rtp;
    const ep = new Endpoint(rtp, this.ctx.resources);
    this.ep = ep;
    for (const o of this.observers) o.off ??= ep.onDigit(o.fn);
    rtp.on('media-timeout', () => void this.hangup({ cause: 'media-timeout', reason: 'media timeout' }));
  }

  private attach(dialog: Dialog, rtp: RtpLeg): void {
    this.dialogRef = dialog;
    this.info.sipCallId ??= dialog.sip.callId;
    this.useMedia(rtp);
    this.current = 'answered';
    dialog.on('destroy', (e: { reason: string }) => {
      if (e.reason === 'local') return;
      if (e.reason === 'remote') this.finish(this.transfer$.accepted ? 'transferred' : 'remote-hangup');
      else if (e.reason === 'session-expired') this.finish('session-expired');
      else this.finish('error');
    });
    handleReinvites(dialog, rtp);
    handleInfoDtmf(dialog, rtp);
  }

  /** Mark the leg ended (once): release media, tell the engine and the waiters. */
  finish(cause: EndCause, status?: number): void {
    if (this.current === 'ended') return;
    this.current = 'ended';
    for (const o of this.observers) o.off?.();
    this.observers.clear();
    if (this.ep) this.ep.destroy();
    else this.rtp?.close();
    this.ctx.onEnd(this);
    this.resolveEnded(status === undefined ? { cause } : { cause, status });
    for (const fn of [...this.endWatchers]) fn();
    this.endWatchers.clear();
  }
}

function notAnswered(id: string): EmbeddedEngineError {
  return new EmbeddedEngineError(EngineErrorCode.notAnswered, `call ${id} is not answered`);
}
