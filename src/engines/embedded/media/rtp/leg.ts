/**
 * An RTP leg over a real UDP socket pair: the shared pacer pulls one 20 ms frame per tick from the leg's source
 * and sends it as G.711 (silence when idle, so NAT bindings and peers' media timers stay alive), or sends the
 * RFC 4733 event in progress instead; received packets go through RtpReceiver. Never throws from socket handlers.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SILENCE_BYTE, encodeInto } from '../codec/g711.js';
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
  errors: number;
}

/** Per-leg counters. */
export interface LegStats {
  sent: SendStats;
  received: ReceiveStats;
}

let legCounter = 0;

function newAudioBuffer(): Buffer {
  // Outside the shared pool: a standalone buffer that is overwritten each tick must not alias other data.
  return Buffer.allocUnsafeSlow(RTP_HEADER_SIZE + FRAME_SAMPLES);
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
  private remote: { address: string; port: number } | null = null;
  private source: FrameSource | null = null;
  private direction: MediaDirection = 'sendrecv';
  private readonly ssrc = random32();
  private seq = random32() & 0xffff;
  private ts = random32();
  private marker = true;
  private closed = false;
  private timedOut = false;
  private readonly mediaTimeoutMs: number;
  private readonly connectedSend: boolean;
  /** The remote the RTP socket is connect()ed to; sends then name no address. */
  private connectedTo: { address: string; port: number } | null = null;
  private readonly te = new TelephoneEventSender();
  private readonly inbandTx = new InbandDtmfSender();
  private readonly rx: RtpReceiver;
  private readonly sent: SendStats = {
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
  private audioBuf = newAudioBuffer();

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
    this.connectedSend = opts.connectedSend ?? false;
    this.rtcpEvery = Math.round((opts.rtcpIntervalMs ?? 5000) / 20);
    // Start at a random point of the interval so thousands of legs do not report in the same tick (§6.2).
    this.rtcpTicks = Math.floor(Math.random() * Math.max(1, this.rtcpEvery));
    this.reporter = new RtcpReporter(`callflow-${this.ssrc.toString(16)}@${this.localAddress}`);
    this.rx = new RtpReceiver(
      {
        learned: (address, port) => {
          this.remote = { address, port };
          this.syncConnection();
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
    this.rtp.on('error', () => this.sent.errors++);
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

  setRemote(address: string, port: number): void {
    // 0.0.0.0 (RFC 2543 hold) or port 0 (stream rejected): nowhere to send.
    this.remote = address === '0.0.0.0' || address === '::' || port <= 0 ? null : { address, port };
    this.rx.unlatch();
    this.syncConnection();
  }

  /** With connectedSend, keep the RTP socket connect()ed to the current remote (IP literals only). */
  private syncConnection(): void {
    if (!this.connectedSend || this.closed) return;
    const want = this.remote;
    const cur = this.connectedTo;
    if (cur && want && cur.address === want.address && cur.port === want.port) {
      // Same peer, new object (SDP repeated, or learned from its packets): transmit() compares by identity.
      this.connectedTo = want;
      return;
    }
    try {
      if (cur) {
        this.connectedTo = null;
        this.rtp.disconnect();
      }
      if (!want || isIP(want.address) === 0) return;
      // With an IP literal and the synchronous lookup the socket is connected when connect() returns;
      // remoteAddress() throws if it is not, and the leg then keeps sending with an address.
      this.rtp.connect(want.port, want.address);
      this.rtp.remoteAddress();
      this.connectedTo = want;
    } catch {
      this.sent.errors++;
    }
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
  }

  /** Counters of this leg. */
  stats(): LegStats {
    return { sent: { ...this.sent }, received: { ...this.rx.stats } };
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
    const ev = this.rx.telephoneEventPt !== undefined || !this.te.idle ? this.te.tick(ts) : null;
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
    const buf = this.audioBuf;
    writeRtpHeader(buf, this.pt, this.marker, this.nextSeq(), ts, this.ssrc);
    this.marker = false;
    const n = frame ? encodeInto(this.codecName, frame, buf, RTP_HEADER_SIZE) : 0;
    // A short frame (or none) is padded with silence rather than the previous packet's bytes.
    if (n === 0) buf.set(this.silence, RTP_HEADER_SIZE);
    else if (n < FRAME_SAMPLES) buf.set(this.silence.subarray(n), RTP_HEADER_SIZE + n);
    this.transmit(buf, remote);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
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
      // No callback: Node then completes a synchronous send without allocating a completion; failures
      // arrive as the socket's 'error' event, which counts them.
      if (this.connectedTo === remote) this.rtp.send(buf);
      else this.rtp.send(buf, remote.port, remote.address);
      // Loopback and idle NICs take the datagram at once (libuv's try-send); only a send that had to queue
      // still holds the buffer, and then the next audio packet needs a fresh one.
      if (buf === this.audioBuf && this.rtp.getSendQueueCount() > 0) this.audioBuf = newAudioBuffer();
    } catch {
      this.sent.errors++;
    }
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
