/**
 * What the server needs from a telephony engine: the CallControl and Media ports, inbound calls, counters
 * for /metrics, and a graceful close. The embedded engine is adapted to it in compose.ts; a drachtio
 * adapter would implement the same shape.
 */
import type { CallControl, CallLeg, Media } from '../ports/index.js';

/** Counters read at scrape time. */
export interface EngineStats {
  sipTransactions: number;
  sipMalformed: number;
  rtpStreams: number;
}

/** Where the engine's SIP side listens. */
export interface SipListening {
  host: string;
  port: number;
  transports: string[];
  /** The TLS port, when TLS listens (it has its own port, 5061 by default). */
  tlsPort?: number;
  /** The host in our Via and Contact: sip.publicAddress, else the first external IPv4 when `host` is a wildcard. */
  advertised: string;
  /** The address in our SDP, chosen the same way from the RTP settings. */
  rtpAdvertised: string;
}

/** A ringing inbound call handed to the server; reject it with `leg.hangup({ status })`. */
export type IncomingCallHandler = (leg: CallLeg) => void;

/** A started telephony engine. */
export interface TelephonyEngine {
  readonly calls: CallControl;
  readonly media: Media;
  readonly sip: SipListening;
  /** Every new inbound INVITE becomes a ringing leg passed here (one handler; set before calls arrive). */
  onIncomingCall(handler: IncomingCallHandler): void;
  stats(): EngineStats;
  /** Release sockets and ports; the server has already ended its calls. */
  close(): Promise<void>;
}
