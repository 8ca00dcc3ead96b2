import { describe, expect, it } from 'vitest';
import { decodeInto, encode } from '../codec/g711.js';
import { rms } from '../play/pcm.js';
import { DTMF_FREQS } from '../play/tones.js';
import { GoertzelDetector, type InbandDigit } from './goertzel.js';

/** Deterministic PRNG so noise tests are reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

interface Opts {
  onMs?: number;
  offMs?: number;
  rowAmp?: number;
  colAmp?: number;
  noiseRms?: number;
  g711?: boolean;
}

function synth(digits: string, o: Opts = {}): Int16Array {
  const on = ((o.onMs ?? 80) * 8000) / 1000;
  const off = ((o.offMs ?? 60) * 8000) / 1000;
  const out = new Int16Array(digits.length * (on + off) + 800);
  const rand = rng(42);
  let n = 400;
  for (const d of digits) {
    const [fr, fc] = DTMF_FREQS[d] as readonly [number, number];
    for (let i = 0; i < on; i++) {
      const t = (n + i) / 8000;
      out[n + i] = Math.round(
        (o.rowAmp ?? 6000) * Math.sin(2 * Math.PI * fr * t) +
          (o.colAmp ?? 6000) * Math.sin(2 * Math.PI * fc * t),
      );
    }
    n += on + off;
  }
  if (o.noiseRms) {
    // Uniform noise of the given RMS (uniform on [-a, a] has RMS a/√3).
    const a = o.noiseRms * Math.sqrt(3);
    for (let i = 0; i < out.length; i++)
      out[i] = Math.max(-32768, Math.min(32767, (out[i] as number) + Math.round((rand() * 2 - 1) * a)));
  }
  if (o.g711) {
    const back = new Int16Array(out.length);
    decodeInto('PCMU', encode('PCMU', out), back);
    return back;
  }
  return out;
}

function detect(pcm: Int16Array, frame = 160): InbandDigit[] {
  const got: InbandDigit[] = [];
  const det = new GoertzelDetector((d) => got.push(d));
  for (let i = 0; i < pcm.length; i += frame) det.push(pcm.subarray(i, i + frame));
  det.flush();
  return got;
}

describe('GoertzelDetector', () => {
  it('detects every key once, in order, through G.711', () => {
    const keys = '123456789*0#ABCD';
    const got = detect(synth(keys, { g711: true }));
    expect(got.map((d) => d.digit).join('')).toBe(keys);
    for (const d of got) expect(d.durationMs).toBeGreaterThanOrEqual(50);
  });

  it('repeated digit separated by a gap is reported twice', () => {
    expect(detect(synth('55')).map((d) => d.digit)).toEqual(['5', '5']);
  });

  it('accepts 6 dB twist both ways, rejects 14 dB twist', () => {
    expect(detect(synth('3', { rowAmp: 3000, colAmp: 6000 })).map((d) => d.digit)).toEqual(['3']);
    expect(detect(synth('3', { rowAmp: 6000, colAmp: 3000 })).map((d) => d.digit)).toEqual(['3']);
    expect(detect(synth('3', { rowAmp: 1200, colAmp: 6000 }))).toEqual([]);
  });

  it('detects with noise at 15 dB SNR, not in noise alone', () => {
    // Two tones of amplitude 6000 carry 6000² of power; noise RMS 1070 is 15 dB below.
    expect(detect(synth('7#', { noiseRms: 1070 })).map((d) => d.digit)).toEqual(['7', '#']);
    const noise = synth('', { noiseRms: 4000 });
    expect(detect(noise)).toEqual([]);
  });

  it('ignores a single tone, speech-like chords and too-short bursts', () => {
    const single = new Int16Array(8000);
    for (let i = 0; i < single.length; i++)
      single[i] = Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000));
    expect(detect(single)).toEqual([]);
    const chord = new Int16Array(8000);
    for (let i = 0; i < chord.length; i++) {
      chord[i] = Math.round(
        4000 *
          (Math.sin((2 * Math.PI * 697 * i) / 8000) +
            Math.sin((2 * Math.PI * 770 * i) / 8000) +
            Math.sin((2 * Math.PI * 1209 * i) / 8000)),
      );
    }
    expect(detect(chord)).toEqual([]);
    expect(detect(synth('1', { onMs: 20 }))).toEqual([]);
  });

  it('talk-off: synthesised speech gives no digit, and a digit mixed under speech is still found', async () => {
    const { EspeakTts } = await import('../play/tts.js');
    const speech = await new EspeakTts().synthesize(
      'Thank you for calling. Your call is important to us. Please hold, one two three four five.',
    );
    expect(detect(speech)).toEqual([]);
    const mixed = speech.slice();
    const tone = synth('8', { onMs: 120, rowAmp: 9000, colAmp: 9000 });
    // Over the loudest second of speech, so the speech really competes with the tone.
    let at = 0;
    let best = 0;
    for (let i = 0; i + 8000 < speech.length; i += 800) {
      const level = rms(speech.subarray(i, i + 8000));
      if (level > best) [best, at] = [level, i];
    }
    expect(best).toBeGreaterThan(500);
    for (let i = 0; i < tone.length && at + i < mixed.length; i++) {
      mixed[at + i] = Math.max(-32768, Math.min(32767, mixed[at + i]! + tone[i]!));
    }
    expect(detect(mixed).map((d) => d.digit)).toEqual(['8']);
  });

  it('works with odd frame sizes', () => {
    expect(detect(synth('90', { g711: true }), 37).map((d) => d.digit)).toEqual(['9', '0']);
  });
});
