/** The one error type of the embedded engine adapter (CallControl / Media over SIP + RTP); callers switch on `code`. */

/** Why an engine operation failed. */
export const EngineErrorCode = {
  callEnded: 'call-ended',
  notAnswered: 'not-answered',
  foreignLeg: 'foreign-leg',
  answerFailed: 'answer-failed',
  transferFailed: 'transfer-failed',
  mediaError: 'media-error',
  closed: 'closed',
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
