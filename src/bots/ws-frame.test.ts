import { describe, expect, it } from 'vitest';
import { FRAME_HEADROOM, maskedTextFrame, TextFrames } from './ws-frame.js';

/** Decode one client frame per RFC 6455 §5.2 (independent of the writer): fin/opcode, mask bit, key, payload. */
function decode(f: Uint8Array): { fin: boolean; opcode: number; masked: boolean; key: number[]; payload: Buffer } {
  let len = (f[1] as number) & 0x7f;
  let o = 2;
  if (len === 126) {
    len = ((f[2] as number) << 8) | (f[3] as number);
    o = 4;
  } else if (len === 127) {
    len = 0;
    for (let i = 2; i < 10; i++) len = len * 256 + (f[i] as number);
    o = 10;
  }
  const key = Array.from(f.subarray(o, o + 4));
  const payload = Buffer.from(f.subarray(o + 4, o + 4 + len)).map((b, i) => b ^ (key[i & 3] as number));
  expect(o + 4 + len).toBe(f.length);
  return { fin: ((f[0] as number) & 0x80) !== 0, opcode: (f[0] as number) & 0x0f, masked: ((f[1] as number) & 0x80) !== 0, key, payload: Buffer.from(payload) };
}

function frameOf(text: string): { frame: Buffer; start: number } {
  const body = Buffer.from(text);
  const ab = new ArrayBuffer((FRAME_HEADROOM + body.length + 3) & ~3);
  const bytes = Buffer.from(ab);
  body.copy(bytes, FRAME_HEADROOM);
  const start = maskedTextFrame(bytes, new Uint32Array(ab), FRAME_HEADROOM, body.length);
  return { frame: bytes.subarray(start, FRAME_HEADROOM + body.length), start };
}

describe('maskedTextFrame', () => {
  for (const n of [0, 1, 5, 125, 126, 127, 563, 65535, 65536, 100_003]) {
    it(`frames and masks a ${n}-byte text payload`, () => {
      const text = Array.from({ length: n }, (_, i) => String.fromCharCode(32 + ((i * 7) % 90))).join('');
      const { frame } = frameOf(text);
      const d = decode(frame);
      expect(d.fin).toBe(true);
      expect(d.opcode).toBe(1);
      expect(d.masked).toBe(true);
      expect(d.payload.toString()).toBe(text);
      // Masked: the bytes on the wire are not the text (unless the key happens to be zero).
      if (n >= 8 && d.key.some((b) => b !== 0)) expect(frame.subarray(frame.length - n).toString()).not.toBe(text);
    });
  }

  it('uses a fresh key for each frame', () => {
    const keys = new Set(Array.from({ length: 50 }, () => decode(frameOf('{"event":"media"}').frame).key.join(',')));
    expect(keys.size).toBeGreaterThan(45);
  });
});

describe('TextFrames', () => {
  it('frames UTF-8 text of any size, and renew() leaves a handed-out frame intact', () => {
    const t = new TextFrames();
    const small = '{"event":"mark","name":"é→😀"}';
    const first = t.frame(small);
    expect(decode(first).payload.toString('utf8')).toBe(small);
    const kept = Buffer.from(first);
    t.renew();
    const big = 'x'.repeat(70_000) + 'ü';
    expect(decode(t.frame(big)).payload.toString('utf8')).toBe(big);
    expect(first.equals(kept)).toBe(true);
    expect(decode(t.frame('')).payload.length).toBe(0);
  });
});
