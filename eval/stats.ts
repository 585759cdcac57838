// Uncertainty over problems: percentile bootstrap CIs (plain and paired) and the exact sign test.
import { createRng } from '../src/core/index.ts';

export interface BootstrapOptions {
  /** Number of bootstrap resamples. */
  readonly resamples?: number;
  /** Confidence level, e.g. 0.95. */
  readonly level?: number;
  readonly seed?: number;
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length === 0 ? Number.NaN : s / values.length;
}

/**
 * Percentile bootstrap CI of the mean over problems (none, NaN, for fewer than two). Resampling problems (not trials) is what makes
 * the interval about the benchmark: trial noise is already averaged inside each problem's value.
 */
export function bootstrapCI(values: ArrayLike<number>, options: BootstrapOptions = {}): [number, number] {
  const n = values.length;
  // One problem says nothing about the spread: every resample is that value, and [v, v] would read
  // as certainty. No interval (NaN; null in JSON, n/a in the reports).
  if (n < 2) return [Number.NaN, Number.NaN];
  const b = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const rng = createRng(options.seed ?? 1);
  const means = new Float64Array(b);
  for (let r = 0; r < b; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[Math.floor(rng.next() * n)]!;
    means[r] = s / n;
  }
  means.sort();
  const lo = means[Math.floor(((1 - level) / 2) * (b - 1))]!;
  const hi = means[Math.ceil((1 - (1 - level) / 2) * (b - 1))]!;
  return [lo, hi];
}

/** Paired bootstrap CI of mean(a − b): the same resampled problems on both sides. */
export function pairedBootstrapCI(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: BootstrapOptions = {},
): [number, number] {
  if (a.length !== b.length) throw new RangeError('paired samples must have equal length');
  const diff = Float64Array.from({ length: a.length }, (_, i) => a[i]! - b[i]!);
  return bootstrapCI(diff, options);
}

export interface SignTest {
  /** Problems where a did better / worse than b (ties dropped). */
  readonly wins: number;
  readonly losses: number;
  readonly ties: number;
  /** Exact two-sided binomial p-value under H0: P(win) = 1/2. With 0/1 outcomes this is exact McNemar. */
  readonly pValue: number;
}

export function signTest(a: ArrayLike<number>, b: ArrayLike<number>, eps = 1e-12): SignTest {
  let wins = 0;
  let losses = 0;
  let ties = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d > eps) wins++;
    else if (d < -eps) losses++;
    else ties++;
  }
  return { wins, losses, ties, pValue: binomialTwoSided(wins, wins + losses) };
}

/** Two-sided exact binomial test p-value for x successes in n trials at p = 1/2 (doubling rule). */
export function binomialTwoSided(x: number, n: number): number {
  if (n === 0) return 1;
  const m = Math.min(x, n - x);
  // Sum P(X ≤ m) in log space so n in the thousands neither overflows nor underflows.
  let logTerm = -n * Math.LN2; // log C(n,0) / 2^n
  let tail = Math.exp(logTerm);
  for (let i = 1; i <= m; i++) {
    logTerm += Math.log((n - i + 1) / i);
    tail += Math.exp(logTerm);
  }
  return Math.min(1, 2 * tail);
}
