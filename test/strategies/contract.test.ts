// The contract every strategy passes, the way all of Hono's routers pass the same cases.
import { describe, expect, it } from 'vitest';
import { ScoresUnavailable } from '../../src/core/index.ts';
import { strategies } from '../../strategies/index.ts';
import { clusteringOf, countingScores } from './helpers.ts';

// 10 samples, 4 answers: a×4, b×3, c×2, d×1, plus interleaving so first appearance is not count order.
const keys = ['b', 'a', 'c', 'a', 'b', 'a', 'd', 'c', 'b', 'a'];
const rewards = [0.2, 0.5, 0.9, 0.4, 0.1, 0.6, 0.3, 0.8, 0.3, 0.5];

for (const strategy of strategies.values()) {
  describe(`strategy contract: ${strategy.name}`, () => {
    it('returns distinct input clusters, at most k', async () => {
      const clustering = clusteringOf(keys);
      for (const k of [1, 2, 3, 4, 7]) {
        const sel = await strategy.select(
          { clustering, score: countingScores(rewards).score },
          { k, alpha: 0 },
        );
        const ids = sel.chosen.map((c) => c.cluster.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBeLessThanOrEqual(k);
        for (const c of sel.chosen) {
          expect(clustering.clusters).toContain(c.cluster);
          expect(c.cluster.members).toContain(c.representative);
          expect(c.votes).toBe(c.cluster.count);
        }
      }
    });

    it('nests: top-k is a prefix of top-(k+1)', async () => {
      const clustering = clusteringOf(keys);
      let previous: number[] = [];
      for (let k = 1; k <= 5; k++) {
        const sel = await strategy.select({ clustering, score: countingScores(rewards).score }, { k });
        const ids = sel.chosen.map((c) => c.cluster.id);
        expect(ids.slice(0, previous.length)).toEqual(previous);
        previous = ids;
      }
    });

    it('does not mutate its inputs', async () => {
      const clustering = clusteringOf(keys);
      const snapshot = structuredClone(clustering);
      await strategy.select({ clustering, score: countingScores(rewards).score }, { k: 3 });
      expect(clustering).toEqual(snapshot);
    });

    it('breaks ties by first appearance, deterministically', async () => {
      // Three answers with equal votes and equal rewards: order must be x, y, z.
      const clustering = clusteringOf(['x', 'y', 'z', 'z', 'y', 'x']);
      for (let run = 0; run < 3; run++) {
        const sel = await strategy.select(
          { clustering, score: countingScores([1, 1, 1, 1, 1, 1]).score },
          { k: 3, alpha: 0 },
        );
        expect(sel.chosen.map((c) => c.cluster.answer)).toEqual(['x', 'y', 'z']);
      }
    });

    it('when the scorer cannot score, falls back to majority order and says so (never a silent pick)', async () => {
      const clustering = clusteringOf(keys);
      const unavailable = async () => {
        throw new ScoresUnavailable('no token logprobs');
      };
      const sel = await strategy.select({ clustering, score: unavailable }, { k: 3, alpha: 0 });
      expect(sel.chosen.map((c) => c.cluster.answer)).toEqual(['a', 'b', 'c']);
      if (strategy.rewards === 'none') {
        expect(sel.fallback).toBe(false);
      } else {
        expect(sel.fallback).toBe(true);
        expect(sel.reason).toMatch(/no token logprobs; fell back to majority order/);
      }
      // Any other scorer failure fails the selection: it is an error, not a ranking.
      const broken = async () => {
        throw new Error('reward server down');
      };
      if (strategy.rewards !== 'none') {
        await expect(strategy.select({ clustering, score: broken }, { k: 1, alpha: 0 })).rejects.toThrow(
          'reward server down',
        );
      }
    });

    it('rejects when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort(new Error('client went away'));
      await expect(
        strategy.select(
          { clustering: clusteringOf(keys), score: countingScores(rewards).score, signal: controller.signal },
          { k: 2 },
        ),
      ).rejects.toThrow('client went away');
    });

    it('rejects when the signal aborts while scoring', async () => {
      const controller = new AbortController();
      const score = async () => {
        controller.abort(new Error('deadline'));
        return [];
      };
      const run = strategy.select(
        { clustering: clusteringOf(keys), score, signal: controller.signal },
        { k: 2, alpha: 0 },
      );
      if (strategy.rewards === 'none') await expect(run).resolves.toBeDefined();
      else await expect(run).rejects.toThrow('deadline');
    });

    it('works with N = 1', async () => {
      const sel = await strategy.select(
        { clustering: clusteringOf(['42']), score: countingScores([0.5]).score },
        {},
      );
      expect(sel.chosen).toHaveLength(1);
      expect(sel.chosen[0]!.representative).toBe(0);
      expect(sel.chosen[0]!.frequency).toBe(1);
      expect(sel.fallback).toBe(false);
    });

    it('returns the no-answer cluster, flagged, when every sample is unparseable', async () => {
      const sel = await strategy.select(
        { clustering: clusteringOf([null, null, null]), score: countingScores([1, 2, 3]).score },
        { k: 2 },
      );
      expect(sel.chosen.map((c) => c.cluster.key)).toEqual([null]);
      expect(sel.fallback).toBe(true);
      expect(sel.reason).toMatch(/no sample had an extractable answer/);
    });

    it('never chooses the no-answer cluster while an answer exists', async () => {
      const sel = await strategy.select(
        { clustering: clusteringOf([null, null, null, '7']), score: countingScores([9, 9, 9, 0]).score },
        { k: 3, alpha: 0 },
      );
      expect(sel.chosen.map((c) => c.cluster.answer)).toEqual(['7']);
      expect(sel.clusters.find((c) => c.answer === null)?.eligible).toBe(false);
    });

    it('returns nothing for N = 0, with a reason', async () => {
      const sel = await strategy.select(
        { clustering: clusteringOf([]), score: countingScores([]).score },
        {},
      );
      expect(sel.chosen).toEqual([]);
      expect(sel.reason).toMatch(/no samples/);
    });

    it('reports every cluster with its votes and frequency', async () => {
      const clustering = clusteringOf(keys);
      const sel = await strategy.select({ clustering, score: countingScores(rewards).score }, { k: 1 });
      expect(sel.strategy).toBe(strategy.name);
      expect(sel.clusters.map((c) => [c.answer, c.votes, c.frequency])).toEqual([
        ['b', 3, 0.3],
        ['a', 4, 0.4],
        ['c', 2, 0.2],
        ['d', 1, 0.1],
      ]);
    });

    it('rejects invalid options with the field named', async () => {
      const input = { clustering: clusteringOf(keys), score: countingScores(rewards).score };
      await expect(strategy.select(input, { k: 0 })).rejects.toMatchObject({
        code: 'invalid_option',
        param: 'k',
      });
      await expect(strategy.select(input, { alpha: 2 })).rejects.toMatchObject({ param: 'alpha' });
      await expect(strategy.select(input, { min_votes: 1.5 })).rejects.toMatchObject({ param: 'min_votes' });
      await expect(strategy.select(input, { aggregate: 'median' as 'mean' })).rejects.toMatchObject({
        param: 'aggregate',
      });
      await expect(strategy.select(input, { kk: 1 } as never)).rejects.toMatchObject({
        code: 'invalid_option',
      });
    });

    it('prefers a complete member over a truncated one as representative', async () => {
      const clustering = clusteringOf(['5', '5', '5'], new Set([0, 2]));
      const sel = await strategy.select({ clustering, score: countingScores([9, 1, 8]).score }, {});
      expect(sel.chosen[0]!.representative).toBe(1);
    });
  });
}
