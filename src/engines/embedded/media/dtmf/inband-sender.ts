/**
 * In-band DTMF send for peers without telephone-event (RFC 4733 §1 leaves them to audio): queued digit tones
 * that override the leg's audio source while they play.
 */
import { dtmfTones } from '../play/tones.js';
import type { FrameSource } from '../types.js';
import { DTMF_DEFAULTS } from './te-sender.js';

interface Job {
  src: FrameSource;
  resolve: () => void;
  signal?: AbortSignal;
}

/** Queue of in-band digit tones. */
export class InbandDtmfSender {
  private readonly jobs: Job[] = [];

  /** Queue `digits`; resolves once they have played (or were aborted / cleared). */
  send(
    digits: string,
    opts: { durationMs?: number; gapMs?: number; signal?: AbortSignal } = {},
  ): Promise<void> {
    if (opts.signal?.aborted) return Promise.resolve();
    const src = dtmfTones(
      digits,
      Math.max(40, opts.durationMs ?? DTMF_DEFAULTS.durationMs),
      Math.max(40, opts.gapMs ?? DTMF_DEFAULTS.gapMs),
    );
    return new Promise((resolve) => this.jobs.push({ src, resolve, signal: opts.signal }));
  }

  /** True when no digit is queued. */
  get idle(): boolean {
    return this.jobs.length === 0;
  }

  /** The next tone frame, or null when there is nothing to play (the leg plays its source). */
  next(): Int16Array | null {
    for (;;) {
      const job = this.jobs[0];
      if (!job) return null;
      const f = job.signal?.aborted ? null : job.src.next();
      if (f) return f;
      this.jobs.shift();
      job.resolve();
    }
  }

  /** Drop everything; pending promises resolve. */
  clear(): void {
    for (const j of this.jobs.splice(0)) j.resolve();
  }
}
