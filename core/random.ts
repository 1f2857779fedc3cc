/** Seeded, reproducible randomness: one small PRNG and the initialisers built on it. */

/**
 * mulberry32: a 32-bit state generator, fast and good enough for initial weights; the same seed gives the
 * same numbers on every platform, so a saved lab reopens with the same kernel.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` values from Uniform(low, high), drawn from `seed`. */
export function uniform(n: number, low: number, high: number, seed = 0): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = low + (high - low) * next();
  return out;
}

/** Gluon's default initialiser, which the book's Conv2D gets: Uniform(−0.07, 0.07). */
export const DEFAULT_INIT_SCALE = 0.07;

/** Default Conv2D weights for `n` values: Uniform(−0.07, 0.07) from `seed`. */
export function defaultConvWeights(n: number, seed = 0): Float32Array {
  return uniform(n, -DEFAULT_INIT_SCALE, DEFAULT_INIT_SCALE, seed);
}
