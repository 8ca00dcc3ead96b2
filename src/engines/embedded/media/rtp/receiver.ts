/**
 * The receive pipeline of one leg: validate (RFC 3550 §5.1 / RFC 5761 demux), latch to one SSRC and learn the
 * peer's address from it (symmetric RTP, RFC 4961), drop duplicates and late audio, decode G.711 into fresh
 * 20 ms PCM frames, and turn telephone-events (RFC 4733) or in-band tones (Goertzel) into digits.
 */
import { decodeInto } from '../codec/g711.js';
import { GoertzelDetector } from '../dtmf/goertzel.js';
import { TelephoneEventReceiver, type ReceivedDigit } from '../dtmf/rfc4733.js';
import {
  DtmfMode,
  FRAME_SAMPLES,
  SAMPLE_RATE,
  STATIC_PT,
  type AudioInfo,
  type CodecName,
  type DtmfEvent,
  type RtpPacket,
} from '../types.js';
import { isRtcp, parseRtp } from './packet.js';
import { SeqTracker, SeqVerdict, type SeqStats } from './seq-tracker.js';

/** RFC 3389 comfort noise: accepted and skipped. */
const PT_CN = 13;
/**
 * A different SSRC from another address takes over only after the latched one was silent this long. The leg's
 * connected send path (connected-send.ts) disconnects after the same silence, so the kernel lets the newcomer in.
 */
export const RELATCH_MS = 1000;

/** Receive counters of one leg. */
export interface ReceiveStats extends SeqStats {
  packets: number;
  bytes: number;
  invalid: number;
  rtcp: number;
  badPayloadType: number;
  foreignSsrc: number;
  ssrcChanges: number;
  remoteChanges: number;
  dtmf: number;
}

/** What the pipeline reports to its leg. */
export interface ReceiverSink {
  /** The peer's address as learned from its packets. */
  learned(address: string, port: number): void;
  audio(pcm: Int16Array, info: AudioInfo): void;
  rtp(pkt: RtpPacket): void;
  dtmf(e: DtmfEvent): void;
  /** Whether anyone consumes decoded audio (decoding is skipped otherwise). */
  wantsAudio(): boolean;
  wantsRtp(): boolean;
}

interface Latch {
  ssrc: number;
  address: string;
  port: number;
  lastAt: number;
}

/** Receive state of one leg. */
export class RtpReceiver {
  telephoneEventPt: number | undefined;
  private latch: Latch | null = null;
  private readonly seq = new SeqTracker();
  private readonly te: TelephoneEventReceiver;
  private inband: GoertzelDetector | null = null;
  private sawEvents = false;
  /** Partial frame for peers whose ptime is not 20 ms. */
  private partial: Int16Array | null = null;
  private partialLen = 0;
  private partialTs = 0;
  private readonly scratch = new Int16Array(1500);
  lastPacketAt: number;
  readonly stats: ReceiveStats;

  constructor(
    private readonly sink: ReceiverSink,
    now: number,
  ) {
    this.lastPacketAt = now;
    this.stats = Object.assign(this.seq.stats, {
      packets: 0,
      bytes: 0,
      invalid: 0,
      rtcp: 0,
      badPayloadType: 0,
      foreignSsrc: 0,
      ssrcChanges: 0,
      remoteChanges: 0,
      dtmf: 0,
    });
    this.te = new TelephoneEventReceiver((d) => this.digit(d, DtmfMode.Rfc4733));
  }

  /** Switch in-band detection on or off. */
  setInband(on: boolean): void {
    if (on && !this.inband) {
      this.inband = new GoertzelDetector((d) => {
        const det = this.inband;
        const backMs = det ? ((det.position - d.startSample) * 1000) / SAMPLE_RATE : 0;
        this.digit(
          { digit: d.digit, durationMs: d.durationMs, at: performance.now() - backMs },
          DtmfMode.Inband,
        );
      });
    } else if (!on) this.inband = null;
  }

  /** performance.now() ms of the latched source's last accepted packet; -Infinity when nothing is latched. */
  get latchedAt(): number {
    return this.latch ? this.latch.lastAt : -Infinity;
  }

  /** Forget the latched source (new remote from SDP). */
  unlatch(): void {
    this.latch = null;
    this.seq.forget();
  }

  /** What an RTCP report block needs about the latched source (RFC 3550 §6.4.1); null before any packet. */
  reception(): {
    ssrc: number;
    extendedMax: number;
    expected: number;
    received: number;
    jitter: number;
  } | null {
    const l = this.latch;
    if (!l || this.seq.extendedMax < 0) return null;
    return {
      ssrc: l.ssrc,
      extendedMax: this.seq.extendedMax,
      expected: this.seq.expected,
      received: this.stats.received,
      jitter: this.stats.jitter,
    };
  }

  /** Periodic housekeeping from the pacer tick. */
  poll(now: number): void {
    this.te.poll(now);
  }

  /** Handle one datagram; `receiving` false (hold) still learns the address but delivers nothing. */
  onDatagram(msg: Buffer, address: string, port: number, now: number, receiving: boolean): void {
    const s = this.stats;
    if (isRtcp(msg)) {
      s.rtcp++;
      return;
    }
    const pkt = parseRtp(msg);
    if (!pkt) {
      s.invalid++;
      return;
    }
    const pt = pkt.payloadType;
    const isEvent = pt === this.telephoneEventPt;
    if (!isEvent && pt !== STATIC_PT.PCMU && pt !== STATIC_PT.PCMA && pt !== PT_CN) {
      s.badPayloadType++;
      return;
    }
    if (!this.accept(pkt.ssrc, address, port, now)) return;
    s.packets++;
    s.bytes += msg.length;
    this.lastPacketAt = now;
    if (!receiving) return;
    const verdict = this.seq.check(pkt.sequence, pkt.marker);
    if (isEvent) {
      // Repeats are the protocol's redundancy (RFC 4733 §2.5.1): the event state machine de-duplicates them.
      this.sawEvents = true;
      this.te.onPacket(pkt.timestamp, pkt.marker, pkt.payload, now);
      return;
    }
    if (verdict === SeqVerdict.Duplicate || verdict === SeqVerdict.Late) return;
    this.seq.arrival(pkt.timestamp, now * (SAMPLE_RATE / 1000));
    if (this.sink.wantsRtp()) this.sink.rtp(pkt);
    if (pt === PT_CN) return;
    if (!this.sink.wantsAudio() && !this.inband) return;
    this.decode(pt === STATIC_PT.PCMA ? 'PCMA' : 'PCMU', pkt, now);
  }

  private accept(ssrc: number, address: string, port: number, now: number): boolean {
    const l = this.latch;
    const s = this.stats;
    if (!l) {
      this.latch = { ssrc, address, port, lastAt: now };
      this.sink.learned(address, port);
      return true;
    }
    const sameAddr = l.address === address && l.port === port;
    if (ssrc !== l.ssrc) {
      // Another source: the peer restarted its stream (same address) or the latched one went away.
      if (!sameAddr && now - l.lastAt < RELATCH_MS) {
        s.foreignSsrc++;
        return false;
      }
      s.ssrcChanges++;
      this.seq.forget();
      l.ssrc = ssrc;
    }
    // Before `learned`: the sink decides from latchedAt whether the source is live.
    l.lastAt = now;
    if (!sameAddr) {
      // NAT rebinding of the latched source: follow it.
      s.remoteChanges++;
      l.address = address;
      l.port = port;
      this.sink.learned(address, port);
    }
    return true;
  }

  private decode(codec: CodecName, pkt: RtpPacket, now: number): void {
    const bytes = pkt.payload;
    if (bytes.length === FRAME_SAMPLES && this.partialLen === 0) {
      const pcm = new Int16Array(FRAME_SAMPLES);
      decodeInto(codec, bytes, pcm);
      this.deliver(pcm, pkt.sequence, pkt.timestamp, now);
      return;
    }
    const n = decodeInto(codec, bytes, this.scratch);
    let off = 0;
    while (off < n) {
      if (!this.partial || this.partialLen === 0) {
        this.partial = new Int16Array(FRAME_SAMPLES);
        this.partialTs = (pkt.timestamp + off) >>> 0;
      }
      const take = Math.min(FRAME_SAMPLES - this.partialLen, n - off);
      this.partial.set(this.scratch.subarray(off, off + take), this.partialLen);
      this.partialLen += take;
      off += take;
      if (this.partialLen === FRAME_SAMPLES) {
        const frame = this.partial;
        this.partial = null;
        this.partialLen = 0;
        this.deliver(frame, pkt.sequence, this.partialTs, now);
      }
    }
  }

  private deliver(pcm: Int16Array, seq: number, ts: number, now: number): void {
    // A peer that speaks RFC 4733 also leaves its tones in the audio sometimes: one transport only.
    if (this.inband && !this.sawEvents) this.inband.push(pcm);
    this.sink.audio(pcm, { seq, ts, arrival: now });
  }

  private digit(d: ReceivedDigit, mode: DtmfMode): void {
    this.stats.dtmf++;
    this.sink.dtmf({ digit: d.digit, durationMs: d.durationMs, at: d.at, mode });
  }
}
