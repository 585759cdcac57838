// Worked examples of each strategy's exact definition and the documented edge decisions.
import { describe, expect, it } from 'vitest';
import {
  bestOfMajority,
  bestOfN,
  DEFAULT_ALPHA,
  getStrategy,
  majority,
  weightedMajority,
} from '../../strategies/index.ts';
import { clusteringOf, countingScores } from './helpers.ts';

// a×4 (rewards .1,.1,.1,.9 → mean .3, max .9, sum 1.2), b×3 (.5 each → mean .5, sum 1.5), c×1 (.95)
const keys = ['a', 'b', 'a', 'c', 'b', 'a', 'b', 'a'];
const rewards = [0.1, 0.5, 0.1, 0.95, 0.5, 0.1, 0.5, 0.9];
const answers = (sel: { chosen: readonly { cluster: { answer: string | null } }[] }) =>
  sel.chosen.map((c) => c.cluster.answer);

describe('exact definitions', () => {
  const input = () => ({ clustering: clusteringOf(keys), score: countingScores(rewards).score });

  it('majority: by votes', async () => {
    expect(answers(await majority.select(input(), { k: 3 }))).toEqual(['a', 'b', 'c']);
  });

  it('best-of-n: by mean reward, or max, or sum', async () => {
    expect(answers(await bestOfN.select(input(), { k: 3 }))).toEqual(['c', 'b', 'a']);
    expect(answers(await bestOfN.select(input(), { k: 3, aggregate: 'max' }))).toEqual(['c', 'a', 'b']);
    expect(answers(await bestOfN.select(input(), { k: 3, aggregate: 'sum' }))).toEqual(['b', 'a', 'c']);
  });

  it('weighted majority: by the sum of rewards, whatever aggregate says', async () => {
    expect(answers(await weightedMajority.select(input(), { k: 3, aggregate: 'max' }))).toEqual([
      'b',
      'a',
      'c',
    ]);
  });

  it('best-of-majority: filter by frequency, then rank by reward; no back-fill', async () => {
    const sel = await bestOfMajority.select(input(), { k: 3, alpha: 0.3 });
    expect(answers(sel)).toEqual(['b', 'a']);
    expect(sel.fallback).toBe(false);
    expect(sel.reason).toMatch(/only 2 answers reached 3 of 8 votes/);
    expect(sel.clusters.map((c) => c.eligible)).toEqual([true, true, false]);
    expect(sel.clusters.find((c) => c.answer === 'c')?.reward).toBeNull(); // never scored
  });

  it('best-of-majority: min_votes is the integer form, and both floors must hold', async () => {
    expect(answers(await bestOfMajority.select(input(), { k: 3, min_votes: 4 }))).toEqual(['a']);
    expect(answers(await bestOfMajority.select(input(), { k: 3, min_votes: 2, alpha: 0.45 }))).toEqual(['a']);
  });

  it('best-of-majority: falls back to majority order when nothing clears alpha', async () => {
    const sel = await bestOfMajority.select(input(), { k: 2, alpha: 0.9 });
    expect(answers(sel)).toEqual(['a', 'b']);
    expect(sel.fallback).toBe(true);
    expect(sel.reason).toMatch(/no answer reached 8 of 8 votes; fell back to majority order/);
  });

  it('best-of-majority: the default floor applies when neither alpha nor min_votes is given', async () => {
    expect(DEFAULT_ALPHA).toBeGreaterThan(0);
    // 10 samples: x×6, y×3, z×1; z has the best reward but 1 < ceil(0.1·10) is false (floor 1)…
    const ten = ['x', 'x', 'y', 'x', 'z', 'x', 'y', 'x', 'y', 'x'];
    const r10 = [0, 0, 0.5, 0, 9, 0, 0.5, 0, 0.5, 0];
    const small = await bestOfMajority.select(
      { clustering: clusteringOf(ten), score: countingScores(r10).score },
      { k: 3 },
    );
    expect(answers(small)).toEqual(['z', 'y', 'x']);
    // …while at N = 20 the floor is 2 votes and the lone z is dropped.
    const twenty = [...ten, ...ten.map((k) => (k === 'z' ? 'x' : k))];
    const r20 = [...r10, ...r10.map((r) => (r === 9 ? 0 : r))];
    const large = await bestOfMajority.select(
      { clustering: clusteringOf(twenty), score: countingScores(r20).score },
      { k: 3 },
    );
    expect(answers(large)).toEqual(['y', 'x']);
  });

  it('alpha exactly at a frequency keeps the cluster (1/200 vs 0.005)', async () => {
    const many = Array.from({ length: 200 }, (_, i) => (i === 0 ? 'rare' : 'common'));
    const r = many.map((_, i) => (i === 0 ? 10 : 0));
    const sel = await bestOfMajority.select(
      { clustering: clusteringOf(many), score: countingScores(r).score },
      { k: 1, alpha: 0.005 },
    );
    expect(answers(sel)).toEqual(['rare']);
  });

  it('fewer clusters than k: returns them all and says so', async () => {
    const sel = await majority.select(input(), { k: 5 });
    expect(sel.chosen).toHaveLength(3);
    expect(sel.fallback).toBe(false);
    expect(sel.reason).toBe('only 3 distinct answers available for k=5');
  });

  it('the representative is the highest-reward member when scored, else the first', async () => {
    const scored = await bestOfN.select(input(), { k: 2, aggregate: 'max' });
    expect(scored.chosen.map((c) => c.representative)).toEqual([3, 7]); // c's only member; a's member with .9
    const unscored = await majority.select(input(), { k: 1 });
    expect(unscored.chosen[0]!.representative).toBe(0);
  });

  it('a NaN reward ranks last instead of poisoning the order', async () => {
    // Handed to the strategy directly: a scorer's NaN never gets this far (lazyScores rejects it,
    // test/selection/scores-funnel.test.ts); the strategy stays safe on its own.
    const rewards = [Number.NaN, -3];
    const sel = await bestOfN.select(
      {
        clustering: clusteringOf(['x', 'y']),
        score: async (cs) => cs.map((c) => c.members.map((i) => rewards[i]!)),
      },
      { k: 2 },
    );
    expect(answers(sel)).toEqual(['y', 'x']);
  });

  it('a scorer failure surfaces, and the next request can score again', async () => {
    let fail = true;
    const { lazyScores } = await import('../../src/selection/lazy-scores.ts');
    const lazy = lazyScores(async (indices) => {
      if (fail) throw new Error('reward model crashed');
      return indices.map(() => 1);
    });
    const clustering = clusteringOf(['x', 'y']);
    await expect(bestOfN.select({ clustering, score: lazy.scoreClusters }, {})).rejects.toThrow(
      'reward model crashed',
    );
    fail = false;
    await expect(bestOfN.select({ clustering, score: lazy.scoreClusters }, {})).resolves.toBeDefined();
  });

  it('unknown strategy names are a clear error', () => {
    expect(() => getStrategy('best-of-everything')).toThrow(
      /Unknown strategy 'best-of-everything'; expected one of: majority/,
    );
  });
});
