/**
 * A hand-driven AudioTap for protocol tests: the test pushes caller audio and digits, and decides when queued
 * bot audio counts as played (`play(frames)`), so mark ordering can be checked exactly. The paced, real tap
 * (media engine) is exercised by the end-to-end stream tests.
 */
import type { AudioTap, DigitEvent } from '../../src/ports/media.js';

type Item = { kind: 'audio'; pcm: Int16Array } | { kind: 'mark'; name: string };

/** The manual tap. */
export class ManualTap implements AudioTap {
  readonly sampleRate: number;
  private audioFns = new Set<(pcm: Int16Array, ts: number) => void>();
  private dtmfFns = new Set<(e: DigitEvent) => void>();
  private markFns = new Set<(name: string) => void>();
  private queue: Item[] = [];
  /** Every sample enqueued by the bot, in order. */
  readonly received: number[] = [];
  closed = false;

  constructor(sampleRate = 8000) {
    this.sampleRate = sampleRate;
  }

  onAudio(fn: (pcm: Int16Array, ts: number) => void): () => void {
    this.audioFns.add(fn);
    return () => this.audioFns.delete(fn);
  }
  onDtmf(fn: (e: DigitEvent) => void): () => void {
    this.dtmfFns.add(fn);
    return () => this.dtmfFns.delete(fn);
  }
  onMark(fn: (name: string) => void): () => void {
    this.markFns.add(fn);
    return () => this.markFns.delete(fn);
  }
  enqueue(pcm: Int16Array): void {
    this.queue.push({ kind: 'audio', pcm });
    for (const s of pcm) this.received.push(s);
  }
  mark(name: string): void {
    this.queue.push({ kind: 'mark', name });
  }
  clear(): string[] {
    const marks = this.queue.filter((i): i is { kind: 'mark'; name: string } => i.kind === 'mark').map((i) => i.name);
    this.queue = [];
    return marks;
  }
  close(): void {
    this.closed = true;
  }

  /** Caller audio arrives. */
  speak(pcm: Int16Array, ts = 0): void {
    for (const fn of this.audioFns) fn(pcm, ts);
  }
  /** The caller presses a digit. */
  press(digit: string, durationMs = 120): void {
    for (const fn of this.dtmfFns) fn({ digit, durationMs, at: performance.now() });
  }
  /** Everything queued so far has been played: fire the marks in order. */
  playAll(): void {
    const items = this.queue;
    this.queue = [];
    for (const i of items) if (i.kind === 'mark') for (const fn of this.markFns) fn(i.name);
  }
  /** Queued audio samples not yet played. */
  pendingSamples(): number {
    return this.queue.reduce((n, i) => n + (i.kind === 'audio' ? i.pcm.length : 0), 0);
  }
}
