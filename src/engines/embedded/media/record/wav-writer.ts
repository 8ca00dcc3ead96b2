/**
 * Streaming WAV writer: a 44-byte PCM header with placeholder sizes, frames appended in batches,
 * the RIFF and data sizes patched on close. Memory stays flat however long the recording.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { endianness } from 'node:os';

// WAV is little-endian; typed arrays use the host order.
const BIG_ENDIAN = endianness() === 'BE';

const HEADER_BYTES = 44;
/** Flush after this many buffered bytes (about 1 s at 8 kHz 16-bit). */
const FLUSH_BYTES = 16000;

/** Build a canonical 16-bit mono PCM WAV header. */
export function wavHeader(dataBytes: number, sampleRate: number): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** Appends int16 mono samples to a WAV file. */
export class WavWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private written = 0;
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

  private constructor(private readonly fh: FileHandle, readonly sampleRate: number) {}

  /** Create (truncate) `path` and write a provisional header. */
  static async create(path: string, sampleRate = 8000): Promise<WavWriter> {
    const fh = await open(path, 'w');
    await fh.write(wavHeader(0, sampleRate), 0, HEADER_BYTES, 0);
    return new WavWriter(fh, sampleRate);
  }

  /** Samples accepted so far. */
  get samples(): number {
    return (this.written + this.pendingBytes) / 2;
  }

  /** Queue samples (copied); written in batches. */
  write(pcm: Int16Array): void {
    const b = Buffer.alloc(pcm.byteLength);
    b.set(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    if (BIG_ENDIAN) b.swap16();
    this.pending.push(b);
    this.pendingBytes += b.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const data = Buffer.concat(this.pending, this.pendingBytes);
    const pos = HEADER_BYTES + this.written;
    this.written += data.length;
    this.pending = [];
    this.pendingBytes = 0;
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        await this.fh.write(data, 0, data.length, pos);
      } catch (err) {
        this.failure = err as Error;
      }
    });
  }

  /** Flush, patch the header sizes, close the file. Resolves with the sample count. */
  async close(): Promise<number> {
    this.flush();
    await this.chain;
    try {
      if (!this.failure) await this.fh.write(wavHeader(this.written, this.sampleRate), 0, HEADER_BYTES, 0);
    } finally {
      await this.fh.close();
    }
    if (this.failure) throw this.failure;
    return this.written / 2;
  }
}
