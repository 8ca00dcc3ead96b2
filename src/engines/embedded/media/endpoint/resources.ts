/** Engine-wide media resources shared by every endpoint: the prompt cache, the TTS engine, the channels. */
import { ChannelRegistry } from '../mix/registry.js';
import { PcmCache } from '../play/pcm-cache.js';
import { PromptLoader } from '../play/prompt-loader.js';
import { EspeakTts, type TtsOptions } from '../play/tts.js';

/** What endpoints share. */
export interface MediaResources {
  prompts: PromptLoader;
  tts: EspeakTts;
  channels: ChannelRegistry;
}

/** Options for the shared resources. */
export interface MediaResourceOptions {
  /** Byte budget of the decoded prompt cache (default 64 MiB). */
  promptCacheBytes?: number;
  tts?: TtsOptions;
}

/** Create one set of shared resources (one per engine). */
export function createMediaResources(opts: MediaResourceOptions = {}): MediaResources {
  return {
    prompts: new PromptLoader(new PcmCache(opts.promptCacheBytes ?? 64 * 1024 * 1024)),
    tts: new EspeakTts(opts.tts),
    channels: new ChannelRegistry(),
  };
}
