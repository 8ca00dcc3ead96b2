/**
 * Media: what a step can do with a call's audio. Shaped like a drachtio-fsmrf endpoint (play, playCollect,
 * say, record, join a conference, fork audio) so the FreeSWITCH engine is a thin adapter too.
 */
import type { CallLeg } from './call-control.js';

/** Something to play. Files are WAV or raw G.711 (.ulaw/.alaw); `say` uses text-to-speech. */
export type PlayItem =
  | { kind: 'file'; path: string }
  | { kind: 'say'; text: string; voice?: string }
  | { kind: 'tone'; name: 'ringback' | 'busy' | 'beep' | 'dial' }
  | { kind: 'silence'; ms: number };

/** How a playback ended. */
export interface PlayResult {
  reason: 'done' | 'barge-in';
  /** The digit that interrupted (barge-in). */
  digit?: string;
}

/** Options for collecting digits. */
export interface CollectOptions {
  prompt?: PlayItem[];
  /** Stop the prompt on the first digit (default true). */
  bargeIn?: boolean;
  minDigits: number;
  maxDigits: number;
  /** Digits that end collection early; not included in the result. */
  terminators: string;
  firstDigitTimeoutMs: number;
  interDigitTimeoutMs: number;
}

/** The result of collecting digits. */
export interface CollectResult {
  digits: string;
  /** complete: max digits reached; terminator: a terminator was pressed; timeout: a timer fired first. */
  reason: 'complete' | 'terminator' | 'timeout';
  terminator?: string;
}

/** Options for recording. */
export interface RecordOptions {
  file: string;
  maxDurationMs: number;
  silenceTimeoutMs?: number;
  mode: 'caller' | 'mixed';
  terminators: string;
  beep: boolean;
}

/** A digit pressed on a call. */
export interface DigitEvent {
  digit: string;
  durationMs: number;
  /** Monotonic ms when it started. */
  at: number;
}

/**
 * A call's audio for a bot: caller audio out, bot audio in, with marks and clear.
 * PCM is 16-bit signed, mono, at `sampleRate` (8000 unless asked otherwise).
 */
export interface AudioTap {
  readonly sampleRate: number;
  /** Caller audio frames as they arrive (20 ms each at the tap's rate); returns an unsubscribe function. */
  onAudio(fn: (pcm: Int16Array, timestampMs: number) => void): () => void;
  /** Digits pressed by the caller. */
  onDtmf(fn: (e: DigitEvent) => void): () => void;
  /** Queue audio of any length to play to the caller, paced at 20 ms. */
  enqueue(pcm: Int16Array): void;
  /** Queue a mark: `onMark` fires with its name once the audio queued before it has been sent to the caller. */
  mark(name: string): void;
  onMark(fn: (name: string) => void): () => void;
  /** Drop queued audio at once; returns the names of marks that were pending (dropped, in order). */
  clear(): string[];
  close(): void;
}

/** Media operations on a call leg. All are cancellable and clean up after themselves. */
export interface Media {
  play(leg: CallLeg, items: PlayItem[], opts: { bargeIn: boolean; loop?: number }, signal?: AbortSignal): Promise<PlayResult>;
  /** Wait for one digit (optionally restricted to `accept`); null on timeout. */
  waitForDigit(leg: CallLeg, opts: { accept?: string; timeoutMs: number }, signal?: AbortSignal): Promise<DigitEvent | null>;
  collect(leg: CallLeg, opts: CollectOptions, signal?: AbortSignal): Promise<CollectResult>;
  record(leg: CallLeg, opts: RecordOptions, signal?: AbortSignal): Promise<{ file: string; durationMs: number; reason: 'max-duration' | 'silence' | 'terminator' | 'hangup' | 'aborted' }>;
  /** Join a channel (room); resolves when the leg leaves it (kicked, ended) or the signal aborts. */
  joinChannel(leg: CallLeg, channel: string, opts: { muted: boolean; beep: boolean }, signal?: AbortSignal): Promise<'left' | 'ended'>;
  /** Remove every member of a channel (e.g. when its session is cancelled). Returns how many left. */
  kickChannel(channel: string): Promise<number>;
  /** Open an audio tap on the leg for a bot. */
  tap(leg: CallLeg, opts: { sampleRate: 8000 | 16000 | 24000 }): AudioTap;
  /** Subscribe to digits pressed on the leg outside of any collect (for traces and bots). */
  onDigit(leg: CallLeg, fn: (e: DigitEvent) => void): () => void;
}
