/** A paced in-memory AudioTap on real time, for running the Bots contract against real bot engines. */
import type { AudioTap, DigitEvent } from '../../src/ports/media.js';

type Queued = { kind: 'audio'; ms: number } | { kind: 'mark'; name: string };

/** The tap; `press` plays the caller pressing a key. */
export class RealTimeTap implements AudioTap {
  private readonly queue: Queued[] = [];
  private readonly dtmf = new Set<(e: DigitEvent) => void>();
  private readonly marks = new Set<(name: string) => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly sampleRate = 8000) {}

  onAudio(): () => void {
    return () => undefined;
  }
  onDtmf(fn: (e: DigitEvent) => void): () => void {
    this.dtmf.add(fn);
    return () => this.dtmf.delete(fn);
  }
  onMark(fn: (name: string) => void): () => void {
    this.marks.add(fn);
    return () => this.marks.delete(fn);
  }
  enqueue(pcm: Int16Array): void {
    this.queue.push({ kind: 'audio', ms: (pcm.length / this.sampleRate) * 1000 });
    this.pump();
  }
  mark(name: string): void {
    this.queue.push({ kind: 'mark', name });
    this.pump();
  }
  clear(): string[] {
    clearTimeout(this.timer);
    this.timer = undefined;
    const names = this.queue.filter((q): q is { kind: 'mark'; name: string } => q.kind === 'mark').map((q) => q.name);
    this.queue.length = 0;
    return names;
  }
  close(): void {
    this.clear();
    this.dtmf.clear();
    this.marks.clear();
  }
  press(digit: string): void {
    for (const fn of this.dtmf) fn({ digit, durationMs: 100, at: performance.now() });
  }
  private pump(): void {
    if (this.timer) return;
    const head = this.queue[0];
    if (!head) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.queue.shift();
        if (head.kind === 'mark') for (const fn of this.marks) fn(head.name);
        this.pump();
      },
      head.kind === 'audio' ? head.ms : 0,
    );
  }
}
