/**
 * The UAC side: an initial INVITE (or an out-of-dialog request) with one retry on a 401/407
 * challenge (§22.2), CANCEL on abort (§9.1), and the dialog built from the 2xx (§12.1.2).
 */
import { sdpOf } from './body.js';
import { parseSessionExpires } from './session-timer.js';
import { Dialog, type DialogHost } from './dialog.js';
import { SipError, SipStackError, SipStackErrorCode } from './errors.js';
import { splitValues, tagOf, uriOf } from './header-util.js';
import type { MessageOptions } from './inbound.js';
import { buildAuthorization, newCallId, newTag, SipRequest, type SipResponse } from './message-port.js';
import { ackForNon2xx, buildCancel, nextHop } from './request-builder.js';
import type { Endpoint } from './transport/types.js';

/** Options of `createUAC`. */
export interface UacOptions extends MessageOptions {
  localSdp?: string;
  auth?: { username: string; password: string };
  /** Outbound proxy URI; added as a loose Route (§8.1.2). */
  proxy?: string;
  signal?: AbortSignal;
  onProvisional?: (res: SipResponse) => void;
  /** From URI; defaults to sip:callflow@<local address>. */
  from?: string;
  /** Method for `request`; INVITE for createUAC. */
  method?: string;
}

/** What the UAC flow needs from the stack. */
export interface UacHost extends DialogHost {
  contactFor(protocol: Endpoint['protocol']): string;
  adopt(d: Dialog): void;
  isClosing(): boolean;
}

interface Attempt {
  res: SipResponse;
  status: number;
  invite: SipRequest;
  dest: Endpoint;
  cancelled: boolean;
}

/** Sends the request and resolves with the final response (any status) after at most one challenge. */
export async function sendInitial(host: UacHost, uri: string, opts: UacOptions): Promise<Attempt> {
  if (host.isClosing()) throw new SipStackError(SipStackErrorCode.Closed, 'stack is closing');
  if (opts.signal?.aborted) throw new SipError(487, 'Request Terminated');
  const method = (opts.method ?? 'INVITE').toUpperCase();
  const core = host.core;
  const dest = await host.resolve(opts.proxy ?? uri, 'udp');
  const local = core.transports.local(dest.protocol);
  const fromUri = opts.from ?? `sip:callflow@${local?.host ?? '127.0.0.1'}:${local?.port ?? 5060}`;
  const callId = newCallId();
  const fromTag = newTag();
  let seq = 1;
  let authHeader: [string, string] | undefined;
  for (let attempt = 0; ; attempt++) {
    const req = new SipRequest(method, uri);
    req.add('via', core.viaFor(dest.protocol));
    req.add('max-forwards', '70');
    req.add('from', `<${fromUri}>;tag=${fromTag}`);
    req.add('to', `<${uri}>`);
    req.add('call-id', callId);
    req.add('cseq', `${seq} ${method}`);
    if (opts.proxy) req.add('route', `<${opts.proxy};lr>`);
    if (method === 'INVITE') req.add('contact', host.contactFor(dest.protocol));
    if (authHeader) req.add(authHeader[0], authHeader[1]);
    for (const [k, v] of Object.entries(opts.headers ?? {})) req.set(k, v);
    const body = opts.body ?? opts.localSdp;
    if (body !== undefined) {
      req.body = Buffer.from(body, 'utf8');
      if (!req.get('content-type')) req.set('content-type', 'application/sdp');
    }
    const result = await transact(host, req, dest, opts);
    const challenged = result.status === 401 || result.status === 407;
    if (!challenged || !opts.auth || attempt > 0 || result.cancelled) return result;
    let answer: string;
    try {
      const challenges = result.res.getParsedHeader(result.status === 401 ? 'www-authenticate' : 'proxy-authenticate');
      answer = buildAuthorization(challenges, opts.auth, method, uri, 1);
    } catch {
      // No usable Digest challenge (or a malformed one): the caller sees the 401/407 itself.
      return result;
    }
    authHeader = [result.status === 401 ? 'authorization' : 'proxy-authorization', answer];
    seq++;
  }
}

function transact(host: UacHost, req: SipRequest, dest: Endpoint, opts: UacOptions): Promise<Attempt> {
  const core = host.core;
  return new Promise<Attempt>((resolve, reject) => {
    let provisional = false;
    let cancelSent = false;
    let cancelled = false;
    let settled = false;
    const sendCancel = (): void => {
      if (cancelSent || settled) return;
      cancelSent = true;
      const cancel = buildCancel(req);
      core.sendRequest(cancel, dest, { onResponse: () => undefined, onFailure: () => undefined });
    };
    const onAbort = (): void => {
      cancelled = true;
      // §9.1: a CANCEL may only follow a provisional response.
      if (req.method === 'INVITE' && provisional) sendCancel();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (a: Attempt | Error): void => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (a instanceof Error) reject(a);
      else resolve(a);
    };
    core.sendRequest(
      req,
      dest,
      {
        onResponse: (res, status) => {
          if (status < 200) {
            provisional = true;
            if (cancelled) sendCancel();
            try {
              opts.onProvisional?.(res);
            } catch {
              // A throwing progress callback must not break the transaction.
            }
            return;
          }
          if (settled) {
            // Accepted state (RFC 6026): a retransmitted 2xx wants our ACK again.
            const d = host.dialogFor(res);
            d?.handleStray2xx(res);
            return;
          }
          settled = true;
          finish({ res, status, invite: req, dest, cancelled });
        },
        onFailure: (kind, err) => {
          if (settled) return;
          settled = true;
          if (cancelled) finish(new SipError(487, 'Request Terminated'));
          else finish(kind === 'timeout' ? new SipError(408, 'Request Timeout') : new SipError(503, 'Service Unavailable', undefined, err));
        },
      },
      req.method === 'INVITE' ? (res) => ackForNon2xx(req, res) : undefined,
    );
  });
}

/** createUAC: INVITE → Dialog, rejecting with SipError on any non-2xx final. */
export async function createUac(host: UacHost, uri: string, opts: UacOptions): Promise<Dialog> {
  const a = await sendInitial(host, uri, { ...opts, method: 'INVITE' });
  if (a.status >= 300) throw new SipError(a.status, a.res.reason, a.res);
  const res = a.res;
  const remoteTag = tagOf(res.get('to')) ?? '';
  const rr = res.getAll('record-route').flatMap(splitValues).reverse();
  const contact = res.get('contact');
  const seq = Number((a.invite.get('cseq') ?? '1').split(' ')[0]);
  const d = new Dialog(
    host,
    'uac',
    {
      callId: a.invite.get('call-id') ?? '',
      localTag: tagOf(a.invite.get('from')) ?? '',
      remoteTag,
      localUri: stripTag(a.invite.get('from') ?? ''),
      remoteUri: stripTag(res.get('to') ?? ''),
      remoteTarget: contact ? uriOf(contact) : a.invite.uri,
      routeSet: rr,
      contact: host.contactFor(a.dest.protocol),
    },
    { localSdp: opts.localSdp ?? '', remoteSdp: sdpOf(res), localSeq: seq, protocol: a.dest.protocol, remoteAllow: res.getAll('allow').join(', ') },
  );
  host.adopt(d);
  // RFC 4028 §7.2: a 2xx with Session-Expires sets a session timer; refresher=uac (us) means we refresh.
  const se = parseSessionExpires(res.get('session-expires') ?? '');
  if (se) d.sessionTimer.start(se.interval, se.refresher === 'uac');
  const ackDest = await host.resolve(nextHop(d.buildAck(seq)), a.dest.protocol).catch(() => a.dest);
  d.sendInitialAck(seq, ackDest);
  if (a.cancelled) {
    await d.destroy();
    throw new SipError(487, 'Request Terminated');
  }
  return d;
}

/** Removes the tag parameter from a From/To value, keeping the rest (§12.1.1). */
export function stripTag(v: string): string {
  return v.replace(/;\s*tag=[^;>\s]*/i, '');
}
