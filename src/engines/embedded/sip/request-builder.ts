/**
 * Builds outgoing requests: in-dialog requests (§12.2.1.1), the ACK for a non-2xx final response
 * (§17.1.1.3) and the ACK for a 2xx (§13.2.2.4), and CANCEL (§9.1).
 */
import { parseUri, uriOf } from './header-util.js';
import { SipRequest, type SipResponse } from './message-port.js';

/** The dialog fields needed to build a request inside it (§12.1). */
export interface DialogFields {
  callId: string;
  localTag: string;
  remoteTag: string;
  localUri: string;
  remoteUri: string;
  remoteTarget: string;
  routeSet: string[];
  contact: string;
}

/** Methods that refresh the remote target and so carry a Contact (§12.2.1.1, RFC 3515, RFC 3311). */
const TARGET_REFRESH = new Set(['INVITE', 'UPDATE', 'REFER', 'NOTIFY', 'SUBSCRIBE']);

/** Request-URI and Route headers per §12.2.1.1, handling a strict-routing first hop. */
export function routeFor(d: Pick<DialogFields, 'remoteTarget' | 'routeSet'>): { uri: string; routes: string[] } {
  const first = d.routeSet[0];
  if (!first) return { uri: d.remoteTarget, routes: [] };
  const firstUri = uriOf(first);
  if (parseUri(firstUri)?.lr) return { uri: d.remoteTarget, routes: d.routeSet };
  return { uri: firstUri, routes: [...d.routeSet.slice(1), `<${d.remoteTarget}>`] };
}

/** The URI the request is physically sent to: the first Route if any, else the Request-URI (§8.1.2). */
export function nextHop(req: SipRequest): string {
  const route = req.get('route');
  return route ? uriOf(route) : req.uri;
}

/** Builds a request inside a dialog; the caller adds the Via. */
export function buildInDialog(d: DialogFields, method: string, seq: number, via: string): SipRequest {
  const { uri, routes } = routeFor(d);
  const req = new SipRequest(method, uri);
  req.add('via', via);
  req.add('max-forwards', '70');
  req.add('from', `${d.localUri};tag=${d.localTag}`);
  req.add('to', `${d.remoteUri};tag=${d.remoteTag}`);
  req.add('call-id', d.callId);
  req.add('cseq', `${seq} ${method}`);
  for (const r of routes) req.add('route', r);
  if (TARGET_REFRESH.has(method)) req.add('contact', d.contact);
  return req;
}

/** §17.1.1.3: same Request-URI, Call-ID, From, CSeq number, top Via and Route; To from the response. */
export function ackForNon2xx(invite: SipRequest, res: SipResponse): Buffer {
  const ack = new SipRequest('ACK', invite.uri);
  ack.add('via', invite.get('via') ?? '');
  ack.add('max-forwards', '70');
  ack.add('from', invite.get('from') ?? '');
  ack.add('to', res.get('to') ?? '');
  ack.add('call-id', invite.get('call-id') ?? '');
  ack.add('cseq', `${(invite.get('cseq') ?? '1').split(/\s+/)[0]} ACK`);
  for (const r of invite.getAll('route')) ack.add('route', r);
  return ack.toBuffer();
}

/** §9.1: CANCEL copies Request-URI, Call-ID, To, From, CSeq number, top Via and Route of the INVITE. */
export function buildCancel(invite: SipRequest): SipRequest {
  const c = new SipRequest('CANCEL', invite.uri);
  c.add('via', invite.get('via') ?? '');
  c.add('max-forwards', '70');
  c.add('from', invite.get('from') ?? '');
  c.add('to', invite.get('to') ?? '');
  c.add('call-id', invite.get('call-id') ?? '');
  c.add('cseq', `${(invite.get('cseq') ?? '1').split(/\s+/)[0]} CANCEL`);
  for (const r of invite.getAll('route')) c.add('route', r);
  return c;
}
