// Property-based checks of the strategy algebra (BoM with alpha 0 is best-of-n, weighted majority is
// best-of-n with sum, outputs nest, …), with fast-check's seeded runs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bestOfMajority,
  bestOfN,
  majority,
  minimumVotes,
  strategies,
  weightedMajority,
} from '../../strategies/index.ts';
import { parseStrategyOptions } from '../../strategies/define.ts';
import { clusteringOf, countingScores } from './helpers.ts';

const SEED = 20261129;
const runs = { seed: SEED, numRuns: 200 };

/** N samples over a small answer alphabet (so clusters repeat), some unparseable, with rewards. */
const instance = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    keys: fc.array(fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { freq: 6 }), {
      minLength: n,
      maxLength: n,
    }),
    rewards: fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n, maxLength: n }),
    k: fc.integer({ min: 1, max: 6 }),
  }),
);

const ids = (sel: { chosen: readonly { cluster: { id: number } }[] }) => sel.chosen.map((c) => c.cluster.id);

describe('strategy properties', () => {
  it('best-of-majority with alpha = 0 equals best-of-n', async () => {
    await fc.assert(
      fc.asyncProperty(
        instance,
        fc.constantFrom('mean', 'max', 'sum') as fc.Arbitrary<'mean'>,
        async (x, aggregate) => {
          const clustering = clusteringOf(x.keys);
          const bom = await bestOfMajority.select(
            { clustering, score: countingScores(x.rewards).score },
            { k: x.k, alpha: 0, aggregate },
          );
          const bon = await bestOfN.select(
            { clustering, score: countingScores(x.rewards).score },
            { k: x.k, aggregate },
          );
          expect(ids(bom)).toEqual(ids(bon));
          expect(bom.chosen.map((c) => c.representative)).toEqual(bon.chosen.map((c) => c.representative));
        },
      ),
      runs,
    );
  });

  it('weighted majority is best-of-n with the sum aggregate', async () => {
    await fc.assert(
      fc.asyncProperty(instance, async (x) => {
        const clustering = clusteringOf(x.keys);
        const wm = await weightedMajority.select(
          { clustering, score: countingScores(x.rewards).score },
          { k: x.k },
        );
        const bon = await bestOfN.select(
          { clustering, score: countingScores(x.rewards).score },
          { k: x.k, aggregate: 'sum' },
        );
        expect(ids(wm)).toEqual(ids(bon));
      }),
      runs,
    );
  });

  it('majority never depends on rewards and never asks for one', async () => {
    await fc.assert(
      fc.asyncProperty(
        instance,
        fc.array(fc.double({ noNaN: true }), { minLength: 40, maxLength: 40 }),
        async (x, other) => {
          const clustering = clusteringOf(x.keys);
          const first = countingScores(x.rewards);
          const second = countingScores(other);
          const a = await majority.select({ clustering, score: first.score }, { k: x.k });
          const b = await majority.select({ clustering, score: second.score }, { k: x.k });
          expect(ids(a)).toEqual(ids(b));
          expect(first.asked).toEqual([]);
          expect(second.asked).toEqual([]);
          // Majority order: votes never increase along the list.
          const votes = a.chosen.map((c) => c.votes);
          expect([...votes].sort((p, q) => q - p)).toEqual(votes);
        },
      ),
      runs,
    );
  });

  it('best-of-majority never returns a cluster below the floor unless fallback is set', async () => {
    await fc.assert(
      fc.asyncProperty(instance, fc.double({ min: 0, max: 1, noNaN: true }), async (x, alpha) => {
        const clustering = clusteringOf(x.keys);
        const sel = await bestOfMajority.select(
          { clustering, score: countingScores(x.rewards).score },
          { k: x.k, alpha },
        );
        const floor = minimumVotes(parseStrategyOptions({ alpha }), clustering.n);
        if (!sel.fallback) {
          for (const c of sel.chosen) {
            expect(c.votes).toBeGreaterThanOrEqual(floor);
            expect(c.frequency).toBeGreaterThanOrEqual(alpha - 1e-12);
          }
        } else {
          expect(sel.reason).toBeTruthy();
        }
      }),
      runs,
    );
  });

  it('scores only the samples a strategy needs', async () => {
    await fc.assert(
      fc.asyncProperty(instance, async (x) => {
        const clustering = clusteringOf(x.keys);
        const answered = x.keys.filter((k) => k !== null).length;
        const bonScores = countingScores(x.rewards);
        await bestOfN.select({ clustering, score: bonScores.score }, { k: x.k });
        expect(new Set(bonScores.asked).size).toBe(answered);
        expect(bonScores.asked.length).toBe(answered); // each sample scored once

        const bomScores = countingScores(x.rewards);
        const sel = await bestOfMajority.select(
          { clustering, score: bomScores.score },
          { k: x.k, alpha: 0.3 },
        );
        const floor = minimumVotes(parseStrategyOptions({ alpha: 0.3 }), clustering.n);
        const needed = clustering.clusters
          .filter((c) => c.key !== null && c.count >= floor)
          .reduce((sum, c) => sum + c.count, 0);
        expect(bomScores.asked.length).toBe(sel.fallback ? 0 : needed);
        expect(bomScores.asked.length).toBeLessThanOrEqual(bonScores.asked.length);
      }),
      runs,
    );
  });

  it('every strategy is deterministic and nested on random instances', async () => {
    await fc.assert(
      fc.asyncProperty(instance, async (x) => {
        const clustering = clusteringOf(x.keys);
        for (const s of strategies.values()) {
          const small = await s.select({ clustering, score: countingScores(x.rewards).score }, { k: x.k });
          const large = await s.select(
            { clustering, score: countingScores(x.rewards).score },
            { k: x.k + 1 },
          );
          expect(ids(large).slice(0, ids(small).length)).toEqual(ids(small));
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});

describe('best-of-majority scores fewer samples than best-of-n when alpha is high', () => {
  it('counts the calls on a spread-out instance', async () => {
    // 20 samples: one answer with 8 votes, twelve singletons.
    const keys = ['m', ...'abcdef'.split(''), 'm', 'm', ...'ghijkl'.split(''), 'm', 'm', 'm', 'm', 'm'];
    const rewards = keys.map((_, i) => i / 10);
    const clustering = clusteringOf(keys);
    const bon = countingScores(rewards);
    const bom = countingScores(rewards);
    await bestOfN.select({ clustering, score: bon.score }, { k: 3 });
    await bestOfMajority.select({ clustering, score: bom.score }, { k: 3, alpha: 0.25 });
    expect(bon.asked.length).toBe(20);
    expect(bom.asked.length).toBe(8);
  });
});
