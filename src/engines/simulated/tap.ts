/**
 * A simulated audio tap: bot audio queued to the caller plays out in virtual time, and marks fire once the
 * audio queued before them has played. The simulated caller sends no audio frames (only digits), which keeps
 * a simulation cheap; bots that need caller audio are tested against the embedded engine.
 */
import type { CallLeg } from '../../ports/call-control.js';
import type { CancelTimer } from '../../ports/clock.js';
import type { AudioTap, DigitEvent } from '../../ports/media.js';
import type { SimWorld } from './world.js';

type Queued = { kind: 'audio'; ms: number } | { kind: 'mark'; name: string };

/** The tap. */
export class SimAudioTap implements AudioTap {
  private readonly queue: Queued[] = [];
  private readonly markFns = new Set<(name: string) => void>();
  private readonly offs: Array<() => void> = [];
  private cancelTimer: CancelTimer | undefined;
  private closed = false;
  /** Total ms of audio played out to the caller. */
  playedMs = 0;

  constructor(
    private readonly world: SimWorld,
    private readonly leg: CallLeg,
    readonly sampleRate: number,
  ) {
    world.active.taps++;
  }

  onAudio(): () => void {
    return () => undefined;
  }

  onDtmf(fn: (e: DigitEvent) => void): () => void {
    const audio = this.world.audioOf(this.leg.info.id);
    audio.observers.add(fn);
    const off = (): void => void audio.observers.delete(fn);
    this.offs.push(off);
    return off;
  }

  enqueue(pcm: Int16Array): void {
    if (this.closed) return;
    this.queue.push({ kind: 'audio', ms: Math.round((pcm.length / this.sampleRate) * 1000) });
    this.pump();
  }

  mark(name: string): void {
    if (this.closed) return;
    this.queue.push({ kind: 'mark', name });
    this.pump();
  }

  onMark(fn: (name: string) => void): () => void {
    this.markFns.add(fn);
    return () => this.markFns.delete(fn);
  }

  clear(): string[] {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    const marks = this.queue.filter((q): q is { kind: 'mark'; name: string } => q.kind === 'mark').map((q) => q.name);
    this.queue.length = 0;
    return marks;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clear();
    for (const off of this.offs) off();
    this.markFns.clear();
    this.world.active.taps--;
  }

  /** Play the head of the queue: audio takes its length in virtual time; a mark fires when reached. */
  private pump(): void {
    if (this.cancelTimer || this.closed) return;
    const head = this.queue[0];
    if (!head) return;
    this.cancelTimer = this.world.clock.setTimer(head.kind === 'audio' ? head.ms : 0, () => {
      this.cancelTimer = undefined;
      this.queue.shift();
      if (head.kind === 'audio') this.playedMs += head.ms;
      else for (const fn of this.markFns) fn(head.name);
      this.pump();
    });
  }
}
