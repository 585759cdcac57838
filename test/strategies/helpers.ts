// Builders shared by the strategy tests.
import { clusterByKey } from '../../src/answers/cluster.ts';
import { lazyScores, scoresFromArray } from '../../src/selection/lazy-scores.ts';
import type { Clustering } from '../../src/core/types.ts';

/** A clustering from answer keys in sample order; null is an unparseable sample. */
export function clusteringOf(keys: readonly (string | null)[], truncated?: ReadonlySet<number>): Clustering {
  return clusterByKey(
    keys.map((key) => ({ value: key, key, rule: key === null ? 'none' : 'test' })),
    truncated ? { truncated } : {},
  );
}

/** Lazy scores over fixed per-sample rewards, counting every sample the scorer is asked for. */
export function countingScores(rewards: readonly number[]) {
  const asked: number[] = [];
  const base = scoresFromArray(rewards);
  const lazy = lazyScores(async (indices, signal) => {
    asked.push(...indices);
    return base(indices, signal);
  });
  return { score: lazy.scoreClusters, asked };
}
