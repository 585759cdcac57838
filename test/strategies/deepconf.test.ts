// deepconf's own rule (the shared contract runs in contract.test.ts): top-η % filter, the
// confidence-weighted vote, the all-filtered fallback, the threshold option and the weighted share.
import { describe, expect, it } from 'vitest';
import { deepconf } from '../../strategies/index.ts';
import { clusteringOf, countingScores } from './helpers.ts';

describe('deepconf', () => {
  // a × 5 unsure (confidence 2), b × 3 sure (confidence 9).
  const keys = ['a', 'b', 'a', 'a', 'b', 'a', 'a', 'b'];
  const conf = [2, 9, 2, 2, 9, 2, 2, 9];

  it('a sure minority outweighs an unsure majority', async () => {
    const sel = await deepconf.select(
      { clustering: clusteringOf(keys), score: countingScores(conf).score },
      {},
    );
    expect(sel.chosen[0]!.cluster.answer).toBe('b');
    expect(sel.fallback).toBe(false);
    expect(sel.confidenceBasis).toBe('weighted_share');
    // keep 90: threshold = 10th percentile of the 8 values = 2, every trace kept: 27 / (27 + 10).
    expect(sel.chosen[0]!.confidence).toBeCloseTo(27 / 37, 12);
  });

  it('keep = 10 keeps only the most confident traces', async () => {
    const c = [5, 9, 2, 2, 1, 2, 2, 3];
    const sel = await deepconf.select(
      { clustering: clusteringOf(keys), score: countingScores(c).score },
      { keep: 10, k: 2 },
    );
    // threshold = 90th percentile = 5 + 0.3·(9 − 5) = 6.2: only sample 1 (b, 9) is kept.
    expect(sel.chosen.map((x) => x.cluster.answer)).toEqual(['b', 'a']);
    expect(sel.chosen[0]!.confidence).toBe(1);
    expect(sel.chosen[1]!.confidence).toBe(0);
    expect(sel.clusters.map((x) => x.eligible)).toEqual([false, true]);
  });

  it('an explicit threshold replaces the percentile', async () => {
    const sel = await deepconf.select(
      { clustering: clusteringOf(keys), score: countingScores(conf).score },
      { threshold: 1 },
    );
    expect(sel.chosen[0]!.cluster.answer).toBe('b');
    expect(sel.chosen[0]!.confidence).toBeCloseTo(27 / 37, 12);
  });

  it('falls back to the unfiltered weighted vote, flagged, when every answered trace is filtered out', async () => {
    // The two most confident traces answered nothing; keep 25 % keeps only them.
    const sel = await deepconf.select(
      {
        clustering: clusteringOf([null, 'a', 'b', null, 'a', 'b', 'b', 'a']),
        score: countingScores([9, 2, 1, 9, 2, 1, 1, 3]).score,
      },
      { keep: 25 },
    );
    expect(sel.fallback).toBe(true);
    expect(sel.reason).toMatch(
      /no trace with an answer kept by the top 25 %.*fell back to the unfiltered confidence-weighted vote/,
    );
    expect(sel.chosen[0]!.cluster.answer).toBe('a');
    expect(sel.chosen[0]!.confidence).toBeCloseTo(7 / 10, 12);
    // Same when an online threshold is above every trace.
    const online = await deepconf.select(
      { clustering: clusteringOf(keys), score: countingScores(conf).score },
      { threshold: 100 },
    );
    expect(online.fallback).toBe(true);
    expect(online.chosen[0]!.cluster.answer).toBe('b');
  });

  it('represents a cluster by its most confident member', async () => {
    const sel = await deepconf.select(
      { clustering: clusteringOf(['x', 'x', 'x']), score: countingScores([1, 5, 3]).score },
      {},
    );
    expect(sel.chosen[0]!.representative).toBe(1);
  });

  it('declares its scorer from its options', () => {
    expect(deepconf.scorerSpec({})).toEqual({
      kind: 'confidence',
      variant: 'lowest-window',
      window: 2048,
      fraction: 0.1,
      topLogprobs: 20,
    });
    expect(deepconf.scorerSpec({ variant: 'tail', window: 16, top_logprobs: 5 })).toMatchObject({
      variant: 'tail',
      window: 16,
      topLogprobs: 5,
    });
  });
});
