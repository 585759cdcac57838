// Exact confidence values on hand-made logprob sequences (docs/confidence.md).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calibration,
  keepThreshold,
  percentile,
  tokenConfidence,
  tokenSelfCertainty,
  traceConfidence,
  WindowTracker,
  windowMeans,
} from '../../src/core/index.ts';

const ln = Math.log;

describe('token confidence C_t', () => {
  it('is minus the mean of the top-k logprobs', () => {
    expect(tokenConfidence([-0.1, -2.3, -4.6])).toBeCloseTo(7 / 3, 12);
    expect(tokenConfidence([ln(0.5), ln(0.25), ln(0.25)])).toBeCloseTo((ln(2) + 2 * ln(4)) / 3, 12);
    expect(tokenConfidence([0])).toBe(-0);
  });

  it('is higher for a sure token than for an unsure one', () => {
    const sure = [ln(0.99), ln(0.005), ln(0.005)];
    const unsure = [ln(0.34), ln(0.33), ln(0.33)];
    expect(tokenConfidence(sure)).toBeGreaterThan(tokenConfidence(unsure));
  });

  it('clamps -Infinity to -100 and is NaN without entries', () => {
    expect(tokenConfidence([0, Number.NEGATIVE_INFINITY])).toBe(50);
    expect(tokenConfidence([])).toBeNaN();
  });
});

describe('token self-certainty (KL from uniform over the top-k)', () => {
  it('is 0 for a flat top-k and log k − H for a peaked one', () => {
    expect(tokenSelfCertainty([ln(0.25), ln(0.25), ln(0.25), ln(0.25)])).toBeCloseTo(0, 12);
    // p̂ = (1/2, 1/4, 1/4): KL(U‖p̂) = −log 3 − (1/3)(log ½ + 2 log ¼) = (5/3) log 2 − log 3
    expect(tokenSelfCertainty([ln(0.5), ln(0.25), ln(0.25)])).toBeCloseTo((5 / 3) * ln(2) - ln(3), 12);
    // Renormalised: halving every probability changes nothing.
    expect(tokenSelfCertainty([ln(0.25), ln(0.125), ln(0.125)])).toBeCloseTo((5 / 3) * ln(2) - ln(3), 12);
    expect(tokenSelfCertainty([ln(0.7)])).toBe(0);
  });

  it('is never negative', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -30, max: 0, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (lps) => {
          expect(tokenSelfCertainty(lps)).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe('trace confidence', () => {
  const c = [5, 4, 1, 2, 6, 6];
  it('window means by prefix sums', () => {
    expect(windowMeans(c, 2)).toEqual([4.5, 2.5, 1.5, 4, 6]);
    expect(windowMeans(c, 10)).toEqual([4]);
    expect(windowMeans([], 3)).toEqual([]);
  });

  it('lowest window, tail, bottom fraction, mean', () => {
    expect(traceConfidence(c, { variant: 'lowest-window', window: 2 })).toBe(1.5);
    expect(traceConfidence(c, { variant: 'lowest-window', window: 3 })).toBeCloseTo(7 / 3, 12);
    expect(traceConfidence(c, { variant: 'tail', window: 2 })).toBe(6);
    expect(traceConfidence(c, { variant: 'tail', window: 4 })).toBe(3.75);
    // 5 windows of 2: sorted 1.5, 2.5, 4, 4.5, 6; bottom 40 % = 2 windows → 2; 10 % → 1 window → 1.5.
    expect(traceConfidence(c, { variant: 'bottom-fraction', window: 2, fraction: 0.4 })).toBe(2);
    expect(traceConfidence(c, { variant: 'bottom-fraction', window: 2, fraction: 0.1 })).toBe(1.5);
    expect(traceConfidence(c, { variant: 'mean', window: 2 })).toBe(4);
  });

  it('a trace shorter than the window is one window: every variant gives its mean', () => {
    for (const variant of ['lowest-window', 'tail', 'bottom-fraction', 'mean'] as const)
      expect(traceConfidence([3, 1, 2], { variant, window: 2048 })).toBe(2);
    expect(traceConfidence([], { variant: 'tail', window: 4 })).toBeNaN();
  });

  it('from logprob sequences: the unsure stretch sets the lowest window', () => {
    const sure = [ln(0.99), ln(0.005), ln(0.005)];
    const unsure = [ln(0.34), ln(0.33), ln(0.33)];
    const tokens = [sure, sure, unsure, unsure, sure].map(tokenConfidence);
    const lowest = traceConfidence(tokens, { variant: 'lowest-window', window: 2 });
    expect(lowest).toBeCloseTo(tokenConfidence(unsure), 12);
  });

  it('the online tracker sees the same windows as the offline computation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 20, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 10 }),
        (values, w) => {
          const t = new WindowTracker(w);
          const seen: number[] = [];
          for (const v of values) {
            const m = t.push(v);
            if (m !== null) seen.push(m);
          }
          if (values.length < w) expect(seen).toEqual([]);
          else {
            const offline = windowMeans(values, w);
            expect(seen.length).toBe(offline.length);
            for (const [i, m] of seen.entries()) expect(m).toBeCloseTo(offline[i]!, 9);
            expect(t.lowest).toBeCloseTo(traceConfidence(values, { variant: 'lowest-window', window: w }), 9);
          }
        },
      ),
    );
  });
});

describe('percentiles and thresholds', () => {
  it('linear interpolation, as NumPy', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([4, 1, 3, 2], 90)).toBeCloseTo(3.7, 12);
    expect(percentile([1, 2, 3, 4], 0)).toBe(1);
    expect(percentile([1, 2, 3, 4], 100)).toBe(4);
    expect(percentile([Number.NaN, 7], 10)).toBe(7);
    expect(percentile([], 10)).toBeNaN();
  });

  it('keep = 10 keeps the top 10 %', () => {
    const xs = Array.from({ length: 20 }, (_, i) => i);
    const t = keepThreshold(xs, 10);
    expect(t).toBeCloseTo(17.1, 12);
    expect(xs.filter((x) => x >= t)).toEqual([18, 19]);
  });
});

describe('calibration', () => {
  it('ECE of a perfectly calibrated and of an overconfident set', () => {
    const good = Array.from({ length: 10 }, (_, i) => ({ confidence: 0.75, correct: i < 7 }));
    // 3 of 4 right at confidence 0.75: calibrated.
    const exact = [true, true, true, false].map((correct) => ({ confidence: 0.75, correct }));
    expect(calibration(exact).ece).toBeCloseTo(0, 12);
    const over = [true, false].map((correct) => ({ confidence: 1, correct }));
    expect(calibration(over).ece).toBeCloseTo(0.5, 12);
    const r = calibration(good);
    expect(r.bins).toHaveLength(10);
    expect(r.bins[7]!.count).toBe(10);
    expect(calibration([]).ece).toBeNaN();
  });
});
