// Turns a per-sample scoring function into the lazy, memoised ScoreClusters a strategy receives:
// each sample is scored at most once, and only when a strategy asks for a cluster containing it.
import { throwIfAborted } from '../core/index.ts';
import type { Cluster, ScoreClusters } from '../core/index.ts';
import { checkScores } from '../reward/index.ts';

/** Scores samples by index, resolving to one reward per requested index, in order. */
export type ScoreSamples = (indices: readonly number[], signal?: AbortSignal) => Promise<readonly number[]>;

export interface LazyScores {
  readonly scoreClusters: ScoreClusters;
  /** How many distinct samples have been sent for scoring so far. */
  scoredSamples(): number;
}

/** `source` names the scorer in the error when a batch is not one finite score per sample. */
export function lazyScores(scoreSamples: ScoreSamples, source = 'scorer'): LazyScores {
  const pending = new Map<number, Promise<number>>();

  const scoreClusters: ScoreClusters = async (clusters: readonly Cluster[], signal?: AbortSignal) => {
    throwIfAborted(signal);
    const fresh = [...new Set(clusters.flatMap((c) => c.members))].filter((i) => !pending.has(i));
    if (fresh.length > 0) {
      // Every strategy reads scores through here: one check, before any of them is ranked.
      const batch = scoreSamples(fresh, signal).then((scores) => checkScores(source, fresh.length, scores));
      fresh.forEach((index, position) => {
        pending.set(
          index,
          batch.then((scores) => scores[position]!),
        );
      });
      // A failed batch must not poison later requests with a cached rejection.
      batch.catch(() => {
        for (const i of fresh) pending.delete(i);
      });
    }
    return Promise.all(clusters.map((c) => Promise.all(c.members.map((i) => pending.get(i)!))));
  };

  return { scoreClusters, scoredSamples: () => pending.size };
}

/** Reads precomputed per-sample rewards (offline evaluation, tests) through the same lazy path. */
export function scoresFromArray(rewards: readonly (number | null | undefined)[]): ScoreSamples {
  return async (indices) =>
    indices.map((i) => {
      const r = rewards[i];
      if (r === null || r === undefined) throw new Error(`no reward recorded for sample ${i}`);
      return r;
    });
}
