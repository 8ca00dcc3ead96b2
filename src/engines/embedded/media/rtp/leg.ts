/**
 * An RTP leg over a real UDP socket pair: the shared pacer pulls one 20 ms frame per tick from the leg's source
 * and sends it as G.711 (silence when idle, so NAT bindings and peers' media timers stay alive), or sends the
 * RFC 4733 event in progress instead; received packets go through RtpReceiver. Once the receiver has latched the
 * peer, sends go over the socket connect()ed to it (connected-send.ts). Never throws from socket handlers.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { SILENCE_BYTE, encodeFrameInto } from '../codec/g711.js';
import { InbandDtmfSender } from '../dtmf/inband-sender.js';
import { writeTelephoneEvent } from '../dtmf/rfc4733.js';
import { MUTE, TelephoneEventSender } from '../dtmf/te-sender.js';
import {
  FRAME_SAMPLES,
  STATIC_PT,
  type AudioInfo,
  type CodecName,
  type DtmfEvent,
  type FrameSource,
  type MediaDirection,
  type RtpLeg,
  type RtpLegOptions,
  type RtpPacket,
  type SendDtmfOptions,
} from '../types.js';
import { SendConnection, type Peer } from './connected-send.js';
import { RTP_HEADER_SIZE, writeRtpHeader } from './packet.js';
import type { BoundPair } from './port-pool.js';
import { RtpReceiver, type ReceiveStats } from './receiver.js';
import { RtcpReporter } from './rtcp.js';

/** What a leg needs from its engine. */
export interface LegHost {
  pacer: {
    add(p: { tick(scheduled: number): void }): void;
    remove(p: { tick(scheduled: number): void }): void;
  };
  /** Called once when the leg closes (returns the port to the pool). */
  released(leg: UdpRtpLeg): void;
}

/** Send counters of one leg. */
export interface SendStats {
  packets: number;
  bytes: number;
  /** RTP payload octets (the SR's sender octet count). */
  payloadOctets: number;
  rtcpPackets: number;
  dtmfPackets: number;
  /** Socket errors of any kind (connectErrors included). */
  errors: number;
  /** Times the RTP socket was connect()ed to a latched peer. */
  connects: number;
  /** Connect/disconnect failures and errors while connected, each a fall back to unconnected sends. */
  connectErrors: number;
}

/** Per-leg counters. */
export interface LegStats {
  sent: SendStats;
  received: ReceiveStats;
}

let legCounter = 0;

/** Audio packet buffers a leg rotates through, one per tick (see nextAudioBuffer). */
const AUDIO_RING = 8;

function newAudioRing(): Buffer[] {
  // Outside the shared pool: buffers that are overwritten in place must not alias other data.
  const size = RTP_HEADER_SIZE + FRAME_SAMPLES;
  const slab = Buffer.allocUnsafeSlow(size * AUDIO_RING);
  return Array.from({ length: AUDIO_RING }, (_, i) => slab.subarray(i * size, (i + 1) * size));
}

function random32(): number {
  return randomBytes(4).readUInt32BE(0);
}

/** The embedded RtpLeg (see RtpLeg in types.ts for the events). */
export class UdpRtpLeg extends EventEmitter implements RtpLeg {
  readonly id: string;
  readonly localAddress: string;
  readonly localPort: number;
  private codecName: CodecName;
  private pt: number;
  private readonly rtp: Socket;
  private readonly rtcp: Socket;
  /** Where packets go: the SDP address until the receiver latches the peer, then the latched address. */
  private remote: Peer | null = null;
  /** The last address setRemote gave (null: 0.0.0.0 or port 0, send nothing even to a latched peer). */
  private sdpRemote: Peer | null = null;
  private sdpHold = false;
  private source: FrameSource | null = null;
  private direction: MediaDirection = 'sendrecv';
  private readonly ssrc = random32();
  private seq = random32() & 0xffff;
  private ts = random32();
  private marker = true;
  private closed = false;
  private timedOut = false;
  private readonly mediaTimeoutMs: number;
  private readonly conn: SendConnection;
  private readonly te = new TelephoneEventSender();
  private readonly inbandTx = new InbandDtmfSender();
  private readonly rx: RtpReceiver;
  private readonly sent: Omit<SendStats, 'connects' | 'connectErrors'> = {
    packets: 0,
    bytes: 0,
    payloadOctets: 0,
    rtcpPackets: 0,
    dtmfPackets: 0,
    errors: 0,
  };
  private readonly rtcpEvery: number;
  private rtcpTicks: number;
  private readonly reporter: RtcpReporter;
  private readonly silence = new Uint8Array(FRAME_SAMPLES);
  /** The audio packet, rewritten in place every tick (header and payload). */
  private audioRing = newAudioRing();
  private audioSlot = 0;

  constructor(
    pair: BoundPair,
    private readonly host: LegHost,
    opts: RtpLegOptions = {},
  ) {
    super();
    this.id = `rtp-${++legCounter}-${pair.port}`;
    this.rtp = pair.rtp;
    this.rtcp = pair.rtcp;
    this.localAddress = opts.localAddress ?? pair.rtp.address().address;
    this.localPort = pair.port;
    this.codecName = opts.codec ?? 'PCMU';
    this.pt = STATIC_PT[this.codecName];
    this.silence.fill(SILENCE_BYTE[this.codecName]);
    this.mediaTimeoutMs = opts.mediaTimeoutMs ?? 0;
    this.conn = new SendConnection(pair.rtp, opts.connectedSend ?? true);
    this.rtcpEvery = Math.round((opts.rtcpIntervalMs ?? 5000) / 20);
    // Start at a random point of the interval so thousands of legs do not report in the same tick (§6.2).
    this.rtcpTicks = Math.floor(Math.random() * Math.max(1, this.rtcpEvery));
    this.reporter = new RtcpReporter(`callflow-${this.ssrc.toString(16)}@${this.localAddress}`);
    this.rx = new RtpReceiver(
      {
        learned: (address, port) => {
          const r = this.remote;
          // The SDP said send nothing (RFC 3264 §8.4 hold, or a rejected stream): a talking peer changes nothing.
          if (!this.sdpHold && (!r || r.address !== address || r.port !== port))
            this.remote = { address, port };
          this.syncConnection(performance.now());
        },
        audio: (pcm: Int16Array, info: AudioInfo) => this.emit('audio', pcm, info),
        rtp: (pkt: RtpPacket) => this.emit('rtp', pkt),
        dtmf: (e: DtmfEvent) => this.emit('dtmf', e),
        wantsAudio: () => this.listenerCount('audio') > 0,
        wantsRtp: () => this.listenerCount('rtp') > 0,
      },
      performance.now(),
    );
    this.rx.telephoneEventPt = opts.telephoneEventPt;
    this.rx.setInband(opts.inbandDtmf ?? false);
    this.rtp.on('message', (msg: Buffer, rinfo: { address: string; port: number }) => {
      try {
        if (!this.closed)
          this.rx.onDatagram(msg, rinfo.address, rinfo.port, performance.now(), this.receiving);
      } catch {
        // A listener's fault must not take the socket down; the packet is simply lost.
      }
    });
    this.rtcp.on('message', () => {
      this.rx.stats.rtcp++;
    });
    this.rtp.on('error', () => {
      this.sent.errors++;
      this.conn.socketError(performance.now());
    });
    this.rtcp.on('error', () => undefined);
    host.pacer.add(this);
  }

  /** The negotiated codec. */
  get codec(): CodecName {
    return this.codecName;
  }

  /** Payload type used for telephone-event, if the peer supports it. */
  get telephoneEventPt(): number | undefined {
    return this.rx.telephoneEventPt;
  }

  /** Current media direction. */
  get mediaDirection(): MediaDirection {
    return this.direction;
  }

  /** Where packets go (from SDP or learned from the peer). */
  get remoteAddress(): { address: string; port: number } | null {
    return this.remote;
  }

  /** Whether the RTP socket is currently connect()ed to the latched peer. */
  get sendsConnected(): boolean {
    return this.conn.target !== null;
  }

  /** The SSRC this leg sends with. */
  get localSsrc(): number {
    return this.ssrc;
  }

  private get receiving(): boolean {
    return this.direction === 'sendrecv' || this.direction === 'recvonly';
  }

  private get sending(): boolean {
    return this.direction === 'sendrecv' || this.direction === 'sendonly';
  }

  /** Apply the outcome of SDP negotiation (codec and telephone-event payload type). */
  configure(c: { codec?: CodecName; telephoneEventPt?: number | undefined; inbandDtmf?: boolean }): void {
    if (c.codec) {
      this.codecName = c.codec;
      this.pt = STATIC_PT[c.codec];
      this.silence.fill(SILENCE_BYTE[c.codec]);
    }
    if ('telephoneEventPt' in c) this.rx.telephoneEventPt = c.telephoneEventPt;
    if (c.inbandDtmf !== undefined) this.rx.setInband(c.inbandDtmf);
  }

  /**
   * A new SDP address (RFC 3264 §8). Unchanged from the last one (a session refresh, a repeated answer): the
   * latched peer, and the connection to it, stay. Otherwise the latch is dropped and the socket disconnected;
   * packets go to the SDP address until the peer's first packet latches it again.
   */
  setRemote(address: string, port: number): void {
    // 0.0.0.0 (RFC 2543 hold) or port 0 (stream rejected): nowhere to send.
    const none = address === '0.0.0.0' || address === '::' || port <= 0;
    const prev = this.sdpRemote;
    const same = !none && prev !== null && prev.address === address && prev.port === port;
    this.sdpRemote = none ? null : { address, port };
    this.sdpHold = none;
    this.conn.reset();
    if (!same || this.rx.latchedAt === -Infinity) {
      this.remote = this.sdpRemote;
      this.rx.unlatch();
    }
    this.syncConnection(performance.now());
  }

  /** Connected to the remote while it is the live latched peer and we send (see connected-send.ts). */
  private syncConnection(now: number): void {
    if (!this.conn.enabled) return;
    this.conn.update(this.sending && !this.closed ? this.remote : null, this.rx.latchedAt, now);
  }

  setSource(src: FrameSource | null): void {
    this.source = src;
  }

  sendDtmf(digits: string, opts: SendDtmfOptions = {}): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.rx.telephoneEventPt !== undefined
      ? this.te.send(digits, opts)
      : this.inbandTx.send(digits, opts);
  }

  setDirection(dir: MediaDirection): void {
    if (dir === this.direction) return;
    const wasReceiving = this.receiving;
    this.direction = dir;
    if (this.sending) this.marker = true;
    // Media timeout restarts when we begin listening again.
    if (this.receiving && !wasReceiving) this.rx.lastPacketAt = performance.now();
    this.syncConnection(performance.now());
  }

  /** Counters of this leg. */
  stats(): LegStats {
    return {
      sent: { ...this.sent, connects: this.conn.connects, connectErrors: this.conn.errors },
      received: { ...this.rx.stats },
    };
  }

  /** One pacer tick (public for the pacer; not for callers). */
  tick(scheduled: number): void {
    if (this.closed) return;
    // The packet first: digit and timeout listeners that housekeeping may run must not delay it.
    this.sendFrame();
    if (!this.closed) this.housekeeping(scheduled);
  }

  /** This tick's packet: the RFC 4733 event in progress, or the next audio frame (silence when idle). */
  private sendFrame(): void {
    const ts = this.ts;
    this.ts = (ts + FRAME_SAMPLES) >>> 0;
    const remote = this.sending ? this.remote : null;
    // Most ticks have no event to send: skip the sender then (it runs for every packet of every leg).
    const ev = this.te.idle ? null : this.te.tick(ts);
    if (ev === MUTE) return;
    if (ev) {
      if (!remote || this.rx.telephoneEventPt === undefined) return;
      const buf = Buffer.allocUnsafe(RTP_HEADER_SIZE + 4);
      writeRtpHeader(buf, this.rx.telephoneEventPt, ev.marker, this.nextSeq(), ev.ts, this.ssrc);
      writeTelephoneEvent(buf, RTP_HEADER_SIZE, ev.payload);
      this.sent.dtmfPackets++;
      this.transmit(buf, remote);
      return;
    }
    const frame = this.pull();
    if (!remote) {
      this.marker = true;
      return;
    }
    const buf = this.nextAudioBuffer();
    writeRtpHeader(buf, this.pt, this.marker, this.nextSeq(), ts, this.ssrc);
    this.marker = false;
    const n = frame ? encodeFrameInto(this.codecName, frame, buf, RTP_HEADER_SIZE) : 0;
    // A short frame (or none) is padded with silence rather than the previous packet's bytes.
    if (n === 0) buf.set(this.silence, RTP_HEADER_SIZE);
    else if (n < FRAME_SAMPLES) buf.set(this.silence.subarray(n), RTP_HEADER_SIZE + n);
    this.transmit(buf, remote);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.conn.close();
    this.host.pacer.remove(this);
    this.te.clear();
    this.inbandTx.clear();
    this.source = null;
    for (const s of [this.rtp, this.rtcp]) {
      try {
        s.close();
      } catch {
        // Already closed.
      }
    }
    this.host.released(this);
    this.emit('close');
  }

  private nextSeq(): number {
    const s = this.seq;
    this.seq = (s + 1) & 0xffff;
    return s;
  }

  private sendRtcp(): void {
    const remote = this.remote;
    if (!remote || remote.port >= 65535) return;
    const pkt = this.reporter.build(
      {
        ssrc: this.ssrc,
        rtpTs: this.ts,
        packets: this.sent.packets,
        octets: this.sent.payloadOctets,
        sending: this.sending,
      },
      this.receiving ? this.rx.reception() : null,
    );
    this.sent.rtcpPackets++;
    try {
      this.rtcp.send(pkt, remote.port + 1, remote.address);
    } catch {
      this.sent.errors++;
    }
  }

  private transmit(buf: Buffer, remote: { address: string; port: number }): void {
    this.sent.packets++;
    this.sent.bytes += buf.length;
    this.sent.payloadOctets += buf.length - RTP_HEADER_SIZE;
    try {
      // No callback: Node then completes a synchronous send without allocating a completion, and drops a
      // failed send's error silently. An ICMP port unreachable on the connected socket still surfaces, as the
      // 'error' event of the next receive (ECONNREFUSED), which makes the leg fall back to unconnected sends.
      if (this.conn.target === remote) this.rtp.send(buf);
      else this.rtp.send(buf, remote.port, remote.address);
    } catch {
      this.sent.errors++;
    }
  }

  /**
   * The buffer for this tick's audio packet, written in place. Loopback and idle NICs take a datagram at once
   * (libuv's try-send), but a send that had to queue still reads its buffer, so no buffer may be rewritten
   * before its send is done. The ring's slots come round every AUDIO_RING ticks, and at the start of each
   * round one look at the send queue (a native call, too dear per packet) replaces the whole ring if anything
   * is still queued: a queued send is then either done or its buffer no longer in the ring.
   */
  private nextAudioBuffer(): Buffer {
    if (this.audioSlot === 0) {
      try {
        if (this.rtp.getSendQueueCount() > 0) this.audioRing = newAudioRing();
      } catch {
        // A socket closed under us: the send fails and is counted in transmit.
      }
    }
    const buf = this.audioRing[this.audioSlot] as Buffer;
    this.audioSlot = (this.audioSlot + 1) % AUDIO_RING;
    return buf;
  }

  /** The next audio frame: in-band digits first, then the source; null means silence. */
  private pull(): Int16Array | null {
    const tone = this.inbandTx.idle ? null : this.inbandTx.next();
    if (tone) return tone;
    const src = this.source;
    if (!src) return null;
    const f = src.next();
    if (f === null) {
      if (this.source === src) this.source = null;
      this.emit('source-end');
    }
    return f;
  }

  private housekeeping(now: number): void {
    this.rx.poll(now);
    // Every tick: a latched peer silent for RELATCH_MS is let go, so the kernel lets a newcomer in.
    this.syncConnection(now);
    if (this.rtcpEvery > 0 && ++this.rtcpTicks >= this.rtcpEvery) {
      this.rtcpTicks = 0;
      this.sendRtcp();
    }
    if (this.mediaTimeoutMs <= 0 || !this.receiving) return;
    const silentFor = now - this.rx.lastPacketAt;
    if (silentFor < this.mediaTimeoutMs) this.timedOut = false;
    else if (!this.timedOut) {
      this.timedOut = true;
      this.emit('media-timeout');
    }
  }
}
