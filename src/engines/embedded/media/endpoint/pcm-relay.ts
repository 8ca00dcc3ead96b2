/** A frame source replaying another leg's received audio through a small jitter queue (PCM bridging). */
import { SILENCE_FRAME, type FrameSource, type LegLike } from '../play/pcm.js';
import { subscribeLegAudio } from '../record/feeds.js';

/** Frames kept before the oldest is dropped (about 100 ms): bounds the added latency. */
const MAX_FRAMES = 5;

/** The relay and its detach function. */
export interface PcmRelay {
  source: FrameSource;
  close(): void;
}

/** Relay `from`'s received audio as a frame source (silence while it has none). */
export function pcmRelay(from: LegLike): PcmRelay {
  const queue: Int16Array[] = [];
  const off = subscribeLegAudio(from, (pcm) => {
    if (queue.length >= MAX_FRAMES) queue.shift();
    queue.push(pcm);
  });
  return {
    source: { next: () => queue.shift() ?? SILENCE_FRAME },
    close: off,
  };
}
