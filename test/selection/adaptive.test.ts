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
  overtakeChance,
  reachChance,
  regretChance,
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

/**
 * Σ over every sequence of r Pólya-urn draws (masses a for i, b for j, c for the rest) of its
 * probability times f(draws to i, draws to j): brute force, to check the closed forms against.
 */
function urnSum(a: number, b: number, c: number, r: number, f: (xi: number, xj: number) => number): number {
  let p = 0;
  const go = (xi: number, xj: number, xr: number, q: number) => {
    if (xi + xj + xr === r) {
      p += q * f(xi, xj);
      return;
    }
    const all = a + b + c + xi + xj + xr;
    go(xi + 1, xj, xr, (q * (a + xi)) / all);
    go(xi, xj + 1, xr, (q * (b + xj)) / all);
    if (c > 0) go(xi, xj, xr + 1, (q * (c + xr)) / all);
  };
  go(0, 0, 0, 1);
  return p;
}

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

describe('the predictive rule (budget-aware majority)', () => {
  const predictive = beta({ rule: 'predictive' });
  const conf = (keys: readonly (string | null)[], budget: number, k = 1) =>
    decideStop(
      { clustering: clusteringOf(keys), order: keys.map((_, i) => i), budget, k },
      votes,
      predictive,
    );
  /** By hand, a unanimous start: with b = 1, P(X ≤ x) for X ~ BetaBinomial(n, a, 1) is a/(n+a)·C(x+a, a)/C(n+a−1, n). */
  const choose = (n: number, k: number) => {
    let c = 1;
    for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
    return c;
  };
  const unanimous = (t: number, N: number) => {
    const a = t + 1;
    const n = N - t;
    const x = Math.floor((n - t - 1) / 2);
    return 1 - (a / (n + a)) * (choose(x + a, a) / choose(n + a - 1, n));
  };

  it('overtakeChance is the Dirichlet-multinomial (Pólya urn) probability, by enumeration', () => {
    const urn = (a: number, b: number, c: number, r: number, need: number) =>
      urnSum(a, b, c, r, (xi, xj) => (xj - xi >= need ? 1 : 0));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 6 }),
        (a, b, c, r, need) => {
          expect(overtakeChance(a, b, c, r, need)).toBeCloseTo(urn(a, b, c, r, need), 12);
        },
      ),
      { seed: 12, numRuns: 150 },
    );
    // Hand values: one draw left, a tie broken against the leader: P = b / (a + b + c).
    expect(overtakeChance(2, 2, 1, 1, 1)).toBeCloseTo(2 / 5, 14);
    // Out of reach: exactly 0.
    expect(overtakeChance(9, 9, 9, 3, 4)).toBe(0);
    // With no rest mass and r → ∞ it is the beta rule's P(p_j > p_i) = I_½(v_i + 1, v_j + 1).
    expect(overtakeChance(5, 2, 0, 4000, 1)).toBeCloseTo(1 - betaLeadConfidence(4, 1), 3);
  });

  it('regretChance is the expected accuracy gain of the overturning futures, by enumeration', () => {
    // Each urn future where j ends ahead of i (by `need`) weighs P(p_j > p_i | votes at N) − P(p_i > p_j | …).
    const urn = (a: number, b: number, c: number, r: number, need: number) =>
      urnSum(a, b, c, r, (xi, xj) =>
        xj - xi >= need ? 2 * betaLeadConfidence(b - 1 + xj, a - 1 + xi) - 1 : 0,
      );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 9 }),
        fc.boolean(),
        (b, lead, c, r, winsTies) => {
          // As the rule calls it: i (mass a) leads j (mass b) by `lead` votes; j must end ahead, or
          // level when it wins ties.
          const a = b + lead;
          const need = lead + (winsTies ? 0 : 1);
          if (need < 1) return;
          const regret = regretChance(a, b, c, r, need);
          expect(regret).toBeCloseTo(urn(a, b, c, r, need), 12);
          // A change of answer gains at most one answer's worth of accuracy.
          expect(regret).toBeLessThanOrEqual(overtakeChance(a, b, c, r, need) + 1e-12);
        },
      ),
      { seed: 13, numRuns: 150 },
    );
    // A tie a/b, one draw left, b loses ties: b must take it (2/5), then leads 2–1: P(p_b > p_a) = 11/16.
    expect(regretChance(2, 2, 1, 1, 1)).toBeCloseTo((2 / 5) * (2 * (11 / 16) - 1), 14);
    // Three unanimous votes of 16: a new answer overtaking in the 13 left costs 1093/65536 in expectation.
    expect(regretChance(4, 1, 0, 13, 4)).toBeCloseTo(1093 / 65536, 14);
    expect(regretChance(9, 9, 9, 3, 4)).toBe(0);
  });

  it('the regret rule stops a close race sooner than the predictive rule: a swap there gains little', () => {
    const race = [...'abababababababababab'];
    const at = (rule: 'regret' | 'predictive', confidence: number) =>
      stopsAt([...race, 'a', 'a', 'a', 'a'], beta({ rule, confidence }), 40);
    // 12–10 after 22 with 18 left: a flip is still likely (predictive 0.776), but it would be to an
    // answer barely ahead, so the accuracy it could win back is small (regret 0.906).
    expect(at('regret', 0.9)).toBe(22);
    expect(at('predictive', 0.9)).toBe(24);
  });

  it('unanimous votes: 3 of 16 stop (33/34), 3 of 64 do not (0.9469), 4 of 64 do', () => {
    expect(unanimous(3, 16)).toBeCloseTo(33 / 34, 14);
    expect(conf(['a', 'a', 'a'], 16).confidence).toBeCloseTo(33 / 34, 12);
    expect(conf(['a', 'a', 'a'], 64).confidence).toBeCloseTo(unanimous(3, 64), 12);
    expect(unanimous(3, 64)).toBeCloseTo(0.946886, 5);
    expect(stopsAt(['a', 'a', 'a', 'a', 'a'], predictive, 64)).toBe(4);
    expect(stopsAt(['a', 'a', 'a', 'a', 'a'], predictive, 16)).toBe(3);
    // The beta rule ignores the budget: 4 either way.
    expect(stopsAt(['a', 'a', 'a', 'a', 'a'], beta(), 16)).toBe(4);
  });

  it('an unbeatable lead stops with confidence exactly 1, one sample before it would not be', () => {
    // 4 votes to 1 with 3 left: b reaches at most 4 and loses the tie (a appeared first).
    const d = conf(['a', 'b', 'a', 'a', 'a'], 8);
    expect(d.confidence).toBe(1);
    expect(d).toMatchObject({ stop: true, early: true });
    expect(d.reason).toMatch(/unbeatable with 3 samples left/);
    expect(conf(['a', 'b', 'a', 'a', 'a'], 9).confidence).toBeLessThan(1);
    // Against the beta rule, which needs 6 to 1 whatever the budget.
    expect(stopsAt(['a', 'b', 'a', 'a', 'a', 'a', 'a'], beta(), 8)).toBe(7);
    expect(stopsAt(['a', 'b', 'a', 'a', 'a', 'a', 'a'], predictive, 8)).toBe(4);
  });

  it('ties: the tie-break by first appearance decides who must overtake whom', () => {
    // a 1, b 1, one left: b must get it (masses a 2, b 2, new 1): 2/5.
    expect(conf(['a', 'b'], 3).confidence).toBeCloseTo(3 / 5, 14);
    // b leads 2–1 but a appeared first, so a draws level and wins with one more vote: 2/6.
    expect(conf(['a', 'b', 'b'], 4).confidence).toBeCloseTo(1 - 2 / 6, 14);
    // b appeared first: a needs two votes with one left.
    expect(conf(['b', 'a', 'b'], 4).confidence).toBe(1);
    // An even tie with many samples left never reaches 0.95.
    for (let t = 2; t <= 20; t += 2) {
      const keys = Array.from({ length: t }, (_, i) => (i % 2 === 0 ? 'a' : 'b'));
      expect(conf(keys, 64).stop).toBe(false);
    }
  });

  it('the no-answer cluster never leads, and its votes are draws that help no challenger', () => {
    expect(conf([null, null, null, null], 8)).toMatchObject({ stop: false, confidence: 0 });
    // a's single vote: a new answer could only tie it with the one sample left, and loses the tie.
    expect(conf([null, null, null, 'a'], 5).confidence).toBe(1);
    // The same votes for a and b, more no-answer votes: fewer of the remaining draws are threats.
    const some = conf(['a', 'a', 'a', 'b', 'c'], 20).confidence;
    const more = conf(['a', 'a', 'a', 'b', 'c', null, null, null], 23).confidence;
    expect(more).toBeGreaterThan(some);
  });

  it('k = 2: every insider against every outsider; needs two answers first', () => {
    expect(conf(['a', 'a', 'a'], 10, 2)).toMatchObject({ stop: false, confidence: 0 });
    // a 3, b 3, c 0 with 2 left: nothing reaches b.
    expect(conf(['a', 'b', 'a', 'b', 'a', 'b'], 8, 2).confidence).toBe(1);
    expect(conf(['a', 'b', 'a', 'b', 'a', 'c'], 8, 2).confidence).toBeLessThan(1);
  });

  it('at the budget it stops, decided', () => {
    expect(conf(['a', 'b'], 2)).toMatchObject({ stop: true, early: false, confidence: 1 });
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
  it('k = 2: the window reads the race for second place (votes for the leader are skipped)', () => {
    // Four votes inside the top two used to stop here; b's place is not settled by votes for a.
    expect(stopsAt(['a', 'b', 'a', 'a', 'a', 'a'], window, 100, 2)).toBeNull();
    // a 4, b 4 (a first, so b is second): the non-leader votes b, b, b, b.
    expect(stopsAt(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'], window, 100, 2)).toBe(8);
    // c breaks b's run (b, b, b, c): after it b needs four more non-leader votes in a row.
    const broken = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'a', 'b', 'a', 'b', 'a', 'b'];
    expect(stopsAt(broken, window, 100, 2)).toBeNull();
    expect(stopsAt([...broken, 'b'], window, 100, 2)).toBe(15);
  });
  it('k = 3: a no-answer vote below the top two breaks the run', () => {
    const head = [...Array<string>(8).fill('a'), ...Array<string>(8).fill('b')];
    const votes = [...head, 'c', 'c', null, 'c', 'c', 'c'];
    expect(stopsAt(votes, window, 100, 3)).toBeNull();
    expect(stopsAt([...votes, 'a', 'c'], window, 100, 3)).toBe(24);
  });
});

describe('the reward rule', () => {
  const reward = beta({ rule: 'reward' });
  const bon: Criterion = { kind: 'reward', aggregate: 'mean' };

  it('means (best-of-n, best-of-majority): predictive gaps of the final means, by hand', () => {
    // a a a b with rewards 2 1 2 | 0, N = 6: t = 4, r = 2. All rewards: mean 5/4, variance 11/12. Within-
    // answer spread s² = (11/12 prior + a's 2/3) / (1 + 2 df) = 19/36. Laplace p_a = 4/6, p_b = 2/6,
    // Good–Turing p_new = 2/6. a's mean 5/3 with j = r·p_a = 4/3 more joiners: V_a = j s²/(n(n + j)) =
    // 19/351; b's (n = 1, j = 2/3): 19/90. A new answer: valued like all rewards, mean 5/4, variance
    // (11/12 − s²) + s²/1 = 11/12; r·p_new = 2/3 of them expected.
    const rewards = [2, 1, 2, 0];
    const d = decideStop(
      {
        clustering: clusteringOf(['a', 'a', 'a', 'b']),
        order: [0, 1, 2, 3],
        budget: 6,
        k: 1,
        reward: (i) => rewards[i],
      },
      bon,
      reward,
    );
    const ab = Math.exp(-((5 / 3) ** 2) / (2 * (19 / 351 + 19 / 90)));
    const fresh = (2 / 3) * Math.exp(-((5 / 3 - 5 / 4) ** 2) / (2 * (19 / 351 + 11 / 12)));
    expect(d.confidence).toBeCloseTo(1 - ab - fresh, 12);
    expect(d.stop).toBe(false);
    // No spread among the rewards seen (equal everywhere): nothing says where a newcomer's would land.
    const flat = decideStop(
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
    expect(flat.confidence).toBe(0);
  });

  it('eligibility at N under a floor is the Beta-binomial chance of reaching F(N) votes', () => {
    // reachChance(r, a, b, need) = P(X ≥ need), X ~ BetaBinomial(r, a, b), against enumeration.
    const bb = (r: number, a: number, b: number, x: number) => {
      const lbeta = (p: number, q: number) => lgammaInt(p) + lgammaInt(q) - lgammaInt(p + q);
      let lc = 0;
      for (let i = 1; i <= x; i++) lc += Math.log((r - x + i) / i);
      return Math.exp(lc + lbeta(x + a, r - x + b) - lbeta(a, b));
    };
    const lgammaInt = (n: number) => {
      let l = 0;
      for (let i = 2; i < n; i++) l += Math.log(i);
      return l;
    };
    for (const [r, a, b] of [
      [6, 5, 55],
      [10, 1, 1],
      [3, 2, 7],
    ] as const)
      for (let need = 0; need <= r + 1; need++) {
        let p = 0;
        for (let x = Math.max(0, need); x <= r; x++) p += bb(r, a, b, x);
        expect(reachChance(r, a, b, need)).toBeCloseTo(need <= 0 ? 1 : p, 12);
      }
    // With one draw left, an answer with n of t votes gains it with chance (n + 1)/(t + 2).
    expect(reachChance(1, 4, 7, 1)).toBeCloseTo(4 / 11, 14);
  });

  it('sums (weighted majority): the walk of S_I − S_B with its drift estimated from t samples, by hand', () => {
    // a a a b, rewards 1 1 1 0.5, N = 8: t = 4, r = 4. Laplace p_a = 4/6, p_b = 2/6; Good–Turing p_new = 2/6.
    // a vs b: drift 4/6·1 − 2/6·0.5 = 0.5, σ² = 4/6·1 + 2/6·0.25 − 0.25 = 0.5, gap 3 − 0.5 + 4·0.5 = 4.5,
    //   exp(−4.5² / (2·0.5·(4 + 16/4))) = exp(−2.53125).
    // a vs a new answer (pooled mean 0.875, mean square 0.8125): drift 4/6 − 0.875/3 = 0.375,
    //   σ² = 4/6 + 0.8125/3 − 0.375² = 0.796875, gap 4.5: exp(−4.5² / (2·0.796875·8)) = exp(−1.5882…).
    const rewards = [1, 1, 1, 0.5];
    const d = decideStop(
      {
        clustering: clusteringOf(['a', 'a', 'a', 'b']),
        order: [0, 1, 2, 3],
        budget: 8,
        k: 1,
        reward: (i) => rewards[i],
      },
      { kind: 'reward', aggregate: 'sum' },
      reward,
    );
    expect(d.confidence).toBeCloseTo(1 - Math.exp(-2.53125) - Math.exp(-(4.5 ** 2) / 12.75), 12);
    // The drift's error term r²σ²/t: with t = 4 and r = 4 it doubles the spread a known drift would have.
    expect(d.confidence).toBeLessThan(1 - Math.exp(-(4.5 ** 2) / 4) - Math.exp(-(4.5 ** 2) / 6.375));
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
    expect(at(17, (i) => rewards[i]!)).toBeGreaterThan(at(20, (i) => rewards[i]!));
    expect(at(20, (i) => rewards[i]!)).toBeGreaterThan(at(32, (i) => rewards[i]!));
    // A leader no better than the others is never decided: b and c tie its mean, with spread.
    expect(at(17, (i) => (keys[i] === 'a' ? 1 + (i % 2) : 1.5))).toBe(0);
    expect(stopsAt(keys, beta({ rule: 'reward', confidence: 0.8 }), 17, 1, bon, (i) => rewards[i])).toBe(16);
  });

  it('best-of-majority reads only the rewards of clusters clearing the floor, at most score_members each', () => {
    const bom = getStrategy('bom');
    const c = criterionOf(bom, parseStrategyOptions({ min_votes: 2, score_members: 2 }));
    expect(scoreTargets(c, clusteringOf(['a', 'b', 'a', 'a', 'c', 'b']))).toEqual([0, 2, 1, 5]);
    // With a larger m the rule reads at most READS_PER_CLUSTER (4) of each while sampling.
    const wide = criterionOf(bom, parseStrategyOptions({ min_votes: 2, score_members: 10 }));
    expect(scoreTargets(wide, clusteringOf(['a', 'a', 'a', 'a', 'a', 'a', 'b', 'b']))).toEqual([
      0, 1, 2, 3, 6, 7,
    ]);
    // Without score_members, every member of an eligible cluster (what full BoM scores anyway).
    const full = criterionOf(bom, parseStrategyOptions({ min_votes: 2 }));
    expect(scoreTargets(full, clusteringOf(['a', 'a', 'a', 'a', 'a', 'a', 'b']))).toEqual([0, 1, 2, 3, 4, 5]);
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
    expect(adaptiveSettings(true, maj)).toMatchObject({ rule: 'regret', confidence: 0.98 });
    expect(adaptiveSettings({ rule: 'predictive' }, maj)).toMatchObject({ confidence: 0.95, window: 4 });
    expect(adaptiveSettings({ confidence: 0.97 }, maj)).toMatchObject({ rule: 'regret', confidence: 0.97 });
    expect(adaptiveSettings({ rule: 'beta' }, maj)?.rule).toBe('beta');
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
