/** Turns play specifications (files, text, tones, silence) into frame sources, loading files and TTS in parallel. */
import type { FrameSource } from '../play/pcm.js';
import type { PromptLoader } from '../play/prompt-loader.js';
import { Playlist, PcmSource, loop, silence } from '../play/sources.js';
import { CALL_PROGRESS, ToneSource, dtmfTones, type CallProgressTone, type ToneSpec } from '../play/tones.js';
import type { EspeakTts } from '../play/tts.js';

/** Default length of a named tone inside a prompt list: one cadence cycle. */
const TONE_ITEM_MS: Record<CallProgressTone, number> = { ringback: 6000, busy: 1000, dial: 2000, beep: 200 };

/** Something to play. A bare string is a file path. */
export type PlaySpec =
  | string
  | { kind: 'file'; path: string }
  | { kind: 'say'; text: string; voice?: string; rate?: number }
  | { kind: 'tone'; name: CallProgressTone; ms?: number }
  | { kind: 'tone'; spec: ToneSpec }
  | { kind: 'dtmf'; digits: string }
  | { kind: 'silence'; ms: number }
  | { kind: 'source'; source: FrameSource };

/** Engine-wide loaders an endpoint plays from. */
export interface PlayResources {
  prompts: PromptLoader;
  tts: EspeakTts;
}

/** A tone source for a named call-progress tone, `ms` long (Infinity = until stopped). */
export function namedTone(name: CallProgressTone, ms = Infinity): FrameSource {
  const base = CALL_PROGRESS[name];
  const totalMs = 'totalMs' in base ? Math.min(base.totalMs, ms) : ms;
  return new ToneSource({ freqs: base.freqs, cadence: base.cadence, totalMs });
}

/** Makes a fresh source for each repetition. */
export type SourceFactory = () => FrameSource;

/** Resolve one spec (loading its audio); file and TTS errors reject (PromptLoadError, TtsUnavailableError, TtsError). */
export async function resolveItem(res: PlayResources, item: PlaySpec): Promise<SourceFactory> {
  if (typeof item === 'string') return pcmFactory(await res.prompts.load(item));
  switch (item.kind) {
    case 'file':
      return pcmFactory(await res.prompts.load(item.path));
    case 'say':
      return pcmFactory(await res.tts.synthesize(item.text, { voice: item.voice, rate: item.rate }));
    case 'tone': {
      const { spec } = item as { spec?: ToneSpec };
      if (spec) return () => new ToneSource(spec);
      const named = item as { name: CallProgressTone; ms?: number };
      return () => namedTone(named.name, named.ms ?? TONE_ITEM_MS[named.name]);
    }
    case 'dtmf':
      return () => dtmfTones(item.digits);
    case 'silence':
      return () => silence(item.ms);
    case 'source':
      return () => item.source;
  }
}

function pcmFactory(pcm: Int16Array): SourceFactory {
  return () => new PcmSource(pcm);
}

/** Resolve a list (in parallel) into one factory that plays the items in order, `loop` times. */
export async function resolvePlaylist(res: PlayResources, items: readonly PlaySpec[], loopCount = 1): Promise<FrameSource> {
  const factories = await Promise.all(items.map((i) => resolveItem(res, i)));
  // One item (the usual prompt) needs no playlist around it: one call less per packet.
  const only = factories.length === 1 ? factories[0] : undefined;
  return loop(only ?? (() => new Playlist(factories.map((f) => f()))), loopCount);
}
