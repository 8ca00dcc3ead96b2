/**
 * CallControl: signalling operations on calls, independent of the engine (embedded SIP, drachtio, simulated).
 * Media operations on a call live in the Media port; both take the same `CallLeg`.
 */

/** Why a call ended, as the runtime reports it. */
export const EndCause = {
  localHangup: 'local-hangup',
  remoteHangup: 'remote-hangup',
  canceled: 'canceled',
  mediaTimeout: 'media-timeout',
  /** The far end stopped refreshing the SIP session (RFC 4028 session timer). */
  sessionExpired: 'session-expired',
  maxDuration: 'max-duration',
  transferred: 'transferred',
  error: 'error',
  shutdown: 'shutdown',
} as const;
export type EndCause = (typeof EndCause)[keyof typeof EndCause];

/** Facts about a call that flows read as `call.*`. */
export interface CallInfo {
  id: string;
  direction: 'inbound' | 'outbound';
  /** Caller number or user part. */
  from: string;
  /** Called number or user part: of the Request-URI for inbound calls (not the To header, which a carrier that retargets keeps). */
  to: string;
  fromUri: string;
  toUri: string;
  /** Domain of the Request-URI (inbound) or target (outbound). */
  domain: string;
  /** SIP headers of the initial INVITE (names lower-case). */
  headers: Record<string, string>;
  /** Source IP:port of the INVITE, for inbound calls. */
  source?: string;
  /** Trunk name the ingress matched the source to, if any. */
  trunk?: string;
  /** The SIP Call-ID. */
  sipCallId?: string;
}

/** A call leg the session owns. */
export interface CallLeg {
  readonly info: CallInfo;
  readonly state: 'ringing' | 'answered' | 'ended';
  /** Answer an inbound call; resolves when answered (ACK needn't have arrived). Idempotent. */
  answer(signal?: AbortSignal): Promise<void>;
  /** Hang up: BYE when answered, a final response (default 480) when ringing. Idempotent. */
  hangup(opts?: { status?: number; reason?: string; cause?: EndCause }): Promise<void>;
  /** Resolves once the call has ended, with why. */
  readonly ended: Promise<{ cause: EndCause; status?: number }>;
  /** Send DTMF digits (RFC 4733, in-band fallback). */
  sendDtmf(digits: string, opts: { durationMs: number; gapMs: number }, signal?: AbortSignal): Promise<void>;
  /** Blind transfer with REFER; resolves with the result the NOTIFYs reported. */
  transfer(to: string, opts: { timeoutMs: number }, signal?: AbortSignal): Promise<'transferred' | 'failed'>;
}

/** A request to place an outbound leg. */
export interface DialRequest {
  /** Number or SIP URI. */
  to: string;
  from?: string;
  /** Trunk URI or host to route through; absent: the engine's default route. */
  via?: string;
  headers?: Record<string, string>;
  /** How long to ring before giving up with `no-answer`. */
  timeoutMs: number;
  /** For a leg that will be bridged to this call, its SDP/media is prepared accordingly. */
  bridgeTo?: CallLeg;
  /** Called on 18x, e.g. so the caller hears ringback. */
  onRinging?: () => void;
}

/** How a dial attempt ended. */
export type DialResult =
  | { outcome: 'answered'; leg: CallLeg }
  | { outcome: 'busy' | 'no-answer' | 'declined' | 'invalid' | 'failed'; status?: number; reason?: string };

/** Signalling operations that are not tied to one existing leg. */
export interface CallControl {
  /** Place one outbound leg. Aborting the signal cancels it (CANCEL). */
  dial(req: DialRequest, signal?: AbortSignal): Promise<DialResult>;
  /** Connect the audio of two answered legs until one of them ends or the signal aborts (then unbridge). */
  bridge(a: CallLeg, b: CallLeg, signal?: AbortSignal): Promise<{ endedBy: 'a' | 'b' | 'aborted' }>;
  /** End any call this deployment knows by id (a cluster-wide registry may route it to another node). */
  endCall(callId: string, cause?: EndCause): Promise<boolean>;
}

/** Map a SIP final status to a dial outcome (RFC 3261 §21). */
export function dialOutcomeOf(status: number): 'busy' | 'no-answer' | 'declined' | 'invalid' | 'failed' {
  if (status === 486 || status === 600) return 'busy';
  if (status === 408 || status === 480 || status === 487) return 'no-answer';
  if (status === 603 || status === 403) return 'declined';
  if (status === 404 || status === 484 || status === 604 || status === 416) return 'invalid';
  return 'failed';
}
