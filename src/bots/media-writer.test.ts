import { describe, expect, it } from 'vitest';
import { pcmToBase64, pcmToMulawBase64 } from './audio-codec.js';
import { exotel } from './exotel.js';
import { MediaWriter } from './media-writer.js';
import type { BotProtocol, StreamFacts } from './protocol.js';
import { twilio } from './twilio.js';

const facts = (encoding: 'pcm' | 'mulaw'): StreamFacts => ({
  streamId: 'MZabc"é',
  callId: 'c1',
  accountId: 'a1',
  from: '+1',
  to: '+2',
  params: {},
  sampleRate: 8000,
  encoding,
});
const frame = Int16Array.from({ length: 160 }, (_, i) => Math.round(9000 * Math.sin(i / 5)));

describe('MediaWriter', () => {
  for (const [protocol, encoding] of [
    [exotel, 'pcm'],
    [exotel, 'mulaw'],
    [twilio, 'mulaw'],
  ] as const) {
    it(`writes exactly what ${protocol.name} media() + JSON.stringify give (${encoding})`, () => {
      const f = facts(encoding);
      const w = MediaWriter.for(protocol, f);
      expect(w).not.toBeNull();
      const encode = encoding === 'mulaw' ? pcmToMulawBase64 : pcmToBase64;
      for (const [seq, chunk, ts] of [[1, 1, 0], [2, 9, 19.5], [123456, 123455, 987654.49], [10, 10, -3]] as const) {
        const text = w?.write(seq, chunk, ts, frame).toString('utf8');
        expect(text).toBe(JSON.stringify(protocol.media(f, seq, chunk, ts, encode(frame))));
      }
      // A longer frame (e.g. 16 kHz) grows the buffer and still matches.
      const long = Int16Array.from({ length: 480 }, (_, i) => i * 31);
      expect(w?.write(5, 5, 5, long).toString('utf8')).toBe(JSON.stringify(protocol.media(f, 5, 5, 5, encode(long))));
    });
  }

  it('refuses a builder it cannot reproduce', () => {
    const odd: BotProtocol = { ...exotel, media: (f, seq, chunk, ts, payload) => ({ seq, chunk, ts: ts.toFixed(1), payload, sid: f.streamId }) };
    expect(MediaWriter.for(odd, facts('pcm'))).toBeNull();
    const twice: BotProtocol = { ...exotel, media: (_f, seq, chunk, ts, payload) => ({ seq, again: seq, chunk, ts, payload }) };
    expect(MediaWriter.for(twice, facts('pcm'))).toBeNull();
  });
});

describe('MediaWriter.frame', () => {
  const unmask = (f: Buffer): string => {
    const len = (f[1] as number) & 0x7f;
    const o = len === 126 ? 4 : len === 127 ? 10 : 2;
    const key = f.subarray(o, o + 4);
    return Buffer.from(f.subarray(o + 4).map((b, i) => b ^ (key[i & 3] as number))).toString('utf8');
  };

  it('is the written message as one masked text frame, and renew() leaves a handed-out frame intact', () => {
    const f = facts('pcm');
    const w = MediaWriter.for(exotel, f) as MediaWriter;
    const first = w.frame(1, 1, 20, frame);
    expect(first[0]).toBe(0x81);
    expect((first[1] as number) & 0x80).toBe(0x80);
    expect(unmask(first)).toBe(JSON.stringify(exotel.media(f, 1, 1, 20, pcmToBase64(frame))));
    const kept = Buffer.from(first);
    w.renew();
    const second = w.frame(2, 2, 40, frame.map((v) => -v));
    expect(first.equals(kept)).toBe(true);
    expect(unmask(second)).toBe(JSON.stringify(exotel.media(f, 2, 2, 40, pcmToBase64(frame.map((v) => -v)))));
  });
});
