/** Typed parse errors of the SIP message layer: callers switch on `code`, never on the message text. */

/** Machine-readable reasons a message or header failed to parse. */
export const SipParseErrorCode = {
  Empty: 'empty',
  BadStartLine: 'bad-start-line',
  BadVersion: 'bad-version',
  BadStatus: 'bad-status',
  MissingHeader: 'missing-header',
  BadHeader: 'bad-header',
  CSeqMismatch: 'cseq-mismatch',
  TooLarge: 'too-large',
  TooManyHeaders: 'too-many-headers',
  BadContentLength: 'bad-content-length',
  Truncated: 'truncated',
  UnsupportedUriScheme: 'unsupported-uri-scheme',
} as const;
/** One of the SipParseErrorCode values. */
export type SipParseErrorCode = (typeof SipParseErrorCode)[keyof typeof SipParseErrorCode];

/** A malformed message or header; `header` names the offending header (canonical name) when there is one. */
export class SipParseError extends Error {
  constructor(
    readonly code: SipParseErrorCode,
    message: string,
    readonly header?: string,
  ) {
    super(message);
    this.name = 'SipParseError';
  }

  /** The status a UAS should answer with (RFC 3261 §8.2.2, §21.4.*): 505, 513, 416 or 400. */
  get status(): number {
    switch (this.code) {
      case 'bad-version':
        return 505;
      case 'too-large':
        return 513;
      case 'unsupported-uri-scheme':
        return 416;
      case 'bad-content-length':
      case 'bad-header':
      case 'bad-start-line':
      case 'bad-status':
      case 'cseq-mismatch':
      case 'empty':
      case 'missing-header':
      case 'too-many-headers':
      case 'truncated':
      default:
        return 400;
    }
  }
}

/** Shorthand used by the header parsers. */
export function badHeader(header: string, why: string): SipParseError {
  return new SipParseError('bad-header', `${header}: ${why}`, header);
}
