/**
 * RFC 4733 send side, driven by the leg's 20 ms tick: the first packet carries the marker bit,
 * updates follow every 50 ms on average, and the end packet goes out three times (RFC 4733 §2.5.1), all
 * under the event's start timestamp. Digits queue; each sendDtmf call resolves when its digits are out.
 */
import { FRAME_SAMPLES, SAMPLE_RATE } from '../types.js';
import { digitToEvent, type TelephoneEvent } from './rfc4733.js';

/** Default tone length and inter-digit gap (ITU-T Q.24 asks for at least 40 ms each). */
export const DTMF_DEFAULTS = { durationMs: 100, gapMs: 60, volume: 10 } as const;

const UPDATE_MS = 50;

/** tick() result while an event is on but no packet is due. */
export const MUTE = 'mute' as const;
const END_REPEATS = 3;

/** One packet the leg must send this tick. */
export interface EventPacket {
  marker: boolean;
  /** The event's start timestamp. */
  ts: number;
  payload: TelephoneEvent;
}

interface Job {
  events: number[];
  durationSamples: number;
  gapSamples: number;
  resolve: () => void;
  signal?: AbortSignal;
}

interface Active {
  event: number;
  ts: number;
  /** Ticks served so far. */
  k: number;
  endsSent: number;
  lastUpdateMs: number;
}

/** Queue and pacing of outgoing telephone-events. */
export class TelephoneEventSender {
  private readonly jobs: Job[] = [];
  private active: Active | null = null;
  private gapLeft = 0;

  /** Queue `digits`; unknown characters are skipped. Resolves once sent (or aborted / cleared). */
  send(
    digits: string,
    opts: { durationMs?: number; gapMs?: number; signal?: AbortSignal } = {},
  ): Promise<void> {
    const events = [...digits].map(digitToEvent).filter((e): e is number => e !== undefined);
    if (events.length === 0 || opts.signal?.aborted) return Promise.resolve();
    // One segment only: the 16-bit duration field caps an event at 0xFFFF units (~8.2 s, RFC 4733 §2.5.1).
    const durationMs = Math.min(8000, Math.max(40, opts.durationMs ?? DTMF_DEFAULTS.durationMs));
    const gapMs = Math.max(0, opts.gapMs ?? DTMF_DEFAULTS.gapMs);
    return new Promise((resolve) => {
      this.jobs.push({
        events,
        durationSamples: Math.round((durationMs * SAMPLE_RATE) / 1000),
        gapSamples: Math.round((gapMs * SAMPLE_RATE) / 1000),
        resolve,
        signal: opts.signal,
      });
    });
  }

  /** True while an event is being sent (the leg sends no audio meanwhile: the event stands for the tone). */
  get busy(): boolean {
    return this.active !== null;
  }

  /** True when nothing is queued, in flight or in the gap after an event: tick() has nothing to do. */
  get idle(): boolean {
    return this.active === null && this.jobs.length === 0 && this.gapLeft === 0;
  }

  /**
   * One 20 ms tick at audio timestamp `ts`: a packet to send now, MUTE (an event is on but no update is due:
   * send nothing), or null (no event: send audio).
   */
  tick(ts: number): EventPacket | typeof MUTE | null {
    if (this.active) return this.step(this.active);
    if (this.gapLeft > 0) {
      this.gapLeft -= FRAME_SAMPLES;
      if (this.gapLeft > 0) return null;
      this.gapLeft = 0;
    }
    const job = this.nextJob();
    if (!job) return null;
    const event = job.events[0] as number;
    this.active = { event, ts: ts >>> 0, k: 0, endsSent: 0, lastUpdateMs: 0 };
    return this.step(this.active);
  }

  /** Drop everything queued (leg closed); pending promises resolve. */
  clear(): void {
    for (const j of this.jobs.splice(0)) j.resolve();
    this.active = null;
    this.gapLeft = 0;
  }

  private nextJob(): Job | undefined {
    for (;;) {
      const job = this.jobs[0];
      if (!job) return undefined;
      if (job.events.length > 0 && !job.signal?.aborted) return job;
      this.jobs.shift();
      job.resolve();
    }
  }

  private step(a: Active): EventPacket | typeof MUTE {
    const job = this.jobs[0] as Job;
    const covered = Math.min((a.k + 1) * FRAME_SAMPLES, 0xffff);
    const done = covered >= job.durationSamples;
    const elapsedMs = (a.k * FRAME_SAMPLES * 1000) / SAMPLE_RATE;
    const first = a.k === 0;
    a.k++;
    if (!first && !done && elapsedMs - a.lastUpdateMs < UPDATE_MS) return MUTE;
    // Advance by the nominal interval so 20 ms ticks average one update per 50 ms.
    if (!first) a.lastUpdateMs += UPDATE_MS;
    const duration = Math.min(covered, job.durationSamples);
    const pkt: EventPacket = {
      marker: first,
      ts: a.ts,
      payload: { event: a.event, end: done, volume: DTMF_DEFAULTS.volume, duration },
    };
    if (done) {
      a.endsSent++;
      if (a.endsSent >= END_REPEATS) this.completeEvent(job);
    }
    return pkt;
  }

  private completeEvent(job: Job): void {
    this.active = null;
    job.events.shift();
    this.gapLeft = job.gapSamples;
    if (job.events.length === 0) {
      this.jobs.shift();
      job.resolve();
    }
  }
}
