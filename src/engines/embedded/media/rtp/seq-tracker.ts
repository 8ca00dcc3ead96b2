/**
 * Receive-side sequence bookkeeping for one RTP source (after RFC 3550 Appendix A.1 and A.8): classifies each
 * packet as in order, duplicate, late (reordered behind newer audio) or a restart, and keeps loss and
 * interarrival-jitter figures. A big jump, or a marker bit on an older number, is a restart: SIPp's pcap replays
 * (and peers restarting a stream) reuse sequence numbers, and they must not be dropped as duplicates.
 */

/** How a packet relates to the ones seen before. */
export const SeqVerdict = {
  First: 'first',
  InOrder: 'in-order',
  Duplicate: 'duplicate',
  Late: 'late',
  Restart: 'restart',
} as const;
/** One verdict. */
export type SeqVerdict = (typeof SeqVerdict)[keyof typeof SeqVerdict];

/** Packets this far behind the highest sequence number count as reordered; further back is a restart. */
const MAX_MISORDER = 100;
/** Jumps ahead up to this many are losses; further is a restart (A.1's MAX_DROPOUT). */
const MAX_DROPOUT = 3000;
/** Recent sequence numbers remembered for duplicate detection (a power of two above MAX_MISORDER). */
const WINDOW = 128;

/** Counters exposed by the leg's stats. */
export interface SeqStats {
  received: number;
  lost: number;
  duplicates: number;
  late: number;
  restarts: number;
  /** RFC 3550 §6.4.1 interarrival jitter, in timestamp units. */
  jitter: number;
}

/** Sequence tracker for the latched source. */
export class SeqTracker {
  private maxSeq = -1;
  /** Sequence number wraps times 65536 (RFC 3550 A.1 `cycles`). */
  private cycles = 0;
  /** First sequence number of the current run (A.1 `base_seq`). */
  private baseSeq = 0;
  /** Slot seq % WINDOW holds the last sequence number received there (-1: none). */
  private readonly seen = new Int32Array(WINDOW).fill(-1);
  private transit: number | undefined;
  readonly stats: SeqStats = { received: 0, lost: 0, duplicates: 0, late: 0, restarts: 0, jitter: 0 };

  /** Classify `seq`; `marker` is the packet's marker bit. */
  check(seq: number, marker: boolean): SeqVerdict {
    const s = this.stats;
    if (this.maxSeq < 0) {
      this.reset(seq);
      s.received++;
      return SeqVerdict.First;
    }
    const delta = (seq - this.maxSeq) & 0xffff;
    if (delta === 0) {
      s.duplicates++;
      return SeqVerdict.Duplicate;
    }
    if (delta < MAX_DROPOUT) {
      s.received++;
      s.lost += delta - 1;
      if (seq < this.maxSeq) this.cycles += 0x10000;
      this.seen[seq & (WINDOW - 1)] = seq;
      this.maxSeq = seq;
      return SeqVerdict.InOrder;
    }
    const behind = 0x10000 - delta;
    if (behind <= MAX_MISORDER && !marker) {
      const slot = seq & (WINDOW - 1);
      if (this.seen[slot] === seq) {
        s.duplicates++;
        return SeqVerdict.Duplicate;
      }
      this.seen[slot] = seq;
      s.received++;
      if (s.lost > 0) s.lost--;
      s.late++;
      return SeqVerdict.Late;
    }
    s.restarts++;
    s.received++;
    this.reset(seq);
    return SeqVerdict.Restart;
  }

  /** Update the jitter estimate with a packet's RTP timestamp and its arrival in timestamp units. */
  arrival(rtpTs: number, arrivalUnits: number): void {
    const transit = arrivalUnits - rtpTs;
    if (this.transit !== undefined) {
      let d = Math.abs(transit - this.transit);
      // A timestamp wrap or restart would look like a huge jump; ignore it rather than poison the estimate.
      if (d > 0x7fffffff) d = 0;
      if (d < 8000 * 10) this.stats.jitter += (d - this.stats.jitter) / 16;
    }
    this.transit = transit;
  }

  /** Forget the source (SSRC change). */
  forget(): void {
    this.maxSeq = -1;
    this.cycles = 0;
    this.seen.fill(-1);
    this.transit = undefined;
  }

  /** Extended highest sequence number received (RFC 3550 §6.4.1); -1 before any packet. */
  get extendedMax(): number {
    return this.maxSeq < 0 ? -1 : this.cycles + this.maxSeq;
  }

  /** Packets expected since the current run began (A.3). */
  get expected(): number {
    return this.maxSeq < 0 ? 0 : this.cycles + this.maxSeq - this.baseSeq + 1;
  }

  private reset(seq: number): void {
    this.cycles = 0;
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.seen.fill(-1);
    this.seen[seq & (WINDOW - 1)] = seq;
    this.transit = undefined;
  }
}
