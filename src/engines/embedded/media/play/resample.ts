/**
 * Offline band-limited resampling (windowed sinc) and downmixing, used once per prompt before caching.
 * The kernel cut-off follows the lower of the two rates, so decimation low-passes first and cannot alias.
 */
import { clamp16 } from './pcm.js';

/** Zero crossings of the sinc kept on each side (at the lower rate). */
const HALF_ZEROS = 8;
/** Kernel table resolution per zero crossing; values in between are linearly interpolated. */
const TABLE_RES = 512;

const KERNEL: Float64Array = buildKernel();

function buildKernel(): Float64Array {
  const n = HALF_ZEROS * TABLE_RES + 2;
  const table = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = i / TABLE_RES;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    // Blackman window over [-HALF_ZEROS, HALF_ZEROS].
    const w = x >= HALF_ZEROS ? 0 : 0.42 + 0.5 * Math.cos((Math.PI * x) / HALF_ZEROS) + 0.08 * Math.cos((2 * Math.PI * x) / HALF_ZEROS);
    table[i] = sinc * w;
  }
  return table;
}

function kernelAt(x: number): number {
  const ax = Math.abs(x) * TABLE_RES;
  const i = Math.floor(ax);
  if (i >= HALF_ZEROS * TABLE_RES) return 0;
  const f = ax - i;
  const a = KERNEL[i] as number;
  const b = KERNEL[i + 1] as number;
  return a + (b - a) * f;
}

/** Average the channels into one (samples stay in their own scale). */
export function downmix(channels: ArrayLike<number>[]): Float32Array {
  const first = channels[0];
  if (!first) return new Float32Array(0);
  const out = new Float32Array(first.length);
  const n = channels.length;
  for (const ch of channels) {
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (ch[i] as number) / n;
  }
  return out;
}

/**
 * Resample `input` (floats in -1..1) from `inRate` to `outRate` and return int16 PCM.
 * Cost is O(out × 2·HALF_ZEROS·max(1, inRate/outRate)).
 */
export function resampleToInt16(input: Float32Array, inRate: number, outRate: number): Int16Array {
  if (inRate === outRate) {
    const out = new Int16Array(input.length);
    for (let i = 0; i < input.length; i++) out[i] = clamp16(Math.round((input[i] as number) * 32767));
    return out;
  }
  const ratio = outRate / inRate;
  const outLen = Math.floor((input.length * outRate) / inRate);
  const out = new Int16Array(outLen);
  // When decimating, stretch the kernel so its cut-off sits at the output Nyquist (scaled by 0.95 for transition).
  const scale = ratio < 1 ? ratio * 0.95 : 0.95;
  const halfWidth = HALF_ZEROS / scale;
  const last = input.length - 1;
  for (let j = 0; j < outLen; j++) {
    const t = j / ratio;
    const lo = Math.max(0, Math.ceil(t - halfWidth));
    const hi = Math.min(last, Math.floor(t + halfWidth));
    let acc = 0;
    for (let i = lo; i <= hi; i++) acc += (input[i] as number) * kernelAt((t - i) * scale);
    out[j] = clamp16(Math.round(acc * scale * 32767));
  }
  return out;
}
