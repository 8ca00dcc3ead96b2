/**
 * The shared state of one simulation: the virtual clock, the script, the record, the legs, and the
 * triggers that turn script entries ("press 1234 after the first prompt") into timed events.
 */
import type { DigitEvent } from '../../ports/media.js';
import type { Clock } from '../../ports/clock.js';
import { SimRecord } from './record.js';
import type { SimScript, SimWhen } from './script.js';

/** Something a script entry can wait for. */
export type SimMoment = 'prompt' | 'listen' | 'answer';

/** A per-leg digit consumer: returns true when it took the digit (else it is buffered or offered on). */
export type DigitConsumer = (e: DigitEvent) => boolean;

/** The media state of one leg: keys pressed while nobody listened, and who is listening. */
export interface LegAudio {
  buffer: DigitEvent[];
  consumers: DigitConsumer[];
  observers: Set<(e: DigitEvent) => void>;
}

/** The leg-facing operations the world needs from a simulated leg. */
export interface WorldLeg {
  readonly info: { id: string };
  readonly state: 'ringing' | 'answered' | 'ended';
  endFromFar(cause: 'remote-hangup'): void;
}

/** One simulation's world. */
export class SimWorld {
  readonly record = new SimRecord();
  readonly legs = new Map<string, WorldLeg>();
  readonly audio = new Map<string, LegAudio>();
  /** Active plays, collects, channel memberships and taps, for leak assertions. */
  readonly active = { plays: 0, listens: 0, channels: 0, taps: 0, bots: 0 };
  private readonly counts: Record<SimMoment, number> = { prompt: 0, listen: 0, answer: 0 };
  private readonly waiting: Array<{ when: SimWhen; fire: () => void }> = [];
  private nextId = 1;

  constructor(
    readonly clock: Clock,
    readonly script: SimScript,
  ) {}

  /** Virtual ms since the simulation began. */
  t(): number {
    return this.clock.monotonic();
  }

  /** A fresh deterministic id with a prefix. */
  newId(prefix: string): string {
    return `${prefix}-${this.nextId++}`;
  }

  /** The audio state of a leg (created on first use). */
  audioOf(legId: string): LegAudio {
    let a = this.audio.get(legId);
    if (!a) this.audio.set(legId, (a = { buffer: [], consumers: [], observers: new Set() }));
    return a;
  }

  /** The far end pressed `digit` on the leg: the newest listener gets it, else it is buffered (type-ahead). */
  press(legId: string, digit: string, durationMs = 100): void {
    const leg = this.legs.get(legId);
    if (!leg || leg.state === 'ended') return;
    const e: DigitEvent = { digit, durationMs, at: this.t() };
    this.record.digits.push({ at: e.at, leg: legId, digit });
    const audio = this.audioOf(legId);
    for (const o of audio.observers) o(e);
    for (let i = audio.consumers.length - 1; i >= 0; i--) if (audio.consumers[i]?.(e)) return;
    audio.buffer.push(e);
  }

  /** Schedule `fire` for a script time: absolute now, relative when its moment comes. */
  when(when: SimWhen, fire: () => void): void {
    if (when.after === undefined) {
      this.clock.setTimer((when.at ?? 0) - this.t(), fire);
      return;
    }
    const nth = when.nth ?? 1;
    if (this.counts[when.after] >= nth) {
      this.clock.setTimer(when.delay ?? 0, fire);
      return;
    }
    this.waiting.push({ when, fire });
  }

  /** Press `keys` one after another from `when`, `gap` ms apart, on the leg. */
  pressKeys(legId: string, keys: string, when: SimWhen, gap = 200): void {
    this.when(when, () => {
      [...keys].forEach((k, i) => {
        if (i === 0) this.press(legId, k);
        else this.clock.setTimer(i * gap, () => this.press(legId, k));
      });
    });
  }

  /** A moment happened (a prompt started, the flow began listening, the call was answered). */
  moment(kind: SimMoment): void {
    this.counts[kind]++;
    for (let i = 0; i < this.waiting.length; ) {
      const w = this.waiting[i];
      if (w && w.when.after === kind && (w.when.nth ?? 1) === this.counts[kind]) {
        this.waiting.splice(i, 1);
        this.clock.setTimer(w.when.delay ?? 0, w.fire);
      } else i++;
    }
  }

  /** Legs that have not ended (other than those listed), for leak assertions. */
  openLegs(except: string[] = []): string[] {
    return [...this.legs.values()].filter((l) => l.state !== 'ended' && !except.includes(l.info.id)).map((l) => l.info.id);
  }
}
