/**
 * Plays a frame source on a leg until it ends, a digit barges in, the signal aborts or the leg closes.
 * The end is observed inside the source wrapper, so 'done' means the pacer has pulled (and sent) every frame.
 */
import type { FrameSource, LegDtmf, LegLike } from './pcm.js';

/** Why a playback ended. */
export const PLAY_END = { done: 'done', bargeIn: 'barge-in', aborted: 'aborted', legClosed: 'leg-closed' } as const;
/** Why a playback ended. */
export type PlayEndReason = (typeof PLAY_END)[keyof typeof PLAY_END];

/** The outcome of a playback. */
export interface PlaybackResult {
  reason: PlayEndReason;
  digit?: string;
}

/** Where a player sends its frames: a leg directly, or an endpoint's output mux. */
export interface PlayTarget {
  readonly leg: LegLike;
  /** Install `src`; `onReplaced` runs if something else takes the output before `src` ends. */
  setOutput(src: FrameSource | null, onReplaced?: () => void): void;
  /** The source currently playing, so a finished player does not clear a newer one. */
  readonly output?: FrameSource | null;
  /** Digit subscription that can consume digits (an endpoint's type-ahead router); the leg's 'dtmf' otherwise. */
  subscribeDigits?(fn: (e: LegDtmf) => boolean): () => void;
}

/** Playback options. */
export interface PlayOptions {
  bargeIn?: boolean;
  /** Digits that may barge in (all when omitted). */
  bargeDigits?: string;
  signal?: AbortSignal;
}

/**
 * The source a playback installs: `inner` until it ends (then `onEnd` runs once the pacer has pulled the last
 * frame) or the playback finishes otherwise. A class, not a closure: the pacer calls it for every packet.
 */
class PlaybackSource implements FrameSource {
  finished = false;
  constructor(
    private readonly inner: FrameSource,
    private readonly onEnd: () => void,
  ) {}

  next(): Int16Array | null {
    if (this.finished) return null;
    const f = this.inner.next();
    if (f === null) queueMicrotask(this.onEnd);
    return f;
  }
}

/** A target that writes straight to the leg. */
export function legTarget(leg: LegLike): PlayTarget {
  return { leg, setOutput: (src) => leg.setSource(src) };
}

/** Play `source` on `target`; never rejects. */
export function play(target: PlayTarget, source: FrameSource, opts: PlayOptions = {}): Promise<PlaybackResult> {
  const { leg } = target;
  const signal = opts.signal;
  if (signal?.aborted) return Promise.resolve({ reason: PLAY_END.aborted });
  return new Promise<PlaybackResult>((resolve) => {
    let finished = false;
    const wrapper = new PlaybackSource(source, () => finish({ reason: PLAY_END.done }, false));
    const onDtmf = (e: LegDtmf): boolean => {
      if (!opts.bargeIn || finished) return false;
      if (opts.bargeDigits !== undefined && !opts.bargeDigits.includes(e.digit)) return false;
      finish({ reason: PLAY_END.bargeIn, digit: e.digit }, true);
      return true;
    };
    let offDigits: () => void = () => undefined;
    const onClose = (): void => finish({ reason: PLAY_END.legClosed }, false);
    const onAbort = (): void => finish({ reason: PLAY_END.aborted }, true);
    function finish(result: PlaybackResult, stopOutput: boolean): void {
      if (finished) return;
      finished = true;
      wrapper.finished = true;
      offDigits();
      leg.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
      if (stopOutput && (target.output === undefined || target.output === wrapper)) target.setOutput(null);
      resolve(result);
    }
    if (opts.bargeIn) {
      if (target.subscribeDigits) {
        offDigits = target.subscribeDigits(onDtmf);
        // A buffered (type-ahead) digit may have been delivered synchronously.
        if (finished) offDigits();
      } else {
        leg.on('dtmf', onDtmf);
        offDigits = () => leg.off('dtmf', onDtmf);
      }
    }
    if (finished) return;
    leg.once('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
    target.setOutput(wrapper, () => finish({ reason: PLAY_END.aborted }, false));
  });
}
