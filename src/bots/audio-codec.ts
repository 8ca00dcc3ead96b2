/**
 * Payload codecs for bot protocols: base64 of 16-bit little-endian PCM, or of G.711 µ-law. Every frame of
 * every stream passes through here (50 per second each way), so µ-law uses lookup tables built once from
 * alawmulaw (bit-exact with it) and PCM is viewed as bytes instead of copied sample by sample.
 */
import { endianness } from 'node:os';
import alawmulaw from 'alawmulaw';

/** True on little-endian hosts, where an Int16Array's bytes already are the wire's 16-bit LE PCM. */
const LE = endianness() === 'LE';

let mulawDecodeTable: Int16Array | undefined;
let mulawEncodeTable: Uint8Array | undefined;

/** µ-law code → PCM sample (ITU-T G.711), 256 entries. */
function decodeTable(): Int16Array {
  if (!mulawDecodeTable) {
    mulawDecodeTable = new Int16Array(256);
    for (let c = 0; c < 256; c++) mulawDecodeTable[c] = alawmulaw.mulaw.decodeSample(c);
  }
  return mulawDecodeTable;
}

/** PCM sample (as its unsigned 16-bit pattern) → µ-law code, 65536 entries (64 KiB). */
function encodeTable(): Uint8Array {
  if (!mulawEncodeTable) {
    mulawEncodeTable = new Uint8Array(65536);
    for (let s = -32768; s < 32768; s++) mulawEncodeTable[s & 0xffff] = alawmulaw.mulaw.encodeSample(s);
  }
  return mulawEncodeTable;
}

/** The 16-bit LE bytes of `pcm`: a view on little-endian hosts, a swapped copy otherwise. */
export function pcmBytes(pcm: Int16Array): Uint8Array {
  if (LE) return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const out = Buffer.allocUnsafe(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) out.writeInt16LE(pcm[i] as number, i * 2);
  return out;
}

/** µ-law-encode `pcm` into `out` (which must hold pcm.length bytes); returns the bytes written. */
export function mulawEncodeInto(pcm: Int16Array, out: Uint8Array): number {
  const t = encodeTable();
  const n = pcm.length;
  for (let i = 0; i < n; i++) out[i] = t[(pcm[i] as number) & 0xffff] as number;
  return n;
}

/** Encode PCM samples as base64 little-endian 16-bit. */
export function pcmToBase64(pcm: Int16Array): string {
  const b = pcmBytes(pcm);
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

/** Little-endian 16-bit bytes to samples; a trailing odd byte is dropped. */
function bytesToPcm(buf: Uint8Array): Int16Array {
  const n = buf.length >> 1;
  const out = new Int16Array(n);
  if (LE) new Uint8Array(out.buffer).set(buf.subarray(0, n * 2));
  else for (let i = 0; i < n; i++) out[i] = ((buf[2 * i] as number) | ((buf[2 * i + 1] as number) << 8)) << 16 >> 16;
  return out;
}

/** Decode base64 little-endian 16-bit PCM; a trailing odd byte is dropped. */
export function base64ToPcm(b64: string): Int16Array {
  if (!LE) return bytesToPcm(Buffer.from(b64, 'base64'));
  // Straight into the samples' memory (no intermediate Buffer): Buffer#write decodes what fits, so a trailing
  // odd byte is dropped, and characters it skips only make the result shorter.
  const out = new Int16Array(Math.ceil((b64.length * 3) / 4) >> 1);
  const n = Buffer.from(out.buffer, 0, out.byteLength).write(b64, 'base64');
  return n === out.byteLength ? out : out.subarray(0, n >> 1);
}

/** Encode PCM as base64 µ-law. */
export function pcmToMulawBase64(pcm: Int16Array): string {
  const out = Buffer.allocUnsafe(pcm.length);
  mulawEncodeInto(pcm, out);
  return out.toString('base64');
}

/** Decode base64 µ-law to PCM. */
export function mulawBase64ToPcm(b64: string): Int16Array {
  const codes = Buffer.from(b64, 'base64');
  const t = decodeTable();
  const out = new Int16Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = t[codes[i] as number] as number;
  return out;
}

/** Base64 text length (with padding) of `n` bytes. */
export const base64Length = (n: number): number => 4 * Math.ceil(n / 3);

/**
 * Write the base64 text (RFC 4648 §4, padded) of `src` as ASCII into `dst` at `offset`; returns the offset after
 * it. `dst` must have base64Length(src.length) bytes free. Node's native encoder plus a latin1 copy is about
 * twice as fast as a JS table loop for a 20 ms frame.
 */
export function writeBase64(src: Uint8Array, dst: Buffer, offset: number): number {
  const text = Buffer.from(src.buffer, src.byteOffset, src.byteLength).toString('base64');
  return offset + dst.write(text, offset, 'latin1');
}

/**
 * `s` as strict base64 (RFC 4648 §4) with whitespace and line breaks removed, or null when it is not base64
 * (so garbage is reported instead of played as noise). Padding is optional, as many encoders (and MIME line
 * wrapping) produce it either way.
 */
export function cleanBase64(s: string): string | null {
  const t = /\s/.test(s) ? s.replace(/\s+/g, '') : s;
  if (t.length % 4 === 1 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return null;
  if (t.endsWith('=') && t.length % 4 !== 0) return null;
  return t;
}

/** True when the string is plausible base64, whitespace and missing padding allowed (see cleanBase64). */
export function isBase64(s: string): boolean {
  return cleanBase64(s) !== null;
}

/** Bytes encoded by clean base64 text (see cleanBase64), padded or not. */
function decodedLength(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor(((b64.length - pad) * 3) / 4);
}

/**
 * Decodes one stream's base64 16-bit LE PCM messages: a message with an odd number of bytes leaves its last
 * byte for the next message, so the samples after it are not read one byte out of step.
 */
export class PcmDecoder {
  private carry = -1;

  /** Samples of one message (clean base64, see cleanBase64), the carried byte first. */
  decode(b64: string): Int16Array {
    if (this.carry < 0 && decodedLength(b64) % 2 === 0) return base64ToPcm(b64);
    const bytes = Buffer.from(b64, 'base64');
    const all = this.carry < 0 ? bytes : Buffer.concat([Buffer.of(this.carry), bytes]);
    const even = all.length & ~1;
    this.carry = even < all.length ? (all[even] as number) : -1;
    return bytesToPcm(all.subarray(0, even));
  }

  /** Forget a carried byte (the bot's audio was cleared; what follows starts afresh). */
  reset(): void {
    this.carry = -1;
  }
}
