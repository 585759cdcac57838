// Seeded randomness for resampling and simulation: same seed, same draws, on every machine.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal. */
  normal(): number;
}

/** mulberry32: tiny, fast, and good enough for Monte Carlo trials (not for cryptography). */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    normal() {
      // Box–Muller; 1 − u keeps the logarithm finite.
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}

/** k distinct indices from [0, n), in draw order (partial Fisher–Yates). */
export function drawWithoutReplacement(n: number, k: number, rng: Rng): number[] {
  if (k > n) throw new RangeError(`cannot draw ${k} of ${n} without replacement`);
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  return Array.from(drawInto(pool, k, rng));
}

/**
 * The hot-loop form: partial Fisher–Yates over `pool`, which must hold a permutation of 0..n−1 and is
 * left permuted. Starting from any permutation the first k entries are a uniform ordered k-subset, so
 * one buffer serves every trial without being reset. Returns a view of `pool`'s first k entries.
 */
export function drawInto(pool: Int32Array, k: number, rng: Rng): Int32Array {
  const n = pool.length;
  if (k > n) throw new RangeError(`cannot draw ${k} of ${n} without replacement`);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const tmp = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = tmp;
  }
  return pool.subarray(0, k);
}
