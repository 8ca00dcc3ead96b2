/**
 * Text-to-speech through espeak-ng (`--stdout` gives a 16-bit mono WAV), resampled to 8 kHz and cached in memory
 * and optionally on disk by hash(text, voice, rate). Synthesis runs in a child process, never on the event loop,
 * and identical concurrent requests share one synthesis.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PcmCache } from './pcm-cache.js';
import { SAMPLE_RATE } from './pcm.js';
import { resampleToInt16 } from './resample.js';

/** The TTS binary is not installed (or not executable). */
export class TtsUnavailableError extends Error {
  override readonly name = 'TtsUnavailableError';
  constructor(readonly binary: string) {
    super(`text-to-speech unavailable: '${binary}' not found (install the espeak-ng package)`);
  }
}

/** Synthesis failed for another reason (bad voice, non-zero exit). */
export class TtsError extends Error {
  override readonly name = 'TtsError';
}

/** TTS options. */
export interface TtsOptions {
  /** Binary to run (default 'espeak-ng'). */
  binary?: string;
  /** Directory for the on-disk cache; none when omitted. */
  cacheDir?: string;
  /** In-memory cache (shared with prompts if given). */
  cache?: PcmCache;
  /** Longest text accepted, in characters. */
  maxChars?: number;
}

/** One synthesis request. */
export interface SayOptions {
  voice?: string;
  /** Words per minute (espeak-ng -s). */
  rate?: number;
}

/** Parse espeak-ng's streamed WAV, whose size fields are placeholders: take the rest of the stream after 'data'. */
export function parseStreamedWav(buf: Buffer): { rate: number; pcm: Float32Array } {
  if (buf.length < 44 || buf.toString('ascii', 0, 4) !== 'RIFF') throw new TtsError('espeak-ng produced no WAV');
  let off = 12;
  let rate = 0;
  let bits = 16;
  let channels = 1;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      channels = buf.readUInt16LE(off + 10);
      rate = buf.readUInt32LE(off + 12);
      bits = buf.readUInt16LE(off + 22);
    } else if (id === 'data') {
      if (bits !== 16 || channels !== 1 || rate <= 0) throw new TtsError(`unexpected espeak-ng format ${bits}-bit/${channels}ch`);
      const start = off + 8;
      const n = Math.floor((buf.length - start) / 2);
      const pcm = new Float32Array(n);
      for (let i = 0; i < n; i++) pcm[i] = buf.readInt16LE(start + i * 2) / 32768;
      return { rate, pcm };
    }
    off += 8 + size + (size & 1);
  }
  throw new TtsError('espeak-ng WAV has no data chunk');
}

/** The espeak-ng synthesiser with its caches. */
export class EspeakTts {
  readonly binary: string;
  private readonly cache: PcmCache;
  private readonly cacheDir: string | undefined;
  private readonly maxChars: number;
  /** Child processes spawned so far (tests check caching with it). */
  spawnCount = 0;

  constructor(opts: TtsOptions = {}) {
    this.binary = opts.binary ?? 'espeak-ng';
    this.cache = opts.cache ?? new PcmCache(32 * 1024 * 1024);
    this.cacheDir = opts.cacheDir;
    this.maxChars = opts.maxChars ?? 4000;
  }

  /** 8 kHz PCM for `text`; throws TtsUnavailableError when the binary is missing. */
  synthesize(text: string, opts: SayOptions = {}): Promise<Int16Array> {
    if (text.length > this.maxChars) return Promise.reject(new TtsError(`text longer than ${this.maxChars} characters`));
    const voice = opts.voice ?? 'en';
    const rate = Math.round(opts.rate ?? 160);
    const hash = createHash('sha256').update(JSON.stringify([text, voice, rate])).digest('hex').slice(0, 32);
    return this.cache.get(`tts:${hash}`, () => this.fromDiskOrSpawn(hash, text, voice, rate));
  }

  private async fromDiskOrSpawn(hash: string, text: string, voice: string, rate: number): Promise<Int16Array> {
    const file = this.cacheDir ? join(this.cacheDir, `${hash}.s16`) : undefined;
    if (file) {
      const bytes = await readFile(file).catch(() => null);
      if (bytes && bytes.length % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2).slice();
    }
    const wav = await this.run(text, voice, rate);
    const { rate: inRate, pcm } = parseStreamedWav(wav);
    const out = resampleToInt16(pcm, inRate, SAMPLE_RATE);
    if (file && this.cacheDir) {
      // Write then rename so a concurrent reader never sees half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      await mkdir(this.cacheDir, { recursive: true })
        .then(() => writeFile(tmp, new Uint8Array(out.buffer, out.byteOffset, out.byteLength)))
        .then(() => rename(tmp, file))
        .catch(() => undefined);
    }
    return out;
  }

  private run(text: string, voice: string, rate: number): Promise<Buffer> {
    this.spawnCount++;
    return new Promise((resolve, reject) => {
      // Text goes through stdin so it can never be read as an option.
      const child = spawn(this.binary, ['-v', voice, '-s', String(rate), '--stdout', '--stdin'], { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let err = '';
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => {
        if (err.length < 2000) err += b.toString();
      });
      child.stdin.on('error', () => undefined);
      child.on('error', (e: NodeJS.ErrnoException) => {
        reject(e.code === 'ENOENT' || e.code === 'EACCES' ? new TtsUnavailableError(this.binary) : new TtsError(e.message));
      });
      child.on('close', (code) => {
        if (code === 0) resolve(Buffer.concat(out));
        else reject(new TtsError(`${this.binary} exited with ${code}: ${err.trim()}`));
      });
      child.stdin.end(text);
    });
  }
}
