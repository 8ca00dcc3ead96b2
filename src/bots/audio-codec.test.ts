import alawmulaw from 'alawmulaw';
import { describe, expect, it } from 'vitest';
import { base64Length, base64ToPcm, cleanBase64, mulawBase64ToPcm, PcmDecoder, pcmToBase64, pcmToMulawBase64, writeBase64 } from './audio-codec.js';

const ramp = Int16Array.from({ length: 4096 }, (_, i) => ((i * 997) % 65536) - 32768);

describe('audio-codec', () => {
  it('PCM base64 is 16-bit little-endian and round-trips', () => {
    const pcm = Int16Array.from([1, -2, 32767, -32768, 0x1234]);
    const b64 = pcmToBase64(pcm);
    const bytes = Buffer.from(b64, 'base64');
    expect([...bytes]).toEqual([1, 0, 0xfe, 0xff, 0xff, 0x7f, 0x00, 0x80, 0x34, 0x12]);
    expect([...base64ToPcm(b64)]).toEqual([...pcm]);
  });

  it('PCM of a subarray encodes only its own samples', () => {
    const whole = Int16Array.from([9, 8, 7, 6]);
    expect([...base64ToPcm(pcmToBase64(whole.subarray(1, 3)))]).toEqual([8, 7]);
  });

  it('drops a trailing odd byte', () => {
    expect([...base64ToPcm(Buffer.from([1, 0, 2]).toString('base64'))]).toEqual([1]);
  });

  it('µ-law tables are bit-exact with alawmulaw both ways', () => {
    const ours = Buffer.from(pcmToMulawBase64(ramp), 'base64');
    expect([...ours]).toEqual([...alawmulaw.mulaw.encode(ramp)]);
    const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect([...mulawBase64ToPcm(Buffer.from(codes).toString('base64'))]).toEqual([...alawmulaw.mulaw.decode(codes)]);
  });

  it('writeBase64 matches Buffer base64 for every tail length', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 320, 321, 322]) {
      const src = Uint8Array.from({ length: n }, (_, i) => (i * 73 + 11) & 0xff);
      const dst = Buffer.alloc(base64Length(n) + 3, 0x2a);
      const end = writeBase64(src, dst, 2);
      expect(end).toBe(2 + base64Length(n));
      expect(dst.subarray(2, end).toString('latin1')).toBe(Buffer.from(src).toString('base64'));
      expect(dst[end]).toBe(0x2a);
    }
  });

  it('base64ToPcm gives the samples Buffer.from(base64) gives, for any length, padding or stray characters', () => {
    const reference = (b64: string): number[] => {
      const b = Buffer.from(b64, 'base64');
      return Array.from({ length: b.length >> 1 }, (_, i) => b.readInt16LE(2 * i));
    };
    for (let n = 0; n < 40; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 73 + n) & 0xff));
      const b64 = bytes.toString('base64');
      expect([...base64ToPcm(b64)]).toEqual(reference(b64));
      expect([...base64ToPcm(b64.replace(/=+$/, ''))]).toEqual(reference(b64));
    }
    expect([...base64ToPcm('AQD+/w==\n')]).toEqual(reference('AQD+/w==\n'));
    expect([...base64ToPcm('AQ D+/w')]).toEqual(reference('AQ D+/w'));
  });

  it('PcmDecoder carries an odd byte into the next message, for every split of a stream', () => {
    const samples = Int16Array.from({ length: 9 }, (_, i) => i * 3001 - 12000);
    const bytes = Buffer.from(pcmToBase64(samples), 'base64');
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b++) {
        const d = new PcmDecoder();
        const out = [bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)].flatMap((p) => [...d.decode(p.toString('base64'))]);
        expect(out).toEqual([...samples]);
      }
    }
    const d = new PcmDecoder();
    expect([...d.decode(Buffer.from([1, 0, 2]).toString('base64'))]).toEqual([1]);
    d.reset();
    expect([...d.decode(Buffer.from([3, 0]).toString('base64'))]).toEqual([3]);
  });

  it('cleanBase64 strips whitespace, allows missing padding, and rejects garbage', () => {
    expect(cleanBase64('AQD+\r\n/w==')).toBe('AQD+/w==');
    expect(cleanBase64(' AQD+/w ')).toBe('AQD+/w');
    expect(cleanBase64('AQD+/wI')).toBe('AQD+/wI');
    expect(cleanBase64('')).toBe('');
    for (const bad of ['A', 'AQD+/', 'A=B=', 'AQ=', '@@@@', 'AQD+/w===']) expect(cleanBase64(bad)).toBeNull();
  });
});
