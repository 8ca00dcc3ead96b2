/**
 * CallControl over the embedded SIP stack: dial places an INVITE with the media engine's SDP offer (RFC 3264
 * §5) and maps the final status to a dial outcome; the ring timeout and an aborted signal CANCEL it (§9.1).
 * bridge relays audio and DTMF between two answered legs' endpoints.
 */
import {
  dialOutcomeOf,
  type CallControl,
  type CallLeg,
  type DialRequest,
  type DialResult,
  type EndCause,
} from '../../ports/call-control.js';
import { outboundCallInfo } from './call-info.js';
import { SipCallLeg, type LegContext } from './call-leg.js';
import { EmbeddedEngineError, EngineErrorCode } from './errors.js';
import { routeDial, type EngineTrunk } from './route.js';
import { SipError, SipStackError, SipStackErrorCode, type Dialog } from './sip/index.js';
import type { PendingOffer } from './media/types.js';

/** What the CallControl needs from the engine. */
export interface CallControlContext {
  leg: LegContext;
  trunks: Record<string, EngineTrunk>;
  /** The From URI of dials that give none (default: the stack's own). */
  defaultFrom?: string;
  /** Live legs by CallInfo.id. */
  legs: Map<string, SipCallLeg>;
}

/** Our leg, or an error naming the foreign one. */
export function ownLeg(leg: CallLeg): SipCallLeg {
  if (leg instanceof SipCallLeg) return leg;
  throw new EmbeddedEngineError(
    EngineErrorCode.foreignLeg,
    `leg ${leg.info.id} does not belong to the embedded engine`,
  );
}

/** A `from` (number, user or URI) as a From URI. */
function fromUri(
  from: string | undefined,
  fallback: string | undefined,
  localHost: string,
): string | undefined {
  if (from === undefined) return fallback;
  return /^(sips?|tel):/i.test(from) ? from : `sip:${from}@${localHost}`;
}

/** Place one outbound leg. */
async function dial(ctx: CallControlContext, req: DialRequest, signal?: AbortSignal): Promise<DialResult> {
  if (signal?.aborted) throw signal.reason;
  const route = routeDial(req.to, req.via, ctx.trunks);
  if (typeof route === 'string') return { outcome: 'invalid', reason: route };
  const { stack, media, negotiate } = ctx.leg;
  let offer: PendingOffer;
  try {
    offer = await media.offer(negotiate);
  } catch (err) {
    return { outcome: 'failed', reason: `no media: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (signal?.aborted) {
    offer.leg.close();
    throw signal.reason;
  }
  const local = stack.core.transports.local('udp') ?? stack.core.transports.local('tcp');
  const from = fromUri(req.from, ctx.defaultFrom, local?.host ?? '127.0.0.1');
  const cancel = new AbortController();
  let outcome: 'timeout' | 'aborted' | null = null;
  const stop = (why: 'timeout' | 'aborted'): void => {
    outcome ??= why;
    cancel.abort();
  };
  const timer = setTimeout(() => stop('timeout'), req.timeoutMs);
  const onAbort = (): void => stop('aborted');
  signal?.addEventListener('abort', onAbort, { once: true });
  const attempt = stack.createUAC(route.uri, {
    localSdp: offer.sdp,
    signal: cancel.signal,
    headers: req.headers ?? {},
    ...(from ? { from } : {}),
    ...(route.proxy ? { proxy: route.proxy } : {}),
    ...(route.auth ? { auth: route.auth } : {}),
    onProvisional: (res) => {
      if (res.status >= 180 && res.status < 190 && outcome === null) req.onRinging?.();
    },
  });
  // The ring timeout and the abort settle the dial at once; the CANCEL transaction finishes on its own.
  const stopped = new Promise<'stopped'>((resolve) =>
    cancel.signal.addEventListener('abort', () => resolve('stopped'), { once: true }),
  );
  const first = await Promise.race([
    attempt.then(
      (d) => ({ d }),
      (err: unknown) => ({ err }),
    ),
    stopped,
  ]);
  clearTimeout(timer);
  signal?.removeEventListener('abort', onAbort);
  if (first === 'stopped' || outcome !== null) {
    void attempt
      .then(
        (d) => void d.destroy(),
        () => undefined,
      )
      .finally(() => offer.leg.close());
    if (outcome === 'aborted')
      throw signal?.reason ?? new EmbeddedEngineError(EngineErrorCode.callEnded, 'dial aborted');
    return { outcome: 'no-answer', reason: 'ring timeout' };
  }
  if ('err' in first) {
    offer.leg.close();
    return failedDial(first.err);
  }
  return answered(ctx, req, first.d, offer, from);
}

function answered(
  ctx: CallControlContext,
  req: DialRequest,
  d: Dialog,
  offer: PendingOffer,
  from: string | undefined,
): DialResult {
  try {
    offer.complete(d.remote.sdp);
  } catch {
    // The answer named nothing we offered (RFC 3264 §6): there is no call to keep.
    offer.leg.close();
    void d.destroy({ headers: { Reason: 'SIP;cause=488;text="Not Acceptable Here"' } });
    return { outcome: 'failed', status: 488, reason: 'no acceptable media in answer' };
  }
  const info = outboundCallInfo(d.remote.uri || req.to, from ?? d.local.uri, d.sip.callId, req.headers ?? {});
  const leg = SipCallLeg.outbound(info, ctx.leg, d, offer.leg);
  ctx.legs.set(info.id, leg);
  return { outcome: 'answered', leg };
}

function failedDial(err: unknown): DialResult {
  if (err instanceof SipError)
    return { outcome: dialOutcomeOf(err.status), status: err.status, reason: err.reason };
  if (err instanceof SipStackError && err.code === SipStackErrorCode.BadTarget)
    return { outcome: 'invalid', reason: err.message };
  return { outcome: 'failed', reason: err instanceof Error ? err.message : String(err) };
}

/** Relay two answered legs until one ends or the signal aborts. */
async function bridge(
  a: CallLeg,
  b: CallLeg,
  signal?: AbortSignal,
): Promise<{ endedBy: 'a' | 'b' | 'aborted' }> {
  const la = ownLeg(a);
  const lb = ownLeg(b);
  if (la.state === 'ended') return { endedBy: 'a' };
  if (lb.state === 'ended') return { endedBy: 'b' };
  if (signal?.aborted) return { endedBy: 'aborted' };
  // A ringing inbound leg is bridged on early media (the caller hears the other side before answer).
  const ea = la.endpoint ?? (la.state === 'ringing' ? await la.earlyMedia() : null);
  const eb = lb.endpoint ?? (lb.state === 'ringing' ? await lb.earlyMedia() : null);
  if (!ea || !eb)
    throw new EmbeddedEngineError(EngineErrorCode.notAnswered, 'both legs need media to be bridged');
  ea.bridge(eb);
  const endedBy = await new Promise<'a' | 'b' | 'aborted'>((resolve) => {
    const offs: (() => void)[] = [];
    const done = (r: 'a' | 'b' | 'aborted'): void => {
      for (const off of offs) off();
      resolve(r);
    };
    offs.push(
      la.onEnd(() => done('a')),
      lb.onEnd(() => done('b')),
    );
    if (signal) {
      const onAbort = (): void => done('aborted');
      signal.addEventListener('abort', onAbort, { once: true });
      offs.push(() => signal.removeEventListener('abort', onAbort));
    }
  });
  if (ea.bridgedTo === eb) ea.unbridge();
  return { endedBy };
}

/** Create the CallControl port. */
export function createSipCallControl(ctx: CallControlContext): CallControl {
  return {
    dial: (req, signal) => dial(ctx, req, signal),
    bridge,
    async endCall(callId: string, cause?: EndCause): Promise<boolean> {
      const leg = ctx.legs.get(callId);
      if (!leg) return false;
      await leg.hangup({ cause: cause ?? 'local-hangup' });
      return true;
    },
  };
}
