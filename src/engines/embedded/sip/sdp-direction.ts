/** Hold and unhold by rewriting the media direction of an SDP offer (RFC 3264 §8.4, RFC 6337 §5.3). */
import { parse, write } from 'sdp-transform';

/** Media directions of RFC 3264 §5.1. */
export const Direction = { SendRecv: 'sendrecv', SendOnly: 'sendonly', RecvOnly: 'recvonly', Inactive: 'inactive' } as const;
/** One media direction. */
export type Direction = (typeof Direction)[keyof typeof Direction];

/** Returns `sdp` with every media section (and the session) set to `direction`, bumping o= version. */
export function withDirection(sdp: string, direction: Direction): string {
  const s = parse(sdp);
  delete s.direction;
  for (const m of s.media) m.direction = direction;
  if (s.origin) s.origin.sessionVersion = Number(s.origin.sessionVersion) + 1;
  return write(s);
}

/** The direction of the first media section, defaulting to sendrecv. */
export function directionOf(sdp: string): Direction {
  const s = parse(sdp);
  return s.media[0]?.direction ?? s.direction ?? 'sendrecv';
}

/** The answer direction for an offered direction (RFC 3264 §6.1). */
export function answerDirection(offered: Direction, local: Direction = 'sendrecv'): Direction {
  const canSend = local === 'sendrecv' || local === 'sendonly';
  const canRecv = local === 'sendrecv' || local === 'recvonly';
  const send = canSend && (offered === 'sendrecv' || offered === 'recvonly');
  const recv = canRecv && (offered === 'sendrecv' || offered === 'sendonly');
  return send && recv ? 'sendrecv' : send ? 'sendonly' : recv ? 'recvonly' : 'inactive';
}
