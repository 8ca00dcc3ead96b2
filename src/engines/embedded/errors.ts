/** The one error type of the embedded engine adapter (CallControl / Media over SIP + RTP); callers switch on `code`. */

/** Why an engine operation failed. */
export const EngineErrorCode = {
  callEnded: 'call-ended',
  notAnswered: 'not-answered',
  foreignLeg: 'foreign-leg',
  answerFailed: 'answer-failed',
  transferFailed: 'transfer-failed',
  mediaError: 'media-error',
  aborted: 'aborted',
  badConfig: 'bad-config',
} as const;
/** One engine error code. */
export type EngineErrorCode = (typeof EngineErrorCode)[keyof typeof EngineErrorCode];

/** A failure of the embedded engine, with the SIP status when one applies. */
export class EmbeddedEngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EmbeddedEngineError';
  }
}

/** The error for an operation on a leg that has ended. */
export function callEnded(id: string): EmbeddedEngineError {
  return new EmbeddedEngineError(EngineErrorCode.callEnded, `call ${id} has ended`);
}

/** `e` as an Error (promises reject with Errors only); non-Errors are wrapped, keeping the value as `cause`. */
export function toError(e: unknown): Error {
  return e instanceof Error
    ? e
    : new EmbeddedEngineError(EngineErrorCode.aborted, String(e), undefined, { cause: e });
}

/** The abort reason of `signal` as an Error (an AbortSignal's default reason already is one). */
export function abortError(signal: AbortSignal | undefined): Error {
  return toError(signal?.reason ?? 'aborted');
}
