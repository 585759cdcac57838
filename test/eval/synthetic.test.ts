// The paper's two lower-bound constructions, checked qualitatively with fixed seeds and enough trials
// that the margins are many standard errors wide (not flaky, not exact numbers).
import { describe, expect, it } from 'vitest';
import { createRng, drawWithoutReplacement } from '../../src/core/rng.ts';
import { simulatePassAtK } from '../../eval/simulate.ts';
import { drawSamples, majorityTrap, rewardHacking } from '../../eval/synthetic.ts';
import { bestOfMajority, bestOfN, majority } from '../../strategies/index.ts';

const TRIALS = 300;

describe('seeded randomness', () => {
  it('repeats exactly for a seed and differs across seeds', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('draws without replacement', () => {
    const picked = drawWithoutReplacement(10, 10, createRng(1));
    expect([...picked].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => drawWithoutReplacement(3, 4, createRng(1))).toThrow(RangeError);
  });

  it('samples answers in proportion to their probability', () => {
    const draw = drawSamples(majorityTrap({ wrong: 3, pCorrect: 0.16 }), 20_000, createRng(3));
    const share = draw.keys.filter((k) => k === 'correct').length / 20_000;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.17);
  });
});

describe('construction (a): wrong answers each likelier than the correct one, perfect reward model', () => {
  const problem = majorityTrap({ wrong: 3, pCorrect: 0.16 });

  it('majority fails at every N while best-of-n and best-of-majority succeed', async () => {
    // BoM needs N large enough for the correct answer's count to clear α·N (the paper's N ≳ C*·log).
    for (const n of [128, 512]) {
      const maj = await simulatePassAtK(problem, majority, { n, k: 1, trials: TRIALS, seed: 11 });
      const bon = await simulatePassAtK(problem, bestOfN, { n, k: 1, trials: TRIALS, seed: 11 });
      // α = p*/2 lies inside the paper's sandwich [1/(4C*), 3/(4C*)] = [0.04, 0.12].
      const bom = await simulatePassAtK(problem, bestOfMajority, {
        n,
        k: 1,
        alpha: 0.08,
        trials: TRIALS,
        seed: 11,
      });
      expect(maj.passAtK).toBeLessThan(0.05);
      expect(bon.passAtK).toBeGreaterThan(0.95);
      expect(bom.passAtK).toBeGreaterThan(0.9);
    }
  });

  it('more votes do not rescue majority (k ≤ number of wrong answers)', async () => {
    const maj = await simulatePassAtK(problem, majority, { n: 256, k: 3, trials: TRIALS, seed: 5 });
    expect(maj.passAtK).toBeLessThan(0.05);
  });
});

describe('construction (b): rare wrong answers with overestimated rewards', () => {
  const problem = rewardHacking({ pCorrect: 0.6, rareMass: 0.1, rareCount: 10_000 });

  it("best-of-n's pass@1 falls as N grows while best-of-majority's does not", async () => {
    const bon: number[] = [];
    const bom: number[] = [];
    for (const n of [4, 16, 64]) {
      bon.push((await simulatePassAtK(problem, bestOfN, { n, k: 1, trials: TRIALS, seed: 21 })).passAtK);
      bom.push(
        (await simulatePassAtK(problem, bestOfMajority, { n, k: 1, alpha: 0.2, trials: TRIALS, seed: 21 }))
          .passAtK,
      );
    }
    // BoN: P(no rare answer among N) = 0.9^N → 0.66, 0.19, 0.001 (times P(correct present)).
    expect(bon[0]!).toBeGreaterThan(bon[1]! + 0.2);
    expect(bon[1]!).toBeGreaterThan(bon[2]! + 0.1);
    expect(bon[2]!).toBeLessThan(0.05);
    // BoM: the floor removes singletons, so it improves with N and ends near 1.
    expect(bom[1]!).toBeGreaterThanOrEqual(bom[0]! - 0.05);
    expect(bom[2]!).toBeGreaterThanOrEqual(bom[1]! - 0.02);
    expect(bom[2]!).toBeGreaterThan(0.95);
  });

  it('best-of-majority scores far fewer samples than best-of-n', async () => {
    const bon = await simulatePassAtK(problem, bestOfN, { n: 64, k: 1, trials: 50, seed: 2 });
    const bom = await simulatePassAtK(problem, bestOfMajority, {
      n: 64,
      k: 1,
      alpha: 0.2,
      trials: 50,
      seed: 2,
    });
    expect(bon.meanScored).toBe(64);
    // It skips the rare singletons (10% of samples, ~6.4 of 64) and scores everything else.
    expect(bom.meanScored).toBeLessThan(64 - 4);
  });
});
