/** Errors of SDP negotiation; every one maps to SIP 488 Not Acceptable Here (RFC 3261 §21.4.26). */

/** Why an SDP could not be used. */
export const SdpErrorCode = {
  Parse: 'SDP_PARSE',
  NoAudio: 'SDP_NO_AUDIO',
  NoCommonCodec: 'SDP_NO_COMMON_CODEC',
  Rejected: 'SDP_REJECTED',
  NoAddress: 'SDP_NO_ADDRESS',
} as const;
/** One reason. */
export type SdpErrorCode = (typeof SdpErrorCode)[keyof typeof SdpErrorCode];

/** Thrown by answer / PendingOffer.complete; `sipStatus` is what the caller should reply. */
export class SdpError extends Error {
  readonly sipStatus = 488 as const;
  constructor(
    readonly code: SdpErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SdpError';
  }
}
