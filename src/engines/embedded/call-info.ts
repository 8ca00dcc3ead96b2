/** Builds the `call.*` facts of an inbound call from its INVITE, and parses dial targets (RFC 3261 §19.1). */
import { randomUUID } from 'node:crypto';
import type { CallInfo } from '../../ports/call-control.js';
import { parseUri, uriOf } from './sip/header-util.js';
import type { InboundRequest } from './sip/index.js';

/** The user part of a sip/sips/tel URI, percent-decoded (§19.1.2); '' when absent. */
export function userOf(uri: string): string {
  const tel = /^tel:([^;]+)/i.exec(uri.trim());
  const raw = tel ? tel[1] : parseUri(uri)?.user;
  if (!raw) return '';
  const user = raw.split(';')[0] ?? '';
  try {
    return decodeURIComponent(user);
  } catch {
    return user;
  }
}

/** The host of a sip URI (without brackets for IPv6 hosts kept as written); '' when unparsable. */
export function hostOf(uri: string): string {
  return parseUri(uri)?.host ?? '';
}

/** Every header of the INVITE, names lower-case; repeated headers joined with ", " (§7.3.1). */
export function headersOf(req: InboundRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of req.msg.headers) {
    const k = name.toLowerCase();
    out[k] = out[k] === undefined ? value : `${out[k]}, ${value}`;
  }
  return out;
}

/** The CallInfo of an inbound INVITE; `trunk` is the configured trunk its source matched. */
export function inboundCallInfo(req: InboundRequest, trunk?: string): CallInfo {
  const fromUri = uriOf(req.get('from') ?? '');
  const toUri = uriOf(req.get('to') ?? '');
  const src = req.source;
  const info: CallInfo = {
    id: randomUUID(),
    direction: 'inbound',
    from: userOf(fromUri),
    to: userOf(req.uri) || userOf(toUri),
    fromUri,
    toUri,
    domain: hostOf(req.uri),
    headers: headersOf(req),
    source: src.address.includes(':') ? `[${src.address}]:${src.port}` : `${src.address}:${src.port}`,
    sipCallId: req.callId,
  };
  if (trunk !== undefined) info.trunk = trunk;
  return info;
}

/** The CallInfo of an outbound leg we placed. */
export function outboundCallInfo(
  target: string,
  fromUri: string,
  sipCallId: string,
  headers: Record<string, string>,
): CallInfo {
  return {
    id: randomUUID(),
    direction: 'outbound',
    from: userOf(fromUri),
    to: userOf(target),
    fromUri,
    toUri: target,
    domain: hostOf(target),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    sipCallId,
  };
}
