import { describe, expect, it } from 'vitest';
import { binomialTwoSided, bootstrapCI, mean, pairedBootstrapCI, signTest } from '../../eval/stats.ts';

describe('exact sign / McNemar test', () => {
  it('matches hand-computed binomial tails', () => {
    expect(binomialTwoSided(0, 5)).toBeCloseTo(2 / 32, 12);
    expect(binomialTwoSided(1, 10)).toBeCloseTo((2 * 11) / 1024, 12);
    expect(binomialTwoSided(5, 10)).toBe(1);
    expect(binomialTwoSided(0, 0)).toBe(1);
    // Large n stays finite and tiny.
    expect(binomialTwoSided(0, 2000)).toBeGreaterThanOrEqual(0);
    expect(binomialTwoSided(1000, 2000)).toBe(1);
  });

  it('counts wins, losses and ties on per-problem outcomes', () => {
    const t = signTest([1, 1, 0, 1, 0.5], [0, 1, 0, 0, 0.25]);
    expect(t).toMatchObject({ wins: 3, losses: 0, ties: 2 });
    expect(t.pValue).toBeCloseTo(0.25, 12);
  });
});

describe('bootstrap over problems', () => {
  const values = Float64Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 0 : 1));
  it('brackets the mean, is seeded, and narrows with more problems', () => {
    const [lo, hi] = bootstrapCI(values, { seed: 3 });
    expect(lo).toBeLessThan(mean(values));
    expect(hi).toBeGreaterThan(mean(values));
    expect(bootstrapCI(values, { seed: 3 })).toEqual([lo, hi]);
    const wide = bootstrapCI(values.subarray(0, 20), { seed: 3 });
    expect(wide[1] - wide[0]).toBeGreaterThan(hi - lo);
  });

  it('one problem has no CI (a resample of one value is that value: [v, v] would claim certainty)', () => {
    expect(bootstrapCI([1])).toEqual([Number.NaN, Number.NaN]);
    expect(pairedBootstrapCI([1], [0])).toEqual([Number.NaN, Number.NaN]);
    const [lo, hi] = bootstrapCI([0, 1], { seed: 3 });
    expect(lo).toBe(0);
    expect(hi).toBe(1);
  });

  it('paired CI of identical arms is [0, 0]; a constant shift is recovered exactly', () => {
    expect(pairedBootstrapCI(values, values)).toEqual([0, 0]);
    const shifted = values.map((v) => v - 0.25);
    const [lo, hi] = pairedBootstrapCI(values, shifted);
    expect(lo).toBeCloseTo(0.25, 12);
    expect(hi).toBeCloseTo(0.25, 12);
  });
});
