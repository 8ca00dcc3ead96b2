/**
 * The embedded media engine: legs bound from the port pool, one interleaved pacer for all of them, SDP
 * offer/answer, and the shared play/TTS/channel resources the endpoints use.
 */
import { PacerGroup } from './clock/pacer-group.js';
import {
  createMediaResources,
  type MediaResourceOptions,
  type MediaResources,
} from './endpoint/resources.js';
import { Endpoint } from './endpoint/endpoint.js';
import { UdpRtpLeg, type LegHost } from './rtp/leg.js';
import { PortPool, bindPair } from './rtp/port-pool.js';
import { SdpError, SdpErrorCode } from './sdp/sdp-error.js';
import {
  OFFER_TELEPHONE_EVENT_PT,
  mirrorDirection,
  readRemoteAudio,
  writeLocalSdp,
  type RemoteAudio,
} from './sdp/negotiate.js';
import type {
  CodecName,
  MediaEngine,
  MediaEngineOptions,
  MediaEngineStats,
  NegotiateOptions,
  PendingOffer,
  RtpLeg,
  RtpLegOptions,
} from './types.js';

/** Options beyond MediaEngineOptions that only the embedded engine has. */
export interface EmbeddedMediaOptions extends MediaEngineOptions {
  /** Address written into SDP when `localAddress` is a wildcard (0.0.0.0) or behind NAT. */
  advertisedAddress?: string;
  /** RTCP report interval for every leg (default 5000 ms; 0: no RTCP sent). */
  rtcpIntervalMs?: number;
  /** Pacer slots per 20 ms (default 20: a wake-up every ms, each sending 1/20 of the packets). */
  pacerSlots?: number;
  /**
   * Default of RtpLegOptions.connectedSend for every leg (default true: connected to the latched peer while it
   * talks; false: never, every stranger's packet is still seen and counted). See there for the trade-off.
   */
  connectedSend?: boolean;
  /** Prompt cache and TTS settings. */
  resources?: MediaResourceOptions;
}

/** The engine; implements MediaEngine and adds endpoint construction and the shared resources. */
export class EmbeddedMediaEngine implements MediaEngine {
  readonly resources: MediaResources;
  private readonly pool: PortPool;
  private readonly pacer: PacerGroup;
  private readonly legs = new Set<UdpRtpLeg>();
  private readonly host: LegHost;
  /** o= line identity per leg, so a re-answer keeps the session id and bumps the version (RFC 3264 §8). */
  private readonly origins = new WeakMap<UdpRtpLeg, { id: number; version: number }>();
  private closedPackets = { sent: 0, received: 0 };
  private sessionSeq = Math.floor(Date.now() / 1000);
  private closed = false;

  constructor(private readonly opts: EmbeddedMediaOptions) {
    this.pool = new PortPool(opts.portMin, opts.portMax);
    this.pacer = new PacerGroup({ slots: opts.pacerSlots });
    this.resources = createMediaResources(opts.resources);
    this.host = {
      pacer: this.pacer,
      released: (leg) => {
        if (!this.legs.delete(leg)) return;
        const s = leg.stats();
        this.closedPackets.sent += s.sent.packets;
        this.closedPackets.received += s.received.packets;
        this.pool.release(leg.localPort);
      },
    };
  }

  private get sdpAddress(): string {
    return this.opts.advertisedAddress ?? this.opts.localAddress;
  }

  /** Bind a new leg on the next free port pair. Rejects with PortExhaustedError when the range is full. */
  async createLeg(opts: RtpLegOptions = {}): Promise<UdpRtpLeg> {
    if (this.closed) throw new Error('media engine closed');
    const pair = await bindPair(this.pool, this.opts.localAddress);
    const leg = new UdpRtpLeg(pair, this.host, {
      ...opts,
      localAddress: opts.localAddress ?? this.sdpAddress,
      mediaTimeoutMs: opts.mediaTimeoutMs ?? this.opts.mediaTimeoutMs,
      rtcpIntervalMs: opts.rtcpIntervalMs ?? this.opts.rtcpIntervalMs,
      connectedSend: opts.connectedSend ?? this.opts.connectedSend,
    });
    this.legs.add(leg);
    return leg;
  }

  /** Answer an SDP offer (RFC 3264 §6): throws SdpError (→ 488) when no PCMU/PCMA stream is acceptable. */
  async answer(offerSdp: string, opts: NegotiateOptions = {}): Promise<{ leg: UdpRtpLeg; sdp: string }> {
    const remote = readRemoteAudio(offerSdp, opts.codecs ?? ['PCMU', 'PCMA']);
    const leg = await this.createLeg({
      codec: remote.codec,
      telephoneEventPt: remote.telephoneEventPt,
      inbandDtmf: inbandFor(remote, opts),
      mediaTimeoutMs: opts.mediaTimeoutMs,
    });
    const origin = { id: ++this.sessionSeq, version: 0 };
    this.origins.set(leg, origin);
    return { leg, sdp: this.applyOffer(leg, remote, opts, origin) };
  }

  /**
   * Answer a re-INVITE / UPDATE offer on an existing leg (RFC 3264 §8): new address, codec, telephone-event PT
   * or direction (hold). Same port, same o= session id, version + 1. Throws SdpError (→ 488); the leg is then
   * left as it was.
   */
  reanswer(leg: UdpRtpLeg, offerSdp: string, opts: NegotiateOptions = {}): string {
    const remote = readRemoteAudio(offerSdp, opts.codecs ?? ['PCMU', 'PCMA']);
    leg.configure({
      codec: remote.codec,
      telephoneEventPt: remote.telephoneEventPt,
      inbandDtmf: inbandFor(remote, opts),
    });
    let origin = this.origins.get(leg);
    if (!origin) {
      origin = { id: ++this.sessionSeq, version: 0 };
      this.origins.set(leg, origin);
    }
    return this.applyOffer(leg, remote, opts, origin);
  }

  private applyOffer(
    leg: UdpRtpLeg,
    remote: RemoteAudio,
    opts: NegotiateOptions,
    origin: { id: number; version: number },
  ): string {
    const direction = mirrorDirection(remote.direction, opts.direction);
    // A 0.0.0.0 address (RFC 2543 hold) leaves nowhere to send; setRemote handles it.
    leg.setRemote(remote.address, remote.port);
    leg.setDirection(direction);
    origin.version++;
    return writeLocalSdp({
      address: this.sdpAddress,
      port: leg.localPort,
      codecs: [remote.codec],
      telephoneEventPt: remote.telephoneEventPt,
      direction,
      sessionId: origin.id,
      version: origin.version,
      offerLines: remote.lines,
      index: remote.index,
    });
  }

  /** Make an offer for an outbound call (or a late-offer 200); complete() applies the answer. */
  async offer(opts: NegotiateOptions = {}): Promise<PendingOffer & { leg: UdpRtpLeg }> {
    const codecs: CodecName[] = opts.codecs && opts.codecs.length > 0 ? opts.codecs : ['PCMU', 'PCMA'];
    const leg = await this.createLeg({
      codec: codecs[0],
      telephoneEventPt: OFFER_TELEPHONE_EVENT_PT,
      inbandDtmf: opts.inbandDtmf,
      mediaTimeoutMs: opts.mediaTimeoutMs,
    });
    const ours = opts.direction ?? 'sendrecv';
    // Until the answer arrives we only listen (RFC 3264 §5.1: media may arrive before the answer).
    leg.setDirection(ours === 'sendrecv' || ours === 'recvonly' ? 'recvonly' : 'inactive');
    const origin = { id: ++this.sessionSeq, version: 1 };
    this.origins.set(leg, origin);
    const sdp = writeLocalSdp({
      address: this.sdpAddress,
      port: leg.localPort,
      codecs,
      telephoneEventPt: OFFER_TELEPHONE_EVENT_PT,
      direction: ours,
      sessionId: origin.id,
      version: origin.version,
    });
    return {
      leg,
      sdp,
      complete: (answerSdp: string) => {
        const remote = readRemoteAudio(answerSdp, codecs);
        if (remote.index !== 0)
          throw new SdpError(SdpErrorCode.Rejected, 'the answer rejected our audio stream');
        leg.configure({
          codec: remote.codec,
          telephoneEventPt: remote.telephoneEventPt,
          inbandDtmf: inbandFor(remote, opts),
        });
        leg.setRemote(remote.address, remote.port);
        leg.setDirection(mirrorDirection(remote.direction, ours));
      },
    };
  }

  /** An Endpoint (play, collect, record, bridge, channels, tap) over `leg`, sharing this engine's resources. */
  endpoint(leg: RtpLeg): Endpoint {
    return new Endpoint(leg, this.resources);
  }

  /** Counters for metrics and the benchmark. */
  stats(): MediaEngineStats {
    let sent = this.closedPackets.sent;
    let received = this.closedPackets.received;
    for (const l of this.legs) {
      const s = l.stats();
      sent += s.sent.packets;
      received += s.received.packets;
    }
    const p = this.pacer.stats();
    return {
      legs: this.legs.size,
      portsInUse: this.pool.inUse,
      portsFree: this.pool.available,
      packetsSent: sent,
      packetsReceived: received,
      pacer: {
        ticks: p.ticks,
        lateP50Ms: p.lateP50Ms,
        lateP99Ms: p.lateP99Ms,
        lateMaxMs: p.lateMaxMs,
        catchUps: p.catchUps,
      },
    };
  }

  /** Reset the pacer's lateness statistics (between benchmark phases). */
  resetPacerStats(): void {
    this.pacer.resetStats();
  }

  /** Close every leg and stop the pacer. */
  async close(): Promise<void> {
    this.closed = true;
    for (const l of [...this.legs]) l.close();
    this.pacer.stop();
  }
}

/**
 * In-band detection defaults to on exactly when the peer did not negotiate telephone-event: such peers (some
 * carriers) can only send digits as tones. NegotiateOptions.inbandDtmf forces it either way.
 */
function inbandFor(remote: RemoteAudio, opts: NegotiateOptions): boolean {
  return opts.inbandDtmf ?? remote.telephoneEventPt === undefined;
}

/** Create the embedded media engine. */
export function createMediaEngine(opts: EmbeddedMediaOptions): EmbeddedMediaEngine {
  return new EmbeddedMediaEngine(opts);
}
