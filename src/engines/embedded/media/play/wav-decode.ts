/** Decode a WAV file of any common format (PCM 8/16/24/32, float 32/64, G.711, IMA-ADPCM) to 8 kHz int16 mono. */
import wavefile from 'wavefile';
import { downmix, resampleToInt16 } from './resample.js';
import { SAMPLE_RATE } from './pcm.js';

/** A WAV file that could not be read. */
export class WavDecodeError extends Error {
  override readonly name = 'WavDecodeError';
}

interface Fmt {
  numChannels: number;
  sampleRate: number;
}

function scaleFor(bitDepth: string): { offset: number; div: number } {
  switch (bitDepth) {
    case '8':
      return { offset: 128, div: 128 };
    case '32f':
    case '64':
      return { offset: 0, div: 1 };
    default: {
      const bits = Number.parseInt(bitDepth, 10);
      if (!Number.isFinite(bits) || bits < 2 || bits > 32) throw new WavDecodeError(`unsupported bit depth ${bitDepth}`);
      return { offset: 0, div: 2 ** (bits - 1) };
    }
  }
}

/** Decode WAV bytes to 8 kHz mono int16 PCM (downmixed and resampled). */
export function decodeWav(bytes: Uint8Array, outRate: number = SAMPLE_RATE): Int16Array {
  const wav = new wavefile.WaveFile();
  try {
    wav.fromBuffer(bytes);
    if (wav.bitDepth === '8m') wav.fromMuLaw();
    else if (wav.bitDepth === '8a') wav.fromALaw();
    else if (wav.bitDepth === '4') wav.fromIMAADPCM();
  } catch (err) {
    throw new WavDecodeError(`not a readable WAV file: ${(err as Error).message}`);
  }
  const fmt = wav.fmt as Fmt;
  const { offset, div } = scaleFor(wav.bitDepth);
  const raw = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  const channels: Float64Array[] = fmt.numChannels > 1 ? (raw as Float64Array[]) : [raw as Float64Array];
  for (const ch of channels) {
    for (let i = 0; i < ch.length; i++) ch[i] = ((ch[i] as number) - offset) / div;
  }
  const mono = downmix(channels);
  if (!(fmt.sampleRate > 0)) throw new WavDecodeError('WAV has no sample rate');
  return resampleToInt16(mono, fmt.sampleRate, outRate);
}
