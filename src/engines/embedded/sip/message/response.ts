/** Building responses from requests (RFC 3261 §8.2.6) and the standard reason phrases (§21). */
import { SipRequest, SipResponse } from './message.js';
import { newTag } from './ids.js';

const REASONS: Readonly<Record<number, string>> = {
  100: 'Trying', 180: 'Ringing', 181: 'Call Is Being Forwarded', 182: 'Queued', 183: 'Session Progress',
  199: 'Early Dialog Terminated', 200: 'OK', 202: 'Accepted', 204: 'No Notification',
  300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Moved Temporarily', 305: 'Use Proxy',
  380: 'Alternative Service', 400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required',
  403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable',
  407: 'Proxy Authentication Required', 408: 'Request Timeout', 410: 'Gone', 412: 'Conditional Request Failed',
  413: 'Request Entity Too Large', 414: 'Request-URI Too Long', 415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme', 417: 'Unknown Resource-Priority', 420: 'Bad Extension',
  421: 'Extension Required', 422: 'Session Interval Too Small', 423: 'Interval Too Brief',
  428: 'Use Identity Header', 429: 'Provide Referrer Identity', 433: 'Anonymity Disallowed',
  439: 'First Hop Lacks Outbound Support', 440: 'Max-Breadth Exceeded', 469: 'Bad Info Package',
  470: 'Consent Needed', 480: 'Temporarily Unavailable', 481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected', 483: 'Too Many Hops', 484: 'Address Incomplete', 485: 'Ambiguous', 486: 'Busy Here',
  487: 'Request Terminated', 488: 'Not Acceptable Here', 489: 'Bad Event', 491: 'Request Pending',
  493: 'Undecipherable', 494: 'Security Agreement Required', 500: 'Server Internal Error',
  501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Server Time-out',
  505: 'Version Not Supported', 513: 'Message Too Large', 555: 'Push Notification Service Not Supported',
  580: 'Precondition Failure', 600: 'Busy Everywhere', 603: 'Decline', 604: 'Does Not Exist Anywhere',
  606: 'Not Acceptable', 607: 'Unwanted', 608: 'Rejected',
};

const CLASS_REASONS = ['', 'Provisional', 'Success', 'Redirection', 'Client Error', 'Server Error', 'Global Failure'];

/** The standard reason phrase of a status code, or a generic one for its class. */
export function defaultReason(status: number): string {
  return REASONS[status] ?? CLASS_REASONS[Math.floor(status / 100)] ?? 'Unknown';
}

/** Options for createResponse. */
export interface CreateResponseOptions {
  /** To tag to add when the request's To has none; a fresh one is generated for non-100 responses. */
  toTag?: string;
  /** Extra headers appended in order. */
  headers?: Array<[string, string]>;
  body?: Buffer | string;
  /** Content-Type of the body. */
  contentType?: string;
}

/**
 * Builds a response per RFC 3261 §8.2.6: copies all Via values (in order), From, To, Call-ID, CSeq
 * (and Record-Route for 18x/2xx to dialog-creating requests is the caller's choice, §12.1.1).
 * A To tag is added unless the status is 100 or the request already had one (§8.2.6.2).
 */
export function createResponse(
  req: SipRequest,
  status: number,
  reason?: string,
  opts: CreateResponseOptions = {},
): SipResponse {
  const headers: Array<[string, string]> = [];
  for (const [n, v] of req.headers) if (n === 'Via') headers.push([n, v]);
  const from = req.get('From');
  if (from !== undefined) headers.push(['From', from]);
  const to = req.get('To');
  if (to !== undefined) {
    let hasTag = false;
    try {
      hasTag = req.toTag !== undefined;
    } catch {
      hasTag = /;\s*tag\s*=/i.test(to);
    }
    const tag = opts.toTag ?? (status > 100 ? newTag() : undefined);
    headers.push(['To', !hasTag && tag !== undefined ? `${to};tag=${tag}` : to]);
  }
  const callId = req.get('Call-ID');
  if (callId !== undefined) headers.push(['Call-ID', callId]);
  const cseq = req.get('CSeq');
  if (cseq !== undefined) headers.push(['CSeq', cseq]);
  // §8.2.6.1: a 100 Trying copies Timestamp.
  const ts = req.get('Timestamp');
  if (status === 100 && ts !== undefined) headers.push(['Timestamp', ts]);
  const res = new SipResponse(status, reason ?? defaultReason(status), headers);
  for (const [n, v] of opts.headers ?? []) res.add(n, v);
  if (opts.body !== undefined) {
    res.body = typeof opts.body === 'string' ? Buffer.from(opts.body, 'utf8') : opts.body;
  }
  if (opts.contentType !== undefined) res.set('Content-Type', opts.contentType);
  return res;
}
