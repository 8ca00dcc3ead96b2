/**
 * SIP message layer of the embedded RFC 3261 stack: parse, inspect, build and serialise messages.
 *
 * Stable API for the transport / transaction / dialog layers:
 * - parseMessage(buf) → { ok, message } | { ok: false, error, partialRequest? }; never throws.
 *   Errors carry `code` ('bad-start-line' | 'bad-version' | 'bad-status' | 'missing-header' | 'bad-header' |
 *   'cseq-mismatch' | 'too-large' | 'too-many-headers' | 'bad-content-length' | 'truncated' | 'empty' |
 *   'unsupported-uri-scheme'), `header` and a suggested `status` (400/505/513/416) for requests.
 * - frameStream(buf) for TCP/TLS framing (§18.3); on `error` close the connection.
 * - SipRequest / SipResponse: ordered `headers` with canonical names (compact forms expanded, list headers
 *   split per §7.3.1), `body` Buffer; get/getAll/has/set/add/prepend/remove; getParsedHeader(name) parses
 *   lazily and caches (throws SipParseError only for malformed values); getters callId, cseq, from, to,
 *   fromTag, toTag, vias, contentType; toBuffer() writes Content-Length from the body bytes.
 * - URIs: parseUri / formatUri (sip, sips, tel; host keeps IPv6 brackets; tel number lives in `user`).
 * - createResponse (§8.2.6), defaultReason, newBranch / newTag / newCallId.
 * - Digest: computeDigestResponse, buildAuthorization (prefers SHA-256), parseDigestCredentials,
 *   verifyAuthorization (timing-safe), formatChallenge.
 * - Formatting helpers for building headers: formatNameAddr, formatVia, formatParams, formatCSeq, quote.
 */
export { SipParseError, SipParseErrorCode } from './errors.js';
export { canonicalName, COMPACT_FORMS, isListHeader, isToken, splitList } from './header-names.js';
export {
  parseAuth,
  parseCSeq,
  parseGenericParams,
  parseNameAddrLoose,
  parseVia,
  type AuthChallenge,
  type CSeq,
  type LooseNameAddr,
  type NameAddr,
  type Via,
} from './header-parsers.js';
export { formatCSeq, formatNameAddr, formatParams, formatVia, quote } from './header-format.js';
export { SipMessage, SipRequest, SipResponse, type ParsedHeaderMap, type ParsedHeaderName, type SipMethod } from './message.js';
export { DEFAULT_PARSE_LIMITS, parseMessage, type ParseLimits, type ParseResult } from './parser.js';
export { frameStream, type FrameResult } from './frame.js';
export { serializeMessage } from './serializer.js';
export { createResponse, defaultReason, type CreateResponseOptions } from './response.js';
export { BRANCH_COOKIE, newBranch, newCallId, newTag } from './ids.js';
export { formatUri, parseUri, unescapeUri, type SipUri } from './uri.js';
export {
  buildAuthorization,
  chooseChallenge,
  computeDigestResponse,
  DigestAlgorithm,
  formatChallenge,
  parseDigestCredentials,
  verifyAuthorization,
  type AuthorizationOptions,
  type ChallengeOptions,
  type DigestCredentials,
  type DigestInput,
  type VerifyOptions,
} from './digest.js';
