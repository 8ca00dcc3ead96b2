/**
 * Records a feed of 20 ms frames to a WAV file, stopping on max duration, sustained silence, an explicit stop,
 * an abort signal or the feed's end. Frame-counted, so the file length matches the audio actually received.
 */
import { FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE, rms } from '../play/pcm.js';
import { WavWriter } from './wav-writer.js';

/** Why a recording stopped. */
export const RECORD_END = {
  maxDuration: 'max-duration',
  silence: 'silence',
  terminator: 'terminator',
  hangup: 'hangup',
  aborted: 'aborted',
  stopped: 'stopped',
  error: 'error',
} as const;
/** Why a recording stopped. */
export type RecordEndReason = (typeof RECORD_END)[keyof typeof RECORD_END];

/** The outcome of a recording. */
export interface RecordResult {
  file: string;
  durationMs: number;
  reason: RecordEndReason;
  /** Set when reason is 'error'. */
  error?: string;
}

/** Subscribes a frame callback; returns the unsubscribe function. */
export type FrameFeed = (push: (pcm: Int16Array) => void, ended: (reason: RecordEndReason) => void) => () => void;

/** Recording limits. */
export interface RecorderOptions {
  /** Maximum length of audio written (default 1 hour). */
  maxDurationMs?: number;
  /** Stop after this much continuous silence (off when omitted). */
  silenceMs?: number;
  /** RMS level under which a frame counts as silence (default 300, about -41 dBFS). */
  silenceThreshold?: number;
  signal?: AbortSignal;
}

/** A running recording. `done` resolves once the file is closed; it never rejects. */
export class Recorder {
  readonly done: Promise<RecordResult>;
  private resolveDone!: (r: RecordResult) => void;
  private stopped = false;
  private silentFrames = 0;
  private readonly maxSamples: number;
  private readonly silenceFrames: number;
  private readonly threshold: number;
  private unsubscribe: () => void = () => undefined;
  private backstop: NodeJS.Timeout | undefined;
  private readonly onAbort = (): void => void this.stop(RECORD_END.aborted);

  private constructor(readonly file: string, private readonly writer: WavWriter, private readonly opts: RecorderOptions) {
    this.done = new Promise((r) => (this.resolveDone = r));
    this.maxSamples = Math.round(((opts.maxDurationMs ?? 3_600_000) * SAMPLE_RATE) / 1000);
    this.silenceFrames = opts.silenceMs ? Math.max(1, Math.round(opts.silenceMs / FRAME_MS)) : Infinity;
    this.threshold = opts.silenceThreshold ?? 300;
  }

  /** Open `file` and start taking frames from `feed`. */
  static async start(file: string, feed: FrameFeed, opts: RecorderOptions = {}): Promise<Recorder> {
    const writer = await WavWriter.create(file, SAMPLE_RATE);
    const rec = new Recorder(file, writer, opts);
    if (opts.signal?.aborted) {
      void rec.stop(RECORD_END.aborted);
      return rec;
    }
    opts.signal?.addEventListener('abort', rec.onAbort, { once: true });
    rec.unsubscribe = feed(
      (pcm) => rec.push(pcm),
      (reason) => void rec.stop(reason),
    );
    // If the feed goes quiet (no RTP at all), still end near the maximum duration.
    const max = opts.maxDurationMs ?? 3_600_000;
    rec.backstop = setTimeout(() => void rec.stop(RECORD_END.maxDuration), max + 2000);
    rec.backstop.unref?.();
    return rec;
  }

  /** Samples written so far. */
  get samples(): number {
    return this.writer.samples;
  }

  /** Take one frame (normally from the feed). */
  push(pcm: Int16Array): void {
    if (this.stopped) return;
    const room = this.maxSamples - this.writer.samples;
    const part = pcm.length > room ? pcm.subarray(0, room) : pcm;
    this.writer.write(part);
    if (this.writer.samples >= this.maxSamples) {
      void this.stop(RECORD_END.maxDuration);
      return;
    }
    if (this.silenceFrames !== Infinity) {
      this.silentFrames = rms(pcm) < this.threshold ? this.silentFrames + Math.max(1, pcm.length / FRAME_SAMPLES) : 0;
      if (this.silentFrames >= this.silenceFrames) void this.stop(RECORD_END.silence);
    }
  }

  /** Stop (idempotent) and close the file; resolves with the result. */
  stop(reason: RecordEndReason = RECORD_END.stopped): Promise<RecordResult> {
    if (this.stopped) return this.done;
    this.stopped = true;
    this.unsubscribe();
    clearTimeout(this.backstop);
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    this.writer.close().then(
      (samples) => this.resolveDone({ file: this.file, durationMs: Math.round((samples * 1000) / SAMPLE_RATE), reason }),
      (err: unknown) =>
        this.resolveDone({ file: this.file, durationMs: Math.round((this.writer.samples * 1000) / SAMPLE_RATE), reason: RECORD_END.error, error: String(err) }),
    );
    return this.done;
  }
}
