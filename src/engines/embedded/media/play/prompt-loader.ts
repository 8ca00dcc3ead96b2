/** Loads prompt files (WAV or raw G.711) as 8 kHz PCM, decoded once and cached by path + mtime. */
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import alawmulaw from 'alawmulaw';
import { PcmCache } from './pcm-cache.js';
import { PcmSource } from './sources.js';
import { decodeWav } from './wav-decode.js';

/** A prompt file that could not be loaded. */
export class PromptLoadError extends Error {
  override readonly name = 'PromptLoadError';
  constructor(readonly path: string, reason: string) {
    super(`cannot load prompt ${path}: ${reason}`);
  }
}

const MULAW_EXT = new Set(['.ulaw', '.mulaw', '.pcmu', '.ul', '.mu']);
const ALAW_EXT = new Set(['.alaw', '.pcma', '.al']);

/** Decode file bytes by extension: raw µ-law / A-law (headerless, 8 kHz), otherwise WAV. */
export function decodePromptBytes(path: string, bytes: Uint8Array): Int16Array {
  const ext = extname(path).toLowerCase();
  if (MULAW_EXT.has(ext)) return alawmulaw.mulaw.decode(bytes);
  if (ALAW_EXT.has(ext)) return alawmulaw.alaw.decode(bytes);
  return decodeWav(bytes);
}

/** Reads and caches prompts. One instance is shared by the whole engine. */
export class PromptLoader {
  constructor(readonly cache: PcmCache = new PcmCache()) {}

  /** Decoded 8 kHz PCM of the file; throws PromptLoadError. */
  async load(path: string): Promise<Int16Array> {
    let mtime: number;
    try {
      mtime = (await stat(path)).mtimeMs;
    } catch (err) {
      throw new PromptLoadError(path, (err as NodeJS.ErrnoException).code ?? String(err));
    }
    return this.cache.get(`file:${path}:${mtime}`, async () => {
      try {
        return decodePromptBytes(path, await readFile(path));
      } catch (err) {
        throw new PromptLoadError(path, (err as Error).message);
      }
    });
  }

  /** A fresh frame source over the file's PCM. */
  async source(path: string): Promise<PcmSource> {
    return new PcmSource(await this.load(path));
  }
}
