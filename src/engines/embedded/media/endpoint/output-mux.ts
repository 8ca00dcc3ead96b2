/**
 * The one source an endpoint installs on its leg, in two layers: a base (channel mix, bridge, tap) that runs
 * for long, and a foreground (prompt, tone) that plays over it and falls back to the base when it ends.
 * When neither has audio it sends silence, so the RTP stream stays continuous and mixed recordings keep their
 * clock. Observers see every frame sent.
 */
import { SILENCE_FRAME, type FrameSource } from '../play/pcm.js';

interface Slot {
  src: FrameSource | null;
  onReplaced: (() => void) | undefined;
}

/** Which layer a source goes to. */
export type OutputLayer = 'base' | 'foreground';

/** Multiplexes the endpoint's output sources onto one leg source. */
export class OutputMux implements FrameSource {
  private readonly base: Slot = { src: null, onReplaced: undefined };
  private readonly fg: Slot = { src: null, onReplaced: undefined };
  private readonly observers = new Set<(pcm: Int16Array) => void>();

  /** The source of a layer (null when empty). */
  current(layer: OutputLayer): FrameSource | null {
    return (layer === 'base' ? this.base : this.fg).src;
  }

  /**
   * Install `src` in a layer (null empties it). The previous owner's `onReplaced` runs when a different source
   * displaces it, so it can settle its promise.
   */
  set(layer: OutputLayer, src: FrameSource | null, onReplaced?: () => void): void {
    const slot = layer === 'base' ? this.base : this.fg;
    const prev = slot.src;
    const prevReplaced = slot.onReplaced;
    slot.src = src;
    slot.onReplaced = src ? onReplaced : undefined;
    if (prev && prev !== src && src !== null) prevReplaced?.();
  }

  /** Empty a layer only if `src` still owns it. */
  release(layer: OutputLayer, src: FrameSource): void {
    const slot = layer === 'base' ? this.base : this.fg;
    if (slot.src === src) {
      slot.src = null;
      slot.onReplaced = undefined;
    }
  }

  /** Empty a layer and tell its owner it was displaced. */
  evict(layer: OutputLayer): void {
    const slot = layer === 'base' ? this.base : this.fg;
    const cb = slot.onReplaced;
    slot.src = null;
    slot.onReplaced = undefined;
    cb?.();
  }

  /** See every frame sent; returns unsubscribe. */
  observe(fn: (pcm: Int16Array) => void): () => void {
    this.observers.add(fn);
    return () => this.observers.delete(fn);
  }

  private pullSlot(slot: Slot): Int16Array | null {
    const src = slot.src;
    if (!src) return null;
    const frame = src.next();
    if (frame === null && slot.src === src) {
      slot.src = null;
      slot.onReplaced = undefined;
    }
    return frame;
  }

  next(): Int16Array {
    const out = this.pullSlot(this.fg) ?? this.pullSlot(this.base) ?? SILENCE_FRAME;
    if (this.observers.size > 0) for (const fn of this.observers) fn(out);
    return out;
  }
}
