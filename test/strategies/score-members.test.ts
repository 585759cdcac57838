// Cheaper best-of-majority: at most `score_members` members per eligible cluster, representative
// first (complete before truncated), clusters that cannot enter the top-k left unrefined, R_c the
// mean of the members scored, and the report says how many were.
import { describe, expect, it } from 'vitest';
import { bestOfMajority } from '../../strategies/index.ts';
import { clusteringOf, countingScores } from './helpers.ts';

describe('best-of-majority with score_members', () => {
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

  it('a cluster whose best case cannot reach the top-k is not refined', async () => {
    // Round 1 scores a (12) and b (0). b's best case, its second member at the highest reward seen,
    // is (0 + 12)/2 = 6; a's worst case is (12 + 0)/2 = 6: b can at most tie, so only a is refined.
    const keys = ['a', 'b', 'a', 'b', 'a', 'b'];
    const { score, asked } = countingScores([12, 0, 12, 10, 12, 10]);
    const s = await bestOfMajority.select(
      { clustering: clusteringOf(keys), score },
      { min_votes: 2, score_members: 2 },
    );
    expect(s.chosen[0]!.cluster.answer).toBe('a');
    expect(s.clusters[1]!.scored).toBe(1);
    expect(asked.length).toBe(3);
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
});
