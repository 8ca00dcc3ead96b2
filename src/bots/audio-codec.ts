/** Payload codecs for bot protocols: base64 of 16-bit little-endian PCM, or of G.711 µ-law. */
import alawmulaw from 'alawmulaw';

/** Encode PCM samples as base64 little-endian 16-bit. */
export function pcmToBase64(pcm: Int16Array): string {
  const buf = Buffer.allocUnsafe(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) buf.writeInt16LE(pcm[i] as number, i * 2);
  return buf.toString('base64');
}

/** Decode base64 little-endian 16-bit PCM; a trailing odd byte is dropped. */
export function base64ToPcm(b64: string): Int16Array {
  const buf = Buffer.from(b64, 'base64');
  const n = buf.length >> 1;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = buf.readInt16LE(i * 2);
  return out;
}

/** Encode PCM as base64 µ-law. */
export function pcmToMulawBase64(pcm: Int16Array): string {
  return Buffer.from(alawmulaw.mulaw.encode(pcm)).toString('base64');
}

/** Decode base64 µ-law to PCM. */
export function mulawBase64ToPcm(b64: string): Int16Array {
  return alawmulaw.mulaw.decode(new Uint8Array(Buffer.from(b64, 'base64')));
}

/** True when the string is plausible base64 (so garbage is reported instead of played as noise). */
export function isBase64(s: string): boolean {
  return s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s);
}
