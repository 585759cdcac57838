// The stopping rules, decided by hand: binomial tails against closed forms, each rule's decisions on
// vote sequences (ties, the no-answer cluster, truncated samples), and the reward bound on a case
// computed on paper (docs/adaptive.md).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AdaptiveSettings,
  adaptiveSettings,
  betaLeadConfidence,
  binomialCdf,
  castVotes,
  type Criterion,
  criterionOf,
  decideStop,
  incompleteBetaInt,
  scoreTargets,
  windowFor,
} from '../../src/selection/index.ts';
import { clusterByKey } from '../../src/answers/index.ts';
import { getStrategy, parseStrategyOptions } from '../../strategies/index.ts';
import { clusteringOf } from '../strategies/helpers.ts';

const votes: Criterion = { kind: 'votes' };
const beta = (over: Partial<AdaptiveSettings> = {}): AdaptiveSettings => ({
  rule: 'beta',
  confidence: 0.95,
  minSamples: 1,
  batch: 1,
  window: 4,
  ...over,
});

/** The first t at which the rule stops on this vote sequence (null: never before the budget). */
function stopsAt(
  keys: readonly (string | null)[],
  settings: AdaptiveSettings,
  budget = 100,
  k = 1,
  criterion: Criterion = votes,
  reward?: (id: number) => number | undefined,
): number | null {
  for (let t = 1; t <= keys.length; t++) {
    const clustering = clusteringOf(keys.slice(0, t));
    const order = Array.from({ length: t }, (_, i) => i);
    const d = decideStop(
      { clustering, order, budget, k, ...(reward ? { reward } : {}) },
      criterion,
      settings,
    );
    if (d.stop && d.early) return t;
  }
  return null;
}

describe('binomial tails (the regularised incomplete Beta at integers)', () => {
  it('match hand values', () => {
    expect(binomialCdf(4, 0.5, 3)).toBeCloseTo(15 / 16, 14);
    expect(binomialCdf(2, 0.5, 0)).toBeCloseTo(1 / 4, 14);
    expect(binomialCdf(10, 0.3, -1)).toBe(0);
    expect(binomialCdf(10, 0.3, 10)).toBe(1);
    // P(X ≤ 500) for Bin(1000, ½) = ½ + P(X = 500)/2, P(X = 500) = 0.0252250181783608…
    expect(binomialCdf(1000, 0.5, 500)).toBeCloseTo(0.5 + 0.0252250181783608 / 2, 12);
    // Far tails stay positive and exact in log space: P(X ≤ 0) for Bin(2000, ½) = 2^-2000 underflows to 0.
    expect(binomialCdf(200, 0.5, 0)).toBeCloseTo(2 ** -200, 70);
  });

  it('I_x(a, 1) = x^a, I_x(1, b) = 1 − (1 − x)^b', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
        (x, a) => {
          expect(incompleteBetaInt(x, a, 1)).toBeCloseTo(x ** a, 10);
          expect(incompleteBetaInt(x, 1, a)).toBeCloseTo(1 - (1 - x) ** a, 10);
        },
      ),
    );
  });

  it("Adaptive-Consistency's confidence 1 − I_½(v1 + 1, v2 + 1)", () => {
    expect(betaLeadConfidence(0, 0)).toBeCloseTo(1 / 2, 14);
    expect(betaLeadConfidence(1, 0)).toBeCloseTo(3 / 4, 14);
    expect(betaLeadConfidence(3, 0)).toBeCloseTo(15 / 16, 14);
    expect(betaLeadConfidence(4, 0)).toBeCloseTo(31 / 32, 14);
    expect(betaLeadConfidence(5, 1)).toBeCloseTo(120 / 128, 14);
    expect(betaLeadConfidence(6, 1)).toBeCloseTo(1 - 9 / 256, 14);
    expect(betaLeadConfidence(3, 3)).toBeCloseTo(1 / 2, 14);
    expect(windowFor(0.95)).toBe(4);
    expect(windowFor(0.99)).toBe(6);
  });
});

describe('the beta rule', () => {
  it('stops after 4 unanimous votes at C = 0.95, not 3', () => {
    expect(stopsAt(['a', 'a', 'a', 'a', 'a'], beta())).toBe(4);
    expect(stopsAt(['a', 'a', 'a'], beta())).toBeNull();
  });

  it('needs 6 to 1 after an early dissent (5 to 1 is 0.9375)', () => {
    expect(stopsAt(['a', 'b', 'a', 'a', 'a', 'a', 'a'], beta())).toBe(7);
  });

  it('never stops on a tie', () => {
    for (let t = 2; t <= 40; t += 2) {
      const keys = Array.from({ length: t }, (_, i) => (i % 2 === 0 ? 'a' : 'b'));
      const d = decideStop(
        { clustering: clusteringOf(keys), order: keys.map((_, i) => i), budget: 100, k: 1 },
        votes,
        beta({ confidence: 0.51 }),
      );
      expect(d.confidence).toBeCloseTo(0.5, 12);
      expect(d.stop).toBe(false);
    }
  });

  it('the no-answer cluster never leads', () => {
    expect(stopsAt([null, null, null, null, null, 'a'], beta())).toBeNull();
    const d = decideStop(
      { clustering: clusteringOf([null, null, null, null]), order: [0, 1, 2, 3], budget: 8, k: 1 },
      votes,
      beta(),
    );
    expect(d.stop).toBe(false);
    expect(d.confidence).toBeCloseTo(0.5, 12);
  });

  it('truncated samples outvoted by a complete one do not vote (the voting rule decides)', () => {
    const ballots = [
      { answer: { value: '5', key: '5', rule: 't' }, truncated: true },
      { answer: { value: '5', key: '5', rule: 't' }, truncated: true },
      { answer: { value: '5', key: '5', rule: 't' }, truncated: true },
      { answer: { value: '5', key: '5', rule: 't' }, truncated: true },
      { answer: { value: '7', key: '7', rule: 't' }, truncated: false },
    ];
    const clustering = clusterByKey(castVotes(ballots));
    const d = decideStop({ clustering, order: [0, 1, 2, 3, 4], budget: 8, k: 1 }, votes, beta());
    expect(d.stop).toBe(false);
    expect(d.confidence).toBeCloseTo(3 / 4, 12);
    // Four truncated votes alone (all cut) vote, and decide.
    const cut = clusterByKey(castVotes(ballots.slice(0, 4)));
    expect(decideStop({ clustering: cut, order: [0, 1, 2, 3], budget: 8, k: 1 }, votes, beta()).stop).toBe(
      true,
    );
  });

  it('k = 2 compares the second answer with the third', () => {
    // The second answer has 3 votes, the third none after 6 and 7: 1 − I_½(4, 1) = 15/16 < 0.95;
    // after 8 it has 4: 31/32.
    expect(stopsAt(['a', 'b', 'a', 'b', 'a', 'b', 'b', 'a'], beta(), 100, 2)).toBe(8);
  });

  it('min_samples holds it back; the budget ends it, saying whether it was decided', () => {
    expect(stopsAt(['a', 'a', 'a', 'a', 'a', 'a'], beta({ minSamples: 6 }))).toBe(6);
    const d = decideStop(
      { clustering: clusteringOf(['a', 'b', 'a']), order: [0, 1, 2], budget: 3, k: 1 },
      votes,
      beta(),
    );
    expect(d).toMatchObject({ stop: true, early: false });
    expect(d.reason).toMatch(/ran out before the answer was decided/);
  });
});

describe('the window rule', () => {
  const window = beta({ rule: 'window', window: 4 });
  it('stops on 4 unanimous votes after a dissent, where the beta rule needs 7', () => {
    expect(stopsAt(['a', 'b', 'a', 'a', 'a', 'a', 'a'], window)).toBe(6);
  });
  it('a no-answer vote breaks the window', () => {
    expect(stopsAt(['a', 'a', null, 'a', 'a', 'a'], window)).toBeNull();
    expect(stopsAt(['a', 'a', null, 'a', 'a', 'a', 'a'], window)).toBe(7);
  });
  it('k = 2: the window must stay inside the top two', () => {
    expect(stopsAt(['a', 'b', 'c', 'a', 'b', 'a', 'b'], window, 100, 2)).toBe(7);
  });
});

describe('the reward rule', () => {
  const reward = beta({ rule: 'reward' });
  const bon: Criterion = { kind: 'reward', aggregate: 'mean' };

  it('matches the bound computed by hand', () => {
    // N = 5, t = 4, one answer with rewards 1,1,1,1; τ = θ = 1. A new answer: r·p_new·q_out(>1) with
    // no outside rewards, q_out = (0 + 1)/(0 + 2): 1·(1/6)·(1/2). The leader falling: a joiner below 1,
    // q_a(<1) = (0 + q_all(<1))/(4 + 1), q_all(<1) = (0 + 1)/(4 + 2): 1·(5/6)·(1/30). 1 − 1/12 − 1/36.
    const d = decideStop(
      {
        clustering: clusteringOf(['a', 'a', 'a', 'a']),
        order: [0, 1, 2, 3],
        budget: 5,
        k: 1,
        reward: () => 1,
      },
      bon,
      reward,
    );
    expect(d.confidence).toBeCloseTo(1 - 1 / 12 - 1 / 36, 12);
    expect(d.stop).toBe(false);
  });

  it('is surer when the leader scores above every other sample, and as the budget runs down', () => {
    const keys = ['a', 'b', 'a', 'c', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a'];
    const rewards = keys.map((k) => (k === 'a' ? 2 : 0));
    const at = (budget: number, reward: (i: number) => number) =>
      decideStop(
        { clustering: clusteringOf(keys), order: keys.map((_, i) => i), budget, k: 1, reward },
        bon,
        beta({ rule: 'reward' }),
      ).confidence;
    expect(at(20, (i) => rewards[i]!)).toBeGreaterThan(at(20, () => 1));
    expect(at(17, (i) => rewards[i]!)).toBeGreaterThan(at(20, (i) => rewards[i]!));
    // Tied rewards: b and c already tie the leader's mean, so nothing is decided.
    expect(at(17, () => 1)).toBe(0);
    expect(stopsAt(keys, beta({ rule: 'reward', confidence: 0.9 }), 17, 1, bon, (i) => rewards[i])).toBe(16);
  });

  it('best-of-majority reads only the rewards of clusters clearing the floor, at most score_members each', () => {
    const bom = getStrategy('bom');
    const c = criterionOf(bom, parseStrategyOptions({ min_votes: 2, score_members: 2 }));
    expect(scoreTargets(c, clusteringOf(['a', 'b', 'a', 'a', 'c', 'b']))).toEqual([0, 2, 1, 5]);
    expect(
      scoreTargets(criterionOf(getStrategy('bon'), parseStrategyOptions({})), clusteringOf(['a', 'b'])),
    ).toEqual([0, 1]);
  });

  it('does not stop with fewer than k scored answers, nor while best-of-majority would fall back', () => {
    const c = criterionOf(getStrategy('bom'), parseStrategyOptions({ min_votes: 3 }));
    expect(stopsAt(['a', 'b', 'c', 'd', 'e', 'f'], reward, 10, 1, c, () => 1)).toBeNull();
  });

  it('weighted majority: a leader far ahead in summed reward stops before the budget', () => {
    const wm = criterionOf(getStrategy('wmaj'), parseStrategyOptions({}));
    const keys = Array.from({ length: 30 }, (_, i) => (i % 10 === 3 ? 'b' : 'a'));
    const t = stopsAt(keys, reward, 32, 1, wm, () => 1);
    expect(t).not.toBeNull();
    expect(t!).toBeLessThan(30);
  });

  it('at the budget every rule stops, early = false', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', null), { minLength: 1, maxLength: 12 }), (keys) => {
        const clustering = clusteringOf(keys);
        const order = keys.map((_, i) => i);
        for (const rule of ['beta', 'window', 'reward'] as const) {
          const d = decideStop(
            { clustering, order, budget: keys.length, k: 1, reward: (i) => i / 10 },
            rule === 'reward' ? bon : votes,
            beta({ rule }),
          );
          expect(d.stop && !d.early).toBe(true);
        }
      }),
    );
  });
});

describe('settings', () => {
  it('true takes the measured defaults; reward strategies use the reward rule', () => {
    const maj = criterionOf(getStrategy('majority'), parseStrategyOptions({}));
    expect(adaptiveSettings(true, maj)).toMatchObject({ rule: 'beta', confidence: 0.95, window: 4 });
    expect(adaptiveSettings({ rule: 'window', confidence: 0.99 }, maj)).toMatchObject({
      rule: 'window',
      window: 6,
    });
    expect(adaptiveSettings(false, maj)).toBeNull();
    expect(adaptiveSettings(undefined, maj)).toBeNull();
    const bon = criterionOf(getStrategy('bon'), parseStrategyOptions({}));
    expect(adaptiveSettings({ rule: 'beta' }, bon)?.rule).toBe('reward');
  });
});
