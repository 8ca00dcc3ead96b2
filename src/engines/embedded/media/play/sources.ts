/** Basic frame sources: a PCM buffer, silence, and a playlist that chains sources. */
import { shareFrame } from '../codec/g711.js';
import { FRAME_SAMPLES, SILENCE_FRAME, msToSamples, type FrameSource } from './pcm.js';

/**
 * Frame views of each PCM buffer, shared by every source playing it: a prompt played on a thousand legs then
 * costs no allocation per frame (frames are read-only for consumers, see SILENCE_FRAME).
 */
const frameViews = new WeakMap<Int16Array, Int16Array[]>();

function viewsOf(pcm: Int16Array): Int16Array[] {
  let v = frameViews.get(pcm);
  if (!v) {
    v = [];
    frameViews.set(pcm, v);
  }
  return v;
}

/**
 * Plays an int16 buffer frame by frame; the last partial frame is padded with silence. The buffer must not change
 * afterwards (cached prompts and TTS never do): its frames are shared between sources and their encodings cached.
 */
export class PcmSource implements FrameSource {
  private pos = 0;
  private readonly views: Int16Array[];
  constructor(private readonly pcm: Int16Array) {
    this.views = viewsOf(pcm);
  }

  /** Total length in samples. */
  get length(): number {
    return this.pcm.length;
  }

  next(): Int16Array | null {
    if (this.pos >= this.pcm.length) return null;
    const end = this.pos + FRAME_SAMPLES;
    let frame: Int16Array | undefined;
    if (end <= this.pcm.length) {
      // pos only ever advances by whole frames from 0, so it indexes the shared views.
      const i = this.pos / FRAME_SAMPLES;
      frame = this.views[i];
      if (!frame) {
        frame = this.pcm.subarray(this.pos, end);
        shareFrame(frame);
        this.views[i] = frame;
      }
    } else {
      frame = new Int16Array(FRAME_SAMPLES);
      frame.set(this.pcm.subarray(this.pos));
    }
    this.pos = end;
    return frame;
  }
}

/** `ms` of silence, rounded up to whole frames; Infinity plays until replaced. */
export function silence(ms: number): FrameSource {
  let left = Number.isFinite(ms) ? Math.ceil(msToSamples(Math.max(0, ms)) / FRAME_SAMPLES) : Infinity;
  return {
    next: () => (left-- > 0 ? SILENCE_FRAME : null),
  };
}

/** Chains sources: each plays to its end, then the next starts in the same tick (no gap). */
export class Playlist implements FrameSource {
  private index = 0;
  constructor(private readonly items: FrameSource[]) {}

  next(): Int16Array | null {
    while (this.index < this.items.length) {
      const frame = this.items[this.index]?.next() ?? null;
      if (frame) return frame;
      this.index++;
    }
    return null;
  }
}

/** Repeats a source factory `times` times (Infinity loops until replaced). A class: this runs per packet. */
class Loop implements FrameSource {
  private current: FrameSource | null;
  constructor(
    private readonly make: () => FrameSource,
    private left: number,
  ) {
    this.current = left > 0 ? make() : null;
  }

  next(): Int16Array | null {
    while (this.current) {
      const f = this.current.next();
      if (f) return f;
      this.left--;
      this.current = this.left > 0 ? this.make() : null;
    }
    return null;
  }
}

/** Repeat a source factory `times` times (Infinity loops until replaced). */
export function loop(make: () => FrameSource, times: number): FrameSource {
  return new Loop(make, times);
}
