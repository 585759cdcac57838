// Pass@k, two different things: the oracle pass@k of the policy (how often k random samples hold a
// correct one) and the Pass@k of a strategy (whether one of its k submissions is correct).
import type { Selection } from '../src/core/index.ts';

/**
 * Unbiased oracle pass@k of the policy (Chen et al. 2021): with n samples of which c are correct,
 * 1 − C(n−c, k)/C(n, k), in the product form 1 − ∏_{i=n−c+1}^{n} (1 − k/i). The product never forms
 * a binomial coefficient, so it neither overflows nor cancels; relative error stays near 1e-13 for
 * n up to 10,000 (checked against exact BigInt arithmetic in the tests).
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k)) {
    throw new RangeError(`passAtK needs integers, got n=${n} c=${c} k=${k}`);
  }
  if (n < 0 || c < 0 || c > n || k < 1 || k > n) {
    throw new RangeError(`passAtK needs 0 ≤ c ≤ n and 1 ≤ k ≤ n, got n=${n} c=${c} k=${k}`);
  }
  if (n - c < k) return 1;
  let miss = 1;
  for (let i = n - c + 1; i <= n; i++) miss *= 1 - k / i;
  return 1 - miss;
}

/**
 * Rank (0-based) of the first submitted cluster whose representative is correct; Infinity if none.
 * The "no answer" cluster is never correct, whatever its representative wrote before it was cut.
 */
export function firstCorrectRank(selection: Selection, sampleCorrect: Uint8Array): number {
  const i = selection.chosen.findIndex(
    (c) => c.cluster.key !== null && sampleCorrect[c.representative] === 1,
  );
  return i < 0 ? Number.POSITIVE_INFINITY : i;
}
