/**
 * Media for an inbound call: answer the INVITE's SDP offer with the media engine (RFC 3264 §6), or make an
 * offer for the 200 when the INVITE had none (late offer, RFC 3261 §13.2.1; the ACK carries the answer).
 */
import { abortError, EmbeddedEngineError, EngineErrorCode, toError } from './errors.js';
import { SdpError } from './media/sdp/sdp-error.js';
import type { MediaEngine, NegotiateOptions, PendingOffer, RtpLeg } from './media/types.js';

/** The negotiated RTP leg and our SDP; `pending` when our SDP is an offer awaiting the ACK's answer. */
export interface UasMedia {
  rtp: RtpLeg;
  sdp: string;
  pending?: PendingOffer;
}

/** Negotiate; failures carry the status to reject with: 488 for unusable SDP (§21.4.26), 503 for no free port. */
export async function negotiateUas(
  media: MediaEngine,
  opts: NegotiateOptions,
  offer: string,
  callId: string,
): Promise<UasMedia> {
  try {
    if (offer.trim() !== '') {
      const { leg, sdp } = await media.answer(offer, opts);
      return { rtp: leg, sdp };
    }
    const pending = await media.offer(opts);
    return { rtp: pending.leg, sdp: pending.sdp, pending };
  } catch (err) {
    const status = err instanceof SdpError ? 488 : 503;
    const why = err instanceof Error ? err.message : String(err);
    throw new EmbeddedEngineError(
      EngineErrorCode.answerFailed,
      `cannot answer call ${callId}: ${why}`,
      status,
      { cause: err },
    );
  }
}

/** `p`, or the abort reason if `signal` aborts first (the work itself goes on). */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(toError(e));
      },
    );
  });
}

/** Sleep `ms`, rejecting with the abort reason. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(abortError(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
