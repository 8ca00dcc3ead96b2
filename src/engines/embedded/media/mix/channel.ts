/**
 * One channel (room): N-party mixing where each member hears the sum of everyone but themselves.
 * The mix is computed once per pacer round: the total is summed once and each member's own contribution
 * subtracted, so a round costs O(N × frame) rather than O(N² × frame).
 */
import { EventEmitter } from 'node:events';
import { FRAME_SAMPLES, SILENCE_FRAME, clamp16, type FrameSource, type LegLike } from '../play/pcm.js';
import { subscribeLegAudio } from '../record/feeds.js';

/** Received frames buffered per member; older ones are dropped beyond this (about 100 ms). */
const JITTER_FRAMES = 5;

/** How a member left. */
export type LeaveReason = 'left' | 'kicked' | 'ended';

/** Member options. */
export interface MemberOptions {
  muted?: boolean;
  /** Where the member's mix goes (default: the leg's source). */
  setOutput?: (src: FrameSource | null) => void;
}

/** A leg in a channel. */
export class Member {
  muted: boolean;
  /** Frames received from the leg, not yet mixed. */
  readonly queue: Int16Array[] = [];
  /** This member's contribution in the current round (null when nothing). */
  own: Int16Array | null = null;
  /** What this member hears in the current round. */
  out: Int16Array = SILENCE_FRAME;
  consumed = false;
  /** Resolves when the member leaves, with the reason. */
  readonly left: Promise<LeaveReason>;
  resolveLeft!: (r: LeaveReason) => void;
  detach: () => void = () => undefined;
  /** The member's output: the mix of the others, one frame per pull. */
  readonly source: FrameSource;

  constructor(readonly channel: Channel, readonly leg: LegLike, opts: MemberOptions) {
    this.muted = opts.muted ?? false;
    this.left = new Promise((r) => (this.resolveLeft = r));
    this.source = { next: () => channel.pull(this) };
  }

  /** Buffer a received frame (jitter queue). */
  receive(pcm: Int16Array): void {
    if (this.queue.length >= JITTER_FRAMES) this.queue.shift();
    this.queue.push(pcm);
  }
}

/** A mixing room. Events: 'member-joined' (Member), 'member-left' (Member, reason), 'empty'. */
export class Channel extends EventEmitter {
  readonly members = new Set<Member>();
  private readonly total = new Int32Array(FRAME_SAMPLES);
  private readonly mixListeners = new Set<(pcm: Int16Array) => void>();
  /** Rounds mixed so far. */
  rounds = 0;

  constructor(readonly name: string) {
    super();
  }

  /** Add a leg; its output is set to the mix of the others. */
  add(leg: LegLike, opts: MemberOptions = {}): Member {
    const m = new Member(this, leg, opts);
    const setOutput = opts.setOutput ?? ((src: FrameSource | null) => leg.setSource(src));
    const offAudio = subscribeLegAudio(leg, (pcm) => m.receive(pcm));
    const onClose = (): void => this.remove(m, 'ended');
    leg.once('close', onClose);
    m.detach = () => {
      offAudio();
      leg.off('close', onClose);
      setOutput(null);
    };
    this.members.add(m);
    setOutput(m.source);
    this.emit('member-joined', m);
    return m;
  }

  /** Remove a member (idempotent). Emits 'empty' after the last one. */
  remove(m: Member, reason: LeaveReason = 'left'): void {
    if (!this.members.delete(m)) return;
    m.detach();
    m.resolveLeft(reason);
    this.emit('member-left', m, reason);
    if (this.members.size === 0) this.emit('empty');
  }

  /** Hear every round's full mix (for recording the channel); returns unsubscribe. */
  onMix(fn: (pcm: Int16Array) => void): () => void {
    this.mixListeners.add(fn);
    return () => this.mixListeners.delete(fn);
  }

  /** A member's pacer pull: a new round starts when a member pulls again after taking this round's frame. */
  pull(m: Member): Int16Array {
    if (!this.members.has(m)) return SILENCE_FRAME;
    if (m.consumed) this.mixRound();
    m.consumed = true;
    return m.out;
  }

  /** Mix one round: sum all contributions once, then give each member total minus its own. */
  mixRound(): void {
    const total = this.total;
    total.fill(0);
    for (const m of this.members) {
      const f = m.queue.shift() ?? null;
      m.own = m.muted ? null : f;
      if (m.own) for (let i = 0; i < FRAME_SAMPLES; i++) total[i] = (total[i] as number) + ((m.own[i] as number) | 0);
    }
    for (const m of this.members) {
      const out = new Int16Array(FRAME_SAMPLES);
      const own = m.own;
      if (own) for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = clamp16((total[i] as number) - ((own[i] as number) | 0));
      else for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = clamp16(total[i] as number);
      m.out = out;
      m.consumed = false;
    }
    this.rounds++;
    if (this.mixListeners.size > 0) {
      const all = new Int16Array(FRAME_SAMPLES);
      for (let i = 0; i < FRAME_SAMPLES; i++) all[i] = clamp16(total[i] as number);
      for (const fn of this.mixListeners) fn(all);
    }
  }
}
