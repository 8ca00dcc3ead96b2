/** Frame feeds for the recorder: a leg's received audio, a leg's both directions mixed, or any frame emitter. */
import { FRAME_SAMPLES, SAMPLE_RATE, SILENCE_FRAME, clamp16, type LegLike } from '../play/pcm.js';
import { RECORD_END, type FrameFeed } from './recorder.js';

/** Longest gap (in RTP timestamp units) filled with silence; a larger jump is treated as a restart. */
const MAX_GAP = SAMPLE_RATE * 2;
/** Received frames kept while waiting for the matching sent frame. */
const MAX_QUEUE = 10;

interface AudioInfo {
  ts?: number;
}

/** Subscribe to a leg's 'audio', filling RTP timestamp gaps (DTX, loss) with silence. */
export function subscribeLegAudio(leg: LegLike, fn: (pcm: Int16Array) => void): () => void {
  let lastTs: number | undefined;
  const onAudio = (pcm: Int16Array, info?: AudioInfo): void => {
    const ts = info?.ts;
    if (ts !== undefined && lastTs !== undefined) {
      const delta = (ts - lastTs) >>> 0;
      if (delta > FRAME_SAMPLES && delta < MAX_GAP) {
        for (let missing = delta / FRAME_SAMPLES - 1; missing >= 1; missing--) fn(SILENCE_FRAME);
      }
    }
    if (ts !== undefined) lastTs = ts;
    fn(pcm);
  };
  leg.on('audio', onAudio);
  return () => leg.off('audio', onAudio);
}

/** A leg's received audio (what the caller says). */
export function legFeed(leg: LegLike): FrameFeed {
  return (push, ended) => {
    const off = subscribeLegAudio(leg, push);
    const onClose = (): void => ended(RECORD_END.hangup);
    leg.once('close', onClose);
    return () => {
      off();
      leg.off('close', onClose);
    };
  };
}

/** Saturating sum of two frames. */
export function mix2(a: Int16Array, b: Int16Array): Int16Array {
  const out = new Int16Array(FRAME_SAMPLES);
  for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = clamp16((a[i] ?? 0) + (b[i] ?? 0));
  return out;
}

/**
 * Both directions of a leg mixed: clocked by what we send (`onSent`, one call per pacer tick), each sent frame
 * summed with the oldest received frame not yet used.
 */
export function mixedFeed(leg: LegLike, onSent: (fn: (pcm: Int16Array) => void) => () => void): FrameFeed {
  return (push, ended) => {
    const queue: Int16Array[] = [];
    const offIn = subscribeLegAudio(leg, (pcm) => {
      if (queue.length >= MAX_QUEUE) queue.shift();
      queue.push(pcm);
    });
    const offOut = onSent((sent) => push(mix2(sent, queue.shift() ?? SILENCE_FRAME)));
    const onClose = (): void => ended(RECORD_END.hangup);
    leg.once('close', onClose);
    return () => {
      offIn();
      offOut();
      leg.off('close', onClose);
    };
  };
}
