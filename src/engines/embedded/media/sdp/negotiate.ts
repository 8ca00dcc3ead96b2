/**
 * SDP offer/answer for G.711 + telephone-event (RFC 3264, RFC 4733 §7): read the peer's audio stream (codec in
 * the offerer's preference order, its telephone-event payload type, address, direction), and write ours.
 */
import { parse, type MediaDescription } from 'sdp-transform';
import { DEFAULT_TELEPHONE_EVENT_PT, STATIC_PT, type CodecName, type MediaDirection } from '../types.js';
import { SdpError, SdpErrorCode } from './sdp-error.js';

/** The usable audio stream of a remote SDP. */
export interface RemoteAudio {
  /** Index of the m= line (the answer keeps every line, rejecting the others with port 0, §6). */
  index: number;
  /** All m= lines as (type, protocol, formats) so an answer can reject them in place. */
  lines: { type: string; protocol: string; payloads: string }[];
  codec: CodecName;
  /** The payload type the peer used for the codec (static, but echo what was offered). */
  pt: number;
  telephoneEventPt: number | undefined;
  address: string;
  port: number;
  direction: MediaDirection;
}

const DIRECTIONS: readonly MediaDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

function codecOf(m: MediaDescription, pt: number): CodecName | 'telephone-event' | undefined {
  const map = m.rtp.find((r) => r.payload === pt);
  if (!map) {
    // Static payload types need no rtpmap (RFC 3551 §6).
    if (pt === STATIC_PT.PCMU) return 'PCMU';
    if (pt === STATIC_PT.PCMA) return 'PCMA';
    return undefined;
  }
  const name = map.codec.toUpperCase();
  if (map.rate !== undefined && map.rate !== 8000) return undefined;
  if (name === 'PCMU' || name === 'PCMA') return name;
  if (name === 'TELEPHONE-EVENT') return 'telephone-event';
  return undefined;
}

/**
 * Pick our audio stream from `sdp`: the first audio m= line with a port and RTP/AVP(F) transport, and in it the
 * first codec (in the peer's order) that `accept` allows. Throws SdpError.
 */
export function readRemoteAudio(sdp: string, accept: readonly CodecName[] = ['PCMU', 'PCMA']): RemoteAudio {
  let s: ReturnType<typeof parse>;
  try {
    s = parse(sdp);
  } catch (err) {
    throw new SdpError(SdpErrorCode.Parse, `unreadable SDP: ${(err as Error).message}`);
  }
  const media = Array.isArray(s.media) ? s.media : [];
  const lines = media.map((m) => ({
    type: m.type,
    protocol: m.protocol,
    payloads: String(m.payloads ?? ''),
  }));
  const audio = media.map((m, i) => ({ m, i })).filter(({ m }) => m.type === 'audio');
  if (audio.length === 0) throw new SdpError(SdpErrorCode.NoAudio, 'SDP has no audio stream');
  let lastReason: SdpError = new SdpError(SdpErrorCode.Rejected, 'every audio stream is rejected (port 0)');
  for (const { m, i } of audio) {
    if (m.port === 0) continue;
    if (!/^RTP\/AVPF?$/i.test(m.protocol)) {
      lastReason = new SdpError(SdpErrorCode.NoCommonCodec, `unsupported transport ${m.protocol} (no SRTP)`);
      continue;
    }
    const pts = String(m.payloads ?? '')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
      .filter((n) => Number.isInteger(n));
    let chosen: { codec: CodecName; pt: number } | undefined;
    let te: number | undefined;
    for (const pt of pts) {
      const c = codecOf(m, pt);
      if (c === 'telephone-event') te ??= pt;
      else if (c && !chosen && accept.includes(c)) chosen = { codec: c, pt };
    }
    if (!chosen) {
      lastReason = new SdpError(
        SdpErrorCode.NoCommonCodec,
        `no common codec: offered [${pts.join(' ')}], we accept ${accept.join('/')}`,
      );
      continue;
    }
    const address = m.connection?.ip ?? s.connection?.ip;
    if (!address) throw new SdpError(SdpErrorCode.NoAddress, 'SDP has no c= line for the audio stream');
    const dir = m.direction ?? s.direction ?? 'sendrecv';
    return {
      index: i,
      lines,
      codec: chosen.codec,
      pt: chosen.pt,
      telephoneEventPt: te,
      address,
      port: m.port,
      direction: DIRECTIONS.includes(dir) ? dir : 'sendrecv',
    };
  }
  throw lastReason;
}

/** Our direction given the peer's and what we want (RFC 3264 §6.1): send only if they receive, and so on. */
export function mirrorDirection(peer: MediaDirection, ours: MediaDirection = 'sendrecv'): MediaDirection {
  const send = (ours === 'sendrecv' || ours === 'sendonly') && (peer === 'sendrecv' || peer === 'recvonly');
  const recv = (ours === 'sendrecv' || ours === 'recvonly') && (peer === 'sendrecv' || peer === 'sendonly');
  return send && recv ? 'sendrecv' : send ? 'sendonly' : recv ? 'recvonly' : 'inactive';
}

/** What goes into our SDP. */
export interface LocalSdp {
  address: string;
  port: number;
  codecs: readonly CodecName[];
  telephoneEventPt: number | undefined;
  direction: MediaDirection;
  sessionId: number;
  version: number;
  /** For answers: the offer's m= lines; ours replaces line `index`, the others are rejected with port 0. */
  offerLines?: RemoteAudio['lines'];
  index?: number;
}

/** Write our SDP (a=ptime:20, telephone-event 0-15 as RFC 4733 §7.1.1 suggests). */
export function writeLocalSdp(o: LocalSdp): string {
  const ip = o.address.includes(':') ? 'IP6' : 'IP4';
  const out = [
    'v=0',
    `o=callflow ${o.sessionId} ${o.version} IN ${ip} ${o.address}`,
    's=callflow',
    `c=IN ${ip} ${o.address}`,
    't=0 0',
  ];
  const audio = (): void => {
    const pts = o.codecs.map((c) => STATIC_PT[c]);
    const te = o.telephoneEventPt;
    // An answer keeps the offer's transport (RFC 3264 §6): RTP/AVPF offers get RTP/AVPF back.
    const proto = o.index !== undefined ? (o.offerLines?.[o.index]?.protocol ?? 'RTP/AVP') : 'RTP/AVP';
    out.push(`m=audio ${o.port} ${proto} ${[...pts, ...(te !== undefined ? [te] : [])].join(' ')}`);
    for (const c of o.codecs) out.push(`a=rtpmap:${STATIC_PT[c]} ${c}/8000`);
    if (te !== undefined) out.push(`a=rtpmap:${te} telephone-event/8000`, `a=fmtp:${te} 0-15`);
    out.push('a=ptime:20', `a=${o.direction}`);
  };
  if (o.offerLines && o.index !== undefined) {
    o.offerLines.forEach((l, i) => {
      if (i === o.index) audio();
      else out.push(`m=${l.type} 0 ${l.protocol} ${l.payloads || '0'}`);
    });
  } else audio();
  return out.join('\r\n') + '\r\n';
}

/** The payload type we offer for telephone-event. */
export const OFFER_TELEPHONE_EVENT_PT = DEFAULT_TELEPHONE_EVENT_PT;
