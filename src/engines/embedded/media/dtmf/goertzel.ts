/**
 * In-band DTMF detection (ITU-T Q.24) with the Goertzel algorithm, for peers that send digits as audio.
 * Blocks of 205 samples (≈25.6 ms, ~39 Hz bins) are checked for one row and one column tone that hold most
 * of the block's energy, each clearly above the others in its group, within the allowed twist. A digit needs
 * two consecutive hit blocks (≈50 ms) and is reported once, when it stops (so its duration is known).
 */
import { SAMPLE_RATE } from '../types.js';

const ROWS = [697, 770, 852, 941] as const;
const COLS = [1209, 1336, 1477, 1633] as const;
const KEYS = ['123A', '456B', '789C', '*0#D'] as const;

/** Detector thresholds; the defaults accept Q.24's twist limits with margin. */
export const GOERTZEL_DEFAULTS = {
  blockSize: 205,
  /** Minimum RMS of a block (int16 units) to be considered at all (about -45 dBm0). */
  minRms: 60,
  /** Share of the block's energy the two tones must carry. */
  minToneShare: 0.6,
  /** Each tone must exceed every other tone of its group by this factor in power (≈ 8 dB). */
  groupRatio: 6.3,
  /** Column stronger than row by at most this (normal twist, 8 dB). */
  maxNormalTwistDb: 8,
  /** Row stronger than column by at most this (reverse twist, 8 dB). */
  maxReverseTwistDb: 8,
  /** Consecutive hit blocks needed. */
  minBlocks: 2,
  /** Consecutive miss blocks that end a digit (bridges short drop-outs). */
  endBlocks: 2,
} as const;

/** A detected digit. */
export interface InbandDigit {
  digit: string;
  durationMs: number;
  /** Sample index (since the detector started) where the digit began. */
  startSample: number;
}

interface Coeff {
  k: number;
}

function coeffs(freqs: readonly number[]): Coeff[] {
  // Exact-frequency coefficients (non-integer bin) centre each filter's main lobe on the DTMF frequency.
  return freqs.map((f) => ({ k: 2 * Math.cos((2 * Math.PI * f) / SAMPLE_RATE) }));
}

function power(block: Float64Array, c: Coeff): number {
  let s1 = 0;
  let s2 = 0;
  const k = c.k;
  for (let i = 0; i < block.length; i++) {
    const s0 = (block[i] as number) + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - k * s1 * s2;
}

/** Streaming in-band DTMF detector; feed it decoded 8 kHz PCM frames of any size. */
export class GoertzelDetector {
  private readonly n: number;
  private readonly block: Float64Array;
  private fill = 0;
  private samples = 0;
  private readonly rowC: Coeff[];
  private readonly colC: Coeff[];
  private cand: string | null = null;
  private candBlocks = 0;
  private candStart = 0;
  private reported: string | null = null;
  private misses = 0;

  constructor(
    private readonly report: (d: InbandDigit) => void,
    private readonly cfg: typeof GOERTZEL_DEFAULTS = GOERTZEL_DEFAULTS,
  ) {
    this.n = cfg.blockSize;
    this.block = new Float64Array(this.n);
    this.rowC = coeffs(ROWS);
    this.colC = coeffs(COLS);
  }

  /** Samples consumed so far (to convert a digit's startSample into a time). */
  get position(): number {
    return this.samples + this.fill;
  }

  /** Feed samples. */
  push(pcm: Int16Array): void {
    for (let i = 0; i < pcm.length; i++) {
      this.block[this.fill++] = pcm[i] as number;
      if (this.fill === this.n) {
        this.fill = 0;
        this.onBlock(this.classify());
        this.samples += this.n;
      }
    }
  }

  /** Report a digit still sounding (end of stream). */
  flush(): void {
    for (let i = 0; i < this.cfg.endBlocks; i++) this.onBlock(null);
  }

  /** The key in the current block, or null. */
  private classify(): string | null {
    const b = this.block;
    const n = this.n;
    let energy = 0;
    for (let i = 0; i < n; i++) energy += (b[i] as number) * (b[i] as number);
    if (Math.sqrt(energy / n) < this.cfg.minRms) return null;
    const r = pick(
      this.rowC.map((c) => power(b, c)),
      this.cfg.groupRatio,
    );
    const c = pick(
      this.colC.map((cc) => power(b, cc)),
      this.cfg.groupRatio,
    );
    if (!r || !c) return null;
    // 2|X|²/N per tone is the energy that tone carries in the block.
    const share = (2 * (r.p + c.p)) / (n * energy);
    if (share < this.cfg.minToneShare) return null;
    const twistDb = 10 * Math.log10(c.p / r.p);
    if (twistDb > this.cfg.maxNormalTwistDb || -twistDb > this.cfg.maxReverseTwistDb) return null;
    return (KEYS[r.i] as string)[c.i] ?? null;
  }

  private onBlock(key: string | null): void {
    if (key !== null && key === this.cand) {
      this.candBlocks++;
      this.misses = 0;
    } else if (
      key === null &&
      this.cand !== null &&
      this.candBlocks >= this.cfg.minBlocks &&
      this.misses + 1 < this.cfg.endBlocks
    ) {
      this.misses++;
      return;
    } else {
      this.end();
      this.cand = key;
      this.candBlocks = key === null ? 0 : 1;
      this.candStart = this.samples;
      this.misses = 0;
    }
    if (this.cand !== null && this.candBlocks === this.cfg.minBlocks) this.reported = this.cand;
  }

  private end(): void {
    if (this.reported !== null && this.reported === this.cand) {
      this.report({
        digit: this.reported,
        durationMs: Math.round((this.candBlocks * this.n * 1000) / SAMPLE_RATE),
        startSample: this.candStart,
      });
    }
    this.reported = null;
  }
}

function pick(p: number[], ratio: number): { i: number; p: number } | null {
  let best = 0;
  for (let i = 1; i < p.length; i++) if ((p[i] as number) > (p[best] as number)) best = i;
  const bp = p[best] as number;
  for (let i = 0; i < p.length; i++) if (i !== best && (p[i] as number) * ratio > bp) return null;
  return { i: best, p: bp };
}
