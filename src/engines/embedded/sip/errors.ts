/** Errors raised by the embedded SIP engine; callers switch on `code` or `status`, never on messages. */

/** Machine-readable codes for failures that are not a SIP final response. */
export const SipStackErrorCode = {
  Timeout: 'SIP_TIMEOUT',
  TransportError: 'SIP_TRANSPORT_ERROR',
  Aborted: 'SIP_ABORTED',
  Closed: 'SIP_STACK_CLOSED',
  DialogGone: 'SIP_DIALOG_GONE',
  InvalidState: 'SIP_INVALID_STATE',
  BadTarget: 'SIP_BAD_TARGET',
  AuthFailed: 'SIP_AUTH_FAILED',
} as const;
/** One of the engine's error codes. */
export type SipStackErrorCode = (typeof SipStackErrorCode)[keyof typeof SipStackErrorCode];

/** A request ended with a SIP final response (or a synthetic one: 408 on timeout, 487 on cancel). */
export class SipError extends Error {
  readonly code = 'SIP_ERROR_RESPONSE' as const;
  constructor(
    readonly status: number,
    readonly reason: string,
    /** The response that ended the request, when one arrived. */
    readonly res?: unknown,
    /** Why no response could arrive (RFC 3261 §8.1.3.1 reports a transport error as a 503), e.g. a refused TLS certificate. */
    cause?: Error,
  ) {
    super(cause === undefined ? `${status} ${reason}` : `${status} ${reason}: ${cause.message}`, cause === undefined ? undefined : { cause });
    this.name = 'SipError';
  }
}

/** A local failure: timeout, transport, abort, closed stack, bad state. */
export class SipStackError extends Error {
  constructor(
    readonly code: SipStackErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SipStackError';
  }
}
