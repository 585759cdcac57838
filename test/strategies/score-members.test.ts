// Cheaper best-of-majority: at most `score_members` members per eligible cluster, representative
// first (complete before truncated), nothing scored when one cluster clears the floor, and for the
// mean a sequential refinement (`refineNext`) that scores one more member of the least separated
// pair across each rank boundary 1..k until every such pair is z standard errors apart. R_c is the
// mean of the members scored, and the report says how many were. The hand values below follow the
// formulas in strategies/best-of-majority.ts (pooled spread with a one-df prior at the variance of all
// scored rewards; f = (1/n)(1 − n/size)).
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import { scoringOrder } from '../../src/selection/adaptive.ts';
import { bestOfMajority, minimumVotes, parseStrategyOptions } from '../../strategies/index.ts';
import { pooledSpread, REFINE_Z, refineNext, type ScoredCluster } from '../../strategies/best-of-majority.ts';
import { clusteringOf, countingScores } from './helpers.ts';

const cl = (id: number, size: number, cap: number, scores: number[]): ScoredCluster => ({
  id,
  size,
  cap,
  scores,
});

describe('refineNext: which cluster gets one more member', () => {
  it('the pooled spread: within-cluster squares plus a one-df prior at the variance of every reward', () => {
    // a = [2, 4]: within SS 2 on 1 df; all rewards [2, 4, 0]: variance 4. s² = (2 + 4)/(1 + 1) = 3.
    expect(pooledSpread([cl(0, 2, 2, [2, 4]), cl(1, 3, 3, [0])])).toBeCloseTo(Math.sqrt(3), 12);
    // Representatives only: the prior alone, [1, 0] has variance 1/2.
    expect(pooledSpread([cl(0, 5, 4, [1]), cl(1, 5, 4, [0])])).toBeCloseTo(Math.sqrt(0.5), 12);
    // One reward: no spread at all.
    expect(pooledSpread([cl(0, 5, 4, [1])])).toBe(0);
  });

  it('representatives alone are not separated; the tie in members scored goes to the insider', () => {
    // s = √(1/2), f = 1 − 1/5 = 0.8 each, se = s·√1.6 ≈ 0.894, g = 1/0.894 ≈ 1.12 < 2.5.
    expect(refineNext([cl(0, 5, 4, [1]), cl(1, 5, 4, [0])], 1, 2.5)).toEqual([0]);
    // The insider is the higher mean, whatever its id.
    expect(refineNext([cl(0, 5, 4, [0]), cl(1, 5, 4, [1])], 1, 2.5)).toEqual([1]);
  });

  it('refines the side with fewer members scored, and stops once the gap is z standard errors', () => {
    // a = [2, 4] fully scored (f = 0), b = [0] of 3 (f = 2/3): se = √3·√(2/3) = √2, g = 3/√2 ≈ 2.12.
    const state = [cl(0, 2, 2, [2, 4]), cl(1, 3, 3, [0])];
    expect(refineNext(state, 1, 2.5)).toEqual([1]);
    expect(refineNext(state, 1, 2.1)).toEqual([]);
    // Both with room: a has two scored, b one, so b.
    expect(refineNext([cl(0, 10, 8, [1, 1]), cl(1, 10, 8, [0])], 1, 2.5)).toEqual([1]);
  });

  it('the finite-population correction: a cluster scored in full is exact', () => {
    // Both fully scored: the standard error is 0, the order is the full one (even a tie: by id).
    expect(refineNext([cl(0, 2, 2, [1, 0]), cl(1, 2, 2, [0, 1])], 1, 2.5)).toEqual([]);
    // Without the correction (size huge) the same rewards would be refined.
    expect(refineNext([cl(0, 1e9, 8, [1, 0]), cl(1, 1e9, 8, [0, 1])], 1, 2.5)).toEqual([0]);
  });

  it('stops at the cap even when the pair is not separated', () => {
    expect(refineNext([cl(0, 10, 2, [1, 0.5]), cl(1, 10, 2, [0.8, 0.4])], 1, 2.5)).toEqual([]);
    // One side at its cap: the other side is refined.
    expect(refineNext([cl(0, 10, 2, [1, 0.5]), cl(1, 10, 3, [0.8, 0.4])], 1, 2.5)).toEqual([1]);
  });

  it('identical rewards have no spread: decided at once', () => {
    expect(refineNext([cl(0, 5, 4, [1]), cl(1, 5, 4, [1]), cl(2, 5, 4, [1])], 3, 2.5)).toEqual([]);
  });

  it('k > 1: the least separated pair of every boundary 1..k', () => {
    // a = 3, b = 2, c = 0 (sizes 10): s² = 42/18, se = s·√1.8 ≈ 2.05. Boundary 1: (a, b) g ≈ 0.49 is
    // the least separated → a. Boundary 2 ({a, b} vs c): (b, c) g ≈ 0.98 < (a, c) g ≈ 1.46 → b.
    const state = [cl(0, 10, 5, [3]), cl(1, 10, 5, [2]), cl(2, 10, 5, [0])];
    expect(refineNext(state, 1, 2.5)).toEqual([0]);
    expect(refineNext(state, 2, 2.5).sort()).toEqual([0, 1]);
    // k beyond the clusters: the boundaries stop at the last cluster (here 1 and 2).
    expect(refineNext(state, 5, 2.5).sort()).toEqual([0, 1]);
  });

  it('one cluster has no boundary', () => {
    expect(refineNext([cl(0, 5, 4, [1])], 1, 2.5)).toEqual([]);
  });
});

describe('best-of-majority with score_members', () => {
  it('scores the representatives, then refines until the leader is separated', async () => {
    // Round 1: a₀ = 3, b₀ = 0; g = 3/(√4.5·√(4/3)) ≈ 1.22 → a (the insider of a tie in counts).
    // Round 2: a = [3, 3], b = [0]: s² = (0 + 3)/2, se = √1.5·√(1/6 + 2/3) ≈ 1.118, g ≈ 2.68 ≥ 2.5.
    const keys = ['a', 'b', 'a', 'b', 'a', 'b'];
    const { score, asked } = countingScores([3, 0, 3, 0, 3, 0]);
    const s = await bestOfMajority.select(
      { clustering: clusteringOf(keys), score },
      { min_votes: 2, score_members: 3 },
    );
    expect(REFINE_Z).toBe(2.5);
    expect(asked).toEqual([0, 1, 2]);
    expect(s.chosen[0]!.cluster.answer).toBe('a');
    expect(s.clusters.map((c) => [c.scored, c.reward])).toEqual([
      [2, 3],
      [1, 0],
    ]);
  });

  it('scores at most m members of each eligible cluster and none of the others', async () => {
    const keys = ['a', 'b', 'a', 'a', 'b', 'c', 'a', 'b'];
    const rewards = [1, 0, 1, 1, 0, 5, 1, 0];
    const { score, asked } = countingScores(rewards);
    const s = await bestOfMajority.select(
      { clustering: clusteringOf(keys), score },
      { min_votes: 2, score_members: 2 },
    );
    expect(s.chosen[0]!.cluster.answer).toBe('a');
    expect(asked.every((i) => keys[i] !== 'c')).toBe(true);
    expect(asked.filter((i) => keys[i] === 'a').length).toBeLessThanOrEqual(2);
    expect(s.clusters.map((c) => c.scored)).toEqual([
      asked.filter((i) => keys[i] === 'a').length,
      asked.filter((i) => keys[i] === 'b').length,
      0,
    ]);
    expect(s.clusters[0]!.reward).toBe(1);
  });

  it('the representative is scored first: a complete member before truncated ones', async () => {
    const keys = ['a', 'a', 'a', 'b', 'b'];
    const { score, asked } = countingScores([3, 2, 1, 0, 0]);
    await bestOfMajority.select(
      { clustering: clusteringOf(keys, new Set([0])), score },
      { min_votes: 2, score_members: 1 },
    );
    expect(asked).toContain(1);
    expect(asked).not.toContain(0);
  });

  it('one eligible cluster: nothing is scored, the reward is absent (null), and the JSON is plain', async () => {
    for (const aggregate of ['mean', 'max', 'sum'] as const)
      for (const k of [1, 2]) {
        const { score, asked } = countingScores([1, 0, 1, 1, 5]);
        const s = await bestOfMajority.select(
          { clustering: clusteringOf(['a', 'b', 'a', 'a', 'c']), score },
          { min_votes: 2, score_members: 4, aggregate, k },
        );
        expect(asked).toEqual([]);
        expect(s.chosen.map((c) => [c.cluster.answer, c.reward, c.representative])).toEqual([['a', null, 0]]);
        expect(s.clusters.map((c) => [c.reward, c.scored])).toEqual([
          [null, 0],
          [null, 0],
          [null, 0],
        ]);
        expect(s.fallback).toBe(false);
        expect(JSON.parse(JSON.stringify(s.clusters))).toEqual(s.clusters);
      }
  });

  it('k = 2 decides the order of the two returned, not only the set', async () => {
    // a = 3, b = 2, c = 0 as in the refineNext case: round 2 scores a second member of a and of b.
    const keys = ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c'];
    const rewards = [3, 2, 0, 3, 2, 0, 3, 2, 0];
    const one = countingScores(rewards);
    await bestOfMajority.select(
      { clustering: clusteringOf(keys), score: one.score },
      { min_votes: 2, score_members: 3, k: 1 },
    );
    const two = countingScores(rewards);
    const s = await bestOfMajority.select(
      { clustering: clusteringOf(keys), score: two.score },
      { min_votes: 2, score_members: 3, k: 2 },
    );
    expect(one.asked.slice(0, 4)).toEqual([0, 1, 2, 3]);
    expect(two.asked.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(s.chosen.map((c) => c.cluster.answer)).toEqual(['a', 'b']);
  });

  it('max and sum score the first m of every eligible cluster, without refinement', async () => {
    for (const aggregate of ['max', 'sum'] as const) {
      const keys = ['a', 'b', 'a', 'b', 'a', 'b'];
      const { score, asked } = countingScores([3, 0, 3, 0, 3, 0]);
      const s = await bestOfMajority.select(
        { clustering: clusteringOf(keys), score },
        { min_votes: 2, score_members: 2, aggregate },
      );
      expect(asked.sort()).toEqual([0, 1, 2, 3]);
      expect(s.clusters.map((c) => c.reward)).toEqual(aggregate === 'max' ? [3, 0] : [6, 0]);
    }
  });

  it('what it scores is always among the adaptive rule’s targets (the first min(m, size) in scoring order)', async () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 200; trial++) {
      const n = 4 + rng.int(30);
      const keys = Array.from({ length: n }, () => (rng.next() < 0.1 ? null : 'abcde'[rng.int(5)]!));
      const truncated = new Set(keys.map((_, i) => i).filter(() => rng.next() < 0.2));
      const rewards = keys.map(() => Math.round(rng.normal() * 4) / 4);
      const m = 1 + rng.int(8);
      const k = 1 + rng.int(3);
      const clustering = clusteringOf(keys, truncated);
      const { score, asked } = countingScores(rewards);
      const options = { alpha: 0.1, score_members: m, k };
      const s = await bestOfMajority.select({ clustering, score }, options);
      const floor = minimumVotes(parseStrategyOptions(options), n);
      const allowed = new Set(
        clustering.clusters
          .filter((c) => c.key !== null && c.count >= floor)
          .flatMap((c) => scoringOrder(c, truncated).slice(0, m)),
      );
      expect(asked.every((i) => allowed.has(i))).toBe(true);
      expect(new Set(asked).size).toBe(asked.length);
      // Each cluster's scored members are a prefix of its scoring order.
      for (const c of clustering.clusters) {
        const mine = asked.filter((i) => c.members.includes(i));
        expect(mine.sort((x, y) => x - y)).toEqual(
          scoringOrder(c, truncated)
            .slice(0, mine.length)
            .sort((x, y) => x - y),
        );
      }
      for (const c of s.clusters) expect(c.reward === null || Number.isFinite(c.reward)).toBe(true);
    }
  });

  it('without score_members every eligible member is scored, as before', async () => {
    const { score, asked } = countingScores([1, 0, 1, 1, 0, 5]);
    const s = await bestOfMajority.select(
      { clustering: clusteringOf(['a', 'b', 'a', 'a', 'b', 'c']), score },
      { min_votes: 2 },
    );
    expect(asked.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(s.clusters[0]).not.toHaveProperty('scored');
  });

  it('full best-of-majority scores one eligible cluster as before (the zero-call shortcut is score_members’ own)', async () => {
    const { score, asked } = countingScores([1, 0, 1, 1]);
    const s = await bestOfMajority.select(
      { clustering: clusteringOf(['a', 'b', 'a', 'a']), score },
      { min_votes: 2 },
    );
    expect(asked.sort()).toEqual([0, 2, 3]);
    expect(s.chosen[0]!.reward).toBe(1);
  });
});
