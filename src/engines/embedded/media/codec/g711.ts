/**
 * G.711 µ-law / A-law (ITU-T G.711) with lookup tables built once from alawmulaw, so the per-packet hot path is
 * one array index per sample and never allocates when given output buffers.
 */
import * as alawmulawNs from 'alawmulaw';
import type { CodecName } from '../types.js';

// alawmulaw ships CommonJS; under Node ESM its API sits on `default`, under bundlers on the namespace.
const lib = (alawmulawNs as unknown as { default?: typeof alawmulawNs }).default ?? alawmulawNs;

function buildDecode(decodeSample: (b: number) => number): Int16Array {
  const t = new Int16Array(256);
  for (let b = 0; b < 256; b++) t[b] = decodeSample(b);
  return t;
}

function buildEncode(encodeSample: (s: number) => number): Uint8Array {
  const t = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) t[i] = encodeSample(i - 32768);
  return t;
}

/** µ-law byte → linear sample. */
export const ULAW_DECODE: Int16Array = buildDecode(lib.mulaw.decodeSample);
/** A-law byte → linear sample. */
export const ALAW_DECODE: Int16Array = buildDecode(lib.alaw.decodeSample);
/** (linear sample + 32768) → µ-law byte. */
export const ULAW_ENCODE: Uint8Array = buildEncode(lib.mulaw.encodeSample);
/** (linear sample + 32768) → A-law byte. */
export const ALAW_ENCODE: Uint8Array = buildEncode(lib.alaw.encodeSample);

/** The encoded byte of silence per codec (what a zero sample encodes to). */
export const SILENCE_BYTE = { PCMU: ULAW_ENCODE[32768] as number, PCMA: ALAW_ENCODE[32768] as number } as const;

/**
 * Encode `pcm` into `out` from `offset` on (an RTP packet's payload, without making a view of it per packet);
 * returns the number of bytes written.
 */
export function encodeInto(codec: CodecName, pcm: Int16Array, out: Uint8Array, offset = 0): number {
  const table = codec === 'PCMU' ? ULAW_ENCODE : ALAW_ENCODE;
  const n = Math.max(0, Math.min(pcm.length, out.length - offset));
  for (let i = 0; i < n; i++) out[offset + i] = table[(pcm[i] as number) + 32768] as number;
  return n;
}

/** Encodings of frames that many legs send unchanged, per codec (see shareFrame). */
interface Encodings {
  PCMU?: Uint8Array;
  PCMA?: Uint8Array;
}
const sharedFrames = new WeakMap<Int16Array, Encodings>();

/**
 * Declare `frame` immutable and shared (a cached prompt's 20 ms views, silence): encodeFrameInto then encodes it
 * once per codec and copies the bytes, instead of a table lookup per sample on every leg that plays it.
 */
export function shareFrame(frame: Int16Array): void {
  if (!sharedFrames.has(frame)) sharedFrames.set(frame, {});
}

/** encodeInto for the RTP send path: a shared frame's encoding is made once and copied. */
export function encodeFrameInto(codec: CodecName, pcm: Int16Array, out: Uint8Array, offset: number): number {
  const cache = sharedFrames.get(pcm);
  if (cache === undefined || pcm.length > out.length - offset) return encodeInto(codec, pcm, out, offset);
  let bytes = cache[codec];
  if (bytes === undefined) {
    bytes = new Uint8Array(pcm.length);
    encodeInto(codec, pcm, bytes);
    cache[codec] = bytes;
  }
  out.set(bytes, offset);
  return bytes.length;
}

/** Decode `bytes` into `out` (same length or longer); returns the number of samples written. */
export function decodeInto(codec: CodecName, bytes: Uint8Array, out: Int16Array): number {
  const table = codec === 'PCMU' ? ULAW_DECODE : ALAW_DECODE;
  const n = Math.min(bytes.length, out.length);
  for (let i = 0; i < n; i++) out[i] = table[bytes[i] as number] as number;
  return n;
}

/** Decode into a fresh Int16Array (for consumers that keep the frame). */
export function decode(codec: CodecName, bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  decodeInto(codec, bytes, out);
  return out;
}

/** Encode into a fresh Uint8Array. */
export function encode(codec: CodecName, pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length);
  encodeInto(codec, pcm, out);
  return out;
}

/** Re-encode G.711 bytes from one law to the other in place-safe fashion (for transcoding relays). */
export function transcodeInto(from: CodecName, to: CodecName, src: Uint8Array, out: Uint8Array): number {
  const dec = from === 'PCMU' ? ULAW_DECODE : ALAW_DECODE;
  const enc = to === 'PCMU' ? ULAW_ENCODE : ALAW_ENCODE;
  const n = Math.min(src.length, out.length);
  for (let i = 0; i < n; i++) out[i] = enc[(dec[src[i] as number] as number) + 32768] as number;
  return n;
}
