/**
 * An audio tap for bots on one leg: received audio out as timestamped PCM frames, and a playout queue in,
 * re-chunked into 20 ms frames for the pacer, with marks that fire only once the audio queued before them
 * has been sent, and clear() that drops queued audio immediately and hands back the pending marks (after
 * firing those whose audio had all been sent already).
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { FRAME_SAMPLES, SAMPLE_RATE, SILENCE_FRAME, type FrameSource, type LegDtmf, type LegLike } from '../play/pcm.js';
import { StreamResampler } from './stream-resample.js';

/** A received frame. */
export interface TapFrame {
  pcm: Int16Array;
  /** Monotonic ms (performance.now()) of arrival. */
  timestampMs: number;
}

/** Tap options. */
export interface TapOptions {
  /** Rate of the PCM the bot sends and receives (8000 by default; 16000 and 24000 are resampled). */
  sampleRate?: 8000 | 16000 | 24000;
  /** Where the playout goes (default: the leg's source). */
  setOutput?: (src: FrameSource | null) => void;
  /** Longest playout queue kept, in ms; older audio is dropped beyond it (default 5 minutes). */
  maxQueueMs?: number;
}

interface PendingMark {
  name: string;
  /** Absolute 8 kHz sample position: the mark fires once this many samples have been sent. */
  at: number;
}

/** Iterator buffer bound, so an unread iterator cannot grow without limit (about 10 s). */
const ITER_MAX = 500;

/**
 * Events: 'dtmf' (event), 'mark' (name), 'close'. Received audio goes to onAudio() subscribers, called
 * directly rather than through EventEmitter (50 frames a second per call; emit's generic property lookups
 * were a measurable share of the bot-streaming hot path).
 */
export class AudioTap extends EventEmitter {
  readonly sampleRate: number;
  /** The tap's playout as a frame source (what the pacer pulls). */
  readonly source: FrameSource;
  private chunks: Int16Array[] = [];
  private head = 0;
  private queued = 0;
  private enqueuedTotal = 0;
  private sentTotal = 0;
  private marks: PendingMark[] = [];
  /** Copy-on-write, so a subscriber may unsubscribe (or subscribe) while frames are being handed out. */
  private audioFns: ReadonlyArray<(pcm: Int16Array, timestampMs: number) => void> = [];
  private closed = false;
  private readonly up: StreamResampler | null;
  private readonly down: StreamResampler | null;
  private readonly maxQueue: number;
  private readonly setOutput: (src: FrameSource | null) => void;
  private readonly detach: () => void;

  constructor(readonly leg: LegLike, opts: TapOptions = {}) {
    super();
    this.sampleRate = opts.sampleRate ?? SAMPLE_RATE;
    this.up = this.sampleRate === SAMPLE_RATE ? null : new StreamResampler(SAMPLE_RATE, this.sampleRate);
    this.down = this.sampleRate === SAMPLE_RATE ? null : new StreamResampler(this.sampleRate, SAMPLE_RATE);
    this.maxQueue = ((opts.maxQueueMs ?? 300_000) * SAMPLE_RATE) / 1000;
    this.setOutput = opts.setOutput ?? ((src) => leg.setSource(src));
    this.source = { next: () => this.pull() };
    const onAudio = (pcm: Int16Array, info?: { arrival?: number }): void => {
      const fns = this.audioFns;
      // The resampler sees every frame, subscribed or not, so its filter state stays continuous.
      const out = this.up ? this.up.process(pcm) : pcm;
      const at = info?.arrival ?? performance.now();
      for (let i = 0; i < fns.length; i++) (fns[i] as (pcm: Int16Array, timestampMs: number) => void)(out, at);
    };
    const onDtmf = (e: LegDtmf): void => void this.emit('dtmf', e);
    const onClose = (): void => this.close();
    leg.on('audio', onAudio);
    leg.on('dtmf', onDtmf);
    leg.once('close', onClose);
    this.detach = () => {
      leg.off('audio', onAudio);
      leg.off('dtmf', onDtmf);
      leg.off('close', onClose);
    };
    this.setOutput(this.source);
  }

  /** Milliseconds of audio waiting to be sent. */
  get queuedMs(): number {
    return (this.queued * 1000) / SAMPLE_RATE;
  }

  /** Subscribe to received frames; returns unsubscribe. */
  onAudio(fn: (pcm: Int16Array, timestampMs: number) => void): () => void {
    this.audioFns = [...this.audioFns, fn];
    let on = true;
    return () => {
      if (!on) return;
      on = false;
      const i = this.audioFns.indexOf(fn);
      if (i >= 0) this.audioFns = [...this.audioFns.slice(0, i), ...this.audioFns.slice(i + 1)];
    };
  }

  /** Subscribe to digits; returns unsubscribe. */
  onDtmf(fn: (e: LegDtmf) => void): () => void {
    this.on('dtmf', fn);
    return () => this.off('dtmf', fn);
  }

  /** Subscribe to played marks; returns unsubscribe. */
  onMark(fn: (name: string) => void): () => void {
    this.on('mark', fn);
    return () => this.off('mark', fn);
  }

  /** Received frames as an async iterator (ends when the tap closes). */
  async *frames(): AsyncGenerator<TapFrame> {
    const buf: TapFrame[] = [];
    let wake: (() => void) | null = null;
    const off = this.onAudio((pcm, timestampMs) => {
      if (buf.length >= ITER_MAX) buf.shift();
      buf.push({ pcm, timestampMs });
      wake?.();
    });
    const onClose = (): void => wake?.();
    this.once('close', onClose);
    try {
      while (true) {
        const f = buf.shift();
        if (f) yield f;
        else if (this.closed) return;
        else await new Promise<void>((r) => (wake = r));
        wake = null;
      }
    } finally {
      off();
      this.off('close', onClose);
    }
  }

  /** Queue audio of any length at the tap's rate. */
  enqueue(pcm: Int16Array): void {
    if (this.closed || pcm.length === 0) return;
    const s = this.down ? this.down.process(pcm) : pcm.slice();
    if (s.length === 0) return;
    this.chunks.push(s);
    this.queued += s.length;
    this.enqueuedTotal += s.length;
    while (this.queued > this.maxQueue && this.chunks.length > 1) this.dropChunk();
  }

  /** Queue a mark after the audio queued so far. */
  mark(name: string): void {
    if (this.closed) return;
    this.marks.push({ name, at: this.enqueuedTotal });
  }

  /**
   * Drop all queued audio now; returns the names of the pending marks (which will not fire). Marks whose audio
   * has all been sent, and which would fire on the next pull, fire first: that audio was played, and a
   * protocol that drops pending marks on clear (Exotel) must not lose them.
   */
  clear(): string[] {
    this.fireDueMarks();
    return this.drop();
  }

  /** Drop queued audio and marks; returns the marks' names. */
  private drop(): string[] {
    const names = this.marks.map((m) => m.name);
    this.marks = [];
    this.chunks = [];
    this.head = 0;
    this.sentTotal += this.queued;
    this.queued = 0;
    return names;
  }

  /** Stop the tap: its output is released and listeners removed. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.drop();
    this.detach();
    this.setOutput(null);
    this.emit('close');
  }

  /** Fire, in order, the marks whose audio has all been sent. */
  private fireDueMarks(): void {
    while (this.marks.length > 0 && (this.marks[0] as PendingMark).at <= this.sentTotal) {
      const m = this.marks.shift() as PendingMark;
      this.emit('mark', m.name);
    }
  }

  private dropChunk(): void {
    const c = this.chunks.shift();
    if (!c) return;
    const n = c.length - this.head;
    this.head = 0;
    this.queued -= n;
    this.sentTotal += n;
  }

  /**
   * One pacer pull. Marks fire on the pull after their audio's last frame, when that frame has been sent
   * and its 20 ms have elapsed at the far end.
   */
  private pull(): Int16Array {
    this.fireDueMarks();
    if (this.queued === 0) return SILENCE_FRAME;
    // Bots usually send whole 20 ms frames: hand over our own copy (made by enqueue) instead of re-chunking.
    const first = this.chunks[0] as Int16Array;
    if (this.head === 0 && first.length === FRAME_SAMPLES) {
      this.chunks.shift();
      this.queued -= FRAME_SAMPLES;
      this.sentTotal += FRAME_SAMPLES;
      return first;
    }
    const frame = new Int16Array(FRAME_SAMPLES);
    let filled = 0;
    while (filled < FRAME_SAMPLES && this.chunks.length > 0) {
      const c = this.chunks[0] as Int16Array;
      const take = Math.min(FRAME_SAMPLES - filled, c.length - this.head);
      frame.set(c.subarray(this.head, this.head + take), filled);
      filled += take;
      this.head += take;
      if (this.head >= c.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    this.queued -= filled;
    this.sentTotal += filled;
    return frame;
  }
}
