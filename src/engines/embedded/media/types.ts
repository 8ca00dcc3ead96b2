/**
 * The contract of the embedded media engine's RTP layer: legs (one RTP session each), the engine that allocates
 * them and negotiates SDP, and the frame shapes the sources/sinks (play, record, mix, tap) exchange with them.
 */
import type { EventEmitter } from 'node:events';

/** Sample rate of every PCM frame inside the engine (G.711, RFC 3551 §4.5.14). */
export const SAMPLE_RATE = 8000;
/** Packetisation time: one RTP packet per 20 ms (RFC 3551 §4.5 default for G.711). */
export const FRAME_MS = 20;
/** Samples (and RTP timestamp units) per frame. */
export const FRAME_SAMPLES = 160;

/** A source of 20 ms frames of 8 kHz signed 16-bit linear PCM, pulled by the pacer once per tick. */
export interface FrameSource {
  /** The next frame (160 samples, read-only for the leg); null: ended, the leg emits 'source-end' and sends nothing. */
  next(): Int16Array | null;
}

/** The DTMF transport a digit arrived on (SipInfo: RFC 2976 INFO, injected by the SIP adapter). */
export const DtmfMode = { Rfc4733: 'rfc4733', Inband: 'inband', SipInfo: 'sip-info' } as const;
/** One DTMF transport. */
export type DtmfMode = (typeof DtmfMode)[keyof typeof DtmfMode];

/** A digit received on a leg, reported exactly once. */
export interface DtmfEvent {
  digit: string;
  durationMs: number;
  /** performance.now() ms at the start of the digit. */
  at: number;
  mode: DtmfMode;
}

/** The G.711 codecs the engine speaks. */
export const CodecName = { PCMU: 'PCMU', PCMA: 'PCMA' } as const;
/** One codec name. */
export type CodecName = (typeof CodecName)[keyof typeof CodecName];

/** Static payload types of RFC 3551 §6. */
export const STATIC_PT = { PCMU: 0, PCMA: 8 } as const;

/** Default dynamic payload type for telephone-event (RFC 4733 §7.1.1). */
export const DEFAULT_TELEPHONE_EVENT_PT = 101;

/** Media directions of RFC 3264 §5.1. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** Options when creating a leg. */
export interface RtpLegOptions {
  localAddress?: string;
  codec?: CodecName;
  ptime?: 20;
  /** No RTP for this long raises 'media-timeout' (0 or undefined: off). */
  mediaTimeoutMs?: number;
  /** Run the Goertzel in-band DTMF detector on received audio. */
  inbandDtmf?: boolean;
  /** Payload type for RFC 4733 events; undefined: peer did not offer telephone-event, send DTMF in-band. */
  telephoneEventPt?: number;
  /** Send an RTCP SR/RR every this many ms to the remote's port + 1 (RFC 3550 §6.2); 0: never. Default 5000. */
  rtcpIntervalMs?: number;
  /**
   * Send RTP over a connect()ed socket once the peer is known: about a quarter less CPU per packet (no address
   * parse or route lookup per send). Default true. The socket is never connected to the SDP address blindly:
   * only to the address the receiver latched from the peer's own packets (symmetric RTP, RFC 4961), only while
   * that source sent within the last second (RELATCH_MS) and only while the leg sends (not recvonly/inactive, not
   * a 0.0.0.0 / port 0 remote). Before the first packet, after a second of silence, on hold and after setRemote
   * to a new address, packets go unconnected to the remote as before; a peer that never sends is never connected.
   * What changes while connected: the kernel drops every packet from another address (Linux answers it with ICMP
   * port unreachable), so it is not counted anywhere (not in foreignSsrc, invalid, badPayloadType), a NAT
   * rebinding of the latched peer is followed only after the old address was silent for a second (about a second
   * of its audio lost, instead of none), and a new source takes over after that same second, as before. An ICMP
   * port unreachable from the peer (ECONNREFUSED) or any connect error is counted (stats sent.connectErrors) and
   * the leg sends unconnected until the peer's next packet; after MAX_CONNECT_FAILURES (3) such failures it stays
   * unconnected until the next setRemote. The RTCP socket is never connected.
   * false: never connect; every received packet is seen and counted (the behaviour before this option).
   */
  connectedSend?: boolean;
}

/** A parsed RTP packet (RFC 3550 §5.1). `payload` is a view into the received datagram: copy it to keep it. */
export interface RtpPacket {
  version: number;
  padding: boolean;
  extension: boolean;
  csrcCount: number;
  marker: boolean;
  payloadType: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
  payload: Uint8Array;
}

/** Arrival details of a decoded audio frame. */
export interface AudioInfo {
  seq: number;
  ts: number;
  /** performance.now() ms at arrival. */
  arrival: number;
}

/** Options of sendDtmf. */
export interface SendDtmfOptions {
  durationMs?: number;
  gapMs?: number;
  signal?: AbortSignal;
}

/**
 * One RTP session (a call leg's media), already bound to a local UDP port.
 * Events: 'audio' (pcm: Int16Array of 160 decoded samples, info: AudioInfo), 'rtp' (packet: RtpPacket, raw, for
 * bridging), 'dtmf' (DtmfEvent), 'media-timeout' (), 'source-end' (), 'close' ().
 */
export interface RtpLeg extends EventEmitter {
  readonly localAddress: string;
  readonly localPort: number;
  readonly codec: CodecName;
  readonly id: string;
  /**
   * Where to send; from SDP. Symmetric RTP re-learns it from the first received packet. The same address again
   * keeps the learned one; 0.0.0.0 or port 0 sends nothing, whatever the peer sends.
   */
  setRemote(address: string, port: number): void;
  /** The pacer pulls from it every 20 ms and sends RTP; null: send nothing. */
  setSource(src: FrameSource | null): void;
  /** RFC 4733 send; falls back to in-band tones if the peer didn't offer telephone-event. */
  sendDtmf(digits: string, opts?: SendDtmfOptions): Promise<void>;
  /** Hold / unhold: sendonly/inactive stop receiving, recvonly/inactive stop sending. */
  setDirection(dir: MediaDirection): void;
  close(): void;
}

/** Options of createMediaEngine. */
export interface MediaEngineOptions {
  portMin: number;
  portMax: number;
  localAddress: string;
  mediaTimeoutMs?: number;
}

/** Options of MediaEngine.answer / offer. */
export interface NegotiateOptions {
  /** Codecs we accept, in our preference order (used for offers; answers follow the offerer's order). */
  codecs?: CodecName[];
  mediaTimeoutMs?: number;
  inbandDtmf?: boolean;
  /** Our direction (e.g. 'sendonly' to put the peer on hold). */
  direction?: MediaDirection;
}

/** Counters of the engine, for metrics and the benchmark. */
export interface MediaEngineStats {
  legs: number;
  portsInUse: number;
  portsFree: number;
  packetsSent: number;
  packetsReceived: number;
  pacer: { ticks: number; lateP50Ms: number; lateP99Ms: number; lateMaxMs: number; catchUps: number };
}

/** An SDP offer we made, waiting for the answer. */
export interface PendingOffer {
  leg: RtpLeg;
  sdp: string;
  /** Applies the remote answer (codec, telephone-event PT, address, direction); throws SdpError on mismatch. */
  complete(answerSdp: string): void;
}

/** Allocates legs from the port pool, runs the shared pacer, negotiates SDP. */
export interface MediaEngine {
  createLeg(opts?: RtpLegOptions): Promise<RtpLeg>;
  answer(offerSdp: string, opts?: NegotiateOptions): Promise<{ leg: RtpLeg; sdp: string }>;
  offer(opts?: NegotiateOptions): Promise<PendingOffer>;
  stats(): MediaEngineStats;
  close(): Promise<void>;
}
