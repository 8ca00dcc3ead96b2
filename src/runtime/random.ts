/** A seedable source of randomness, so simulations that call random_digits/uuid/pick replay identically. */

/** Randomness the function library draws from. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
}

/** A deterministic generator (mulberry32) from a 32-bit seed. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** Math.random, for production sessions. */
export const systemRandom: Random = { next: () => Math.random() };
