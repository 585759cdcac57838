import { CONFIDENCE_DEFAULTS, type Cluster, keepThreshold } from '../src/core/index.ts';
import { defineStrategy } from './define.ts';
import type { StrategyOptions } from './options.ts';
import { rankDescending } from './rank.ts';

/** η: the top 90 % of traces by default (DeepConf-high); 10 is DeepConf-low (docs/confidence.md). */
export const DEFAULT_KEEP = 90;

/** The trace-confidence settings a request's options stand for (what the `confidence` scorer computes). */
export function deepconfScorer(options: StrategyOptions) {
  return {
    kind: 'confidence' as const,
    variant: options.variant ?? 'lowest-window',
    window: options.window ?? CONFIDENCE_DEFAULTS.window,
    fraction: CONFIDENCE_DEFAULTS.bottomFraction,
    topLogprobs: options.top_logprobs ?? CONFIDENCE_DEFAULTS.topLogprobs,
  };
}

/**
 * DeepConf (Fu et al. 2025), offline: every trace's confidence from its token logprobs (the
 * `confidence` scorer with this request's variant and window), keep the traces at or above the
 * threshold — the (100 − keep)-th percentile of all N traces' confidences, or `threshold` when given
 * (online mode sets it from the warm-up) — and vote weighted by confidence. When no trace with an
 * answer is kept (the most confident traces answered nothing, or an online threshold stops them all),
 * it falls back to the unfiltered confidence-weighted vote with `fallback: true`; without logprobs,
 * to majority order (the frame's ScoresUnavailable path). `confidence` of a choice is its share of the
 * kept vote weight.
 */
export const deepconf = defineStrategy({
  name: 'deepconf',
  aliases: ['conf', 'dc'],
  options: ['variant', 'window', 'keep', 'top_logprobs', 'warmup', 'threshold', 'adaptive'],
  description:
    'keeps the most confident traces (token-logprob confidence, DeepConf) and votes weighted by confidence; needs top logprobs, no reward model',
  rewards: 'all',
  // R_c = the cluster's summed confidence (its unfiltered vote weight); with `adaptive`, the reward
  // rule's sum criterion (weighted majority's) decides when to stop drawing.
  aggregate: 'sum',
  scorer: deepconfScorer,
  confidenceBasis: 'weighted_share',
  async rank({ clustering, candidates, options, rewards, memberScores }) {
    const all = clustering.clusters;
    await rewards(all);
    const conf = new Map<number, readonly number[]>(all.map((c) => [c.id, memberScores(c)]));
    const every = all.flatMap((c) => conf.get(c.id) ?? []);
    const keep = options.keep ?? DEFAULT_KEEP;
    const threshold = options.threshold ?? keepThreshold(every, keep);
    const weight = (c: Cluster, filtered: boolean) => {
      let w = 0;
      for (const x of conf.get(c.id) ?? []) if (!filtered || x >= threshold) w += x;
      return w;
    };
    const kept = new Map(candidates.map((c) => [c.id, weight(c, true)]));
    const keptVotes = (c: Cluster) => (conf.get(c.id) ?? []).filter((x) => x >= threshold).length;
    const eligible = new Set(candidates.filter((c) => keptVotes(c) > 0).map((c) => c.id));
    const unfiltered = new Map(candidates.map((c) => [c.id, weight(c, false)]));
    const shares = (w: ReadonlyMap<number, number>, from: readonly Cluster[]) => {
      const total = from.reduce((s, c) => s + Math.max(0, w.get(c.id)!), 0);
      return new Map(candidates.map((c) => [c.id, total > 0 ? Math.max(0, w.get(c.id) ?? 0) / total : 0]));
    };
    const how =
      options.threshold !== undefined
        ? `confidence ≥ ${round(threshold)}`
        : `the top ${keep} % (confidence ≥ ${round(threshold)})`;
    if (eligible.size === 0) {
      return {
        order: rankDescending(candidates, (c) => unfiltered.get(c.id)!),
        eligible: new Set(candidates.map((c) => c.id)),
        fallback: true,
        reason: `no trace with an answer kept by ${how}; fell back to the unfiltered confidence-weighted vote`,
        confidence: shares(unfiltered, candidates),
      };
    }
    const inside = candidates.filter((c) => eligible.has(c.id));
    const outside = candidates.filter((c) => !eligible.has(c.id));
    return {
      order: [
        ...rankDescending(inside, (c) => kept.get(c.id)!),
        ...rankDescending(outside, (c) => unfiltered.get(c.id)!),
      ],
      eligible,
      confidence: shares(kept, inside),
    };
  },
});

const round = (x: number) => Math.round(x * 1000) / 1000;
