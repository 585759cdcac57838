import type { Aggregate, Cluster } from '../src/core/index.ts';
import { defineStrategy, type RankContext } from './define.ts';
import { minimumVotes } from './options.ts';
import { byVotes, rankDescending } from './rank.ts';

/**
 * Best-of-Majority (arXiv 2510.03199): keep the clusters with f_c ≥ α (and n_c ≥ min_votes), then
 * the top-k of those by R_c. Only surviving clusters are scored. No back-fill from below the floor,
 * as in the authors' code: fewer than k answers come back when fewer clear it. When none clears it
 * (the paper's code crashes there) we return majority order and set `fallback`.
 */
export const bestOfMajority = defineStrategy({
  name: 'best-of-majority',
  aliases: ['bom'],
  options: ['alpha', 'min_votes', 'aggregate', 'score_members', 'adaptive'],
  description: 'answers whose frequency clears alpha, ranked by aggregated reward; scores only those',
  rewards: 'filtered',
  async rank({ clustering, candidates, options, rewards, rewardsOfFirst, memberScores }) {
    const floor = minimumVotes(options, clustering.n);
    const survivors = candidates.filter((c) => c.count >= floor);
    const eligible = new Set(survivors.map((c) => c.id));
    if (survivors.length === 0) {
      return {
        order: byVotes(candidates),
        eligible,
        fallback: true,
        reason: `no answer reached ${floor} of ${clustering.n} votes; fell back to majority order`,
      };
    }
    const r =
      options.score_members === undefined
        ? await rewards(survivors)
        : await scoreSome(
            survivors,
            options.score_members,
            options.k,
            options.aggregate,
            rewardsOfFirst,
            memberScores,
          );
    const order = rankDescending(survivors, (c) => r.get(c.id)!);
    const reason =
      survivors.length < options.k && survivors.length < candidates.length
        ? `only ${survivors.length} answer${survivors.length === 1 ? '' : 's'} reached ${floor} of ${clustering.n} votes`
        : undefined;
    return reason ? { order, eligible, reason } : { order, eligible };
  },
});

/**
 * The z of the refinement test: a pair of clusters counts as ordered once their gap is at least z
 * standard errors. Chosen by measurement (docs/adaptive.md, "Cheaper best-of-majority";
 * bench/bom-members.ts): on simulated pools at N = 32 / 64 it makes 0.23× / 0.15–0.17× best-of-n's
 * reward calls and stays 0.07–0.4 point (k = 1) below scoring every eligible member; z = 3 halves that
 * loss for 0.27× at N = 32.
 */
export const REFINE_Z = 2.5;

/**
 * `score_members = m`: at most m members per surviving cluster, in scoring order (complete members
 * first, so the representative first); R_c is the mean of those scored (max/sum: of the first m).
 *
 * - One surviving cluster: nothing to rank, so nothing is scored (its reward is reported as null,
 *   `scored: 0`; the representative is its first complete member).
 * - Mean: the representatives first, then sequential refinement (`refineNext`): while some pair
 *   across a rank boundary 1..k is not separated by z standard errors, one more member of the pair's
 *   less-scored side is scored. Deterministic: the order of operations depends only on the rewards.
 */
async function scoreSome(
  survivors: readonly Cluster[],
  m: number,
  k: number,
  aggregate: Aggregate,
  rewardsOfFirst: RankContext['rewardsOfFirst'],
  memberScores: RankContext['memberScores'],
): Promise<ReadonlyMap<number, number>> {
  if (survivors.length === 1) return new Map([[survivors[0]!.id, 0]]);
  const cap = (c: Cluster) => Math.min(m, c.count);
  if (aggregate !== 'mean') return rewardsOfFirst(survivors.map((c) => ({ cluster: c, count: cap(c) })));
  await rewardsOfFirst(survivors.map((c) => ({ cluster: c, count: 1 })));
  for (;;) {
    const state = survivors.map((c) => ({ id: c.id, size: c.count, cap: cap(c), scores: memberScores(c) }));
    const next = new Set(refineNext(state, k, REFINE_Z));
    if (next.size === 0) return new Map(state.map((c) => [c.id, mean(c.scores)]));
    await rewardsOfFirst(
      survivors.filter((c) => next.has(c.id)).map((c) => ({ cluster: c, count: memberScores(c).length + 1 })),
    );
  }
}

/** A surviving cluster as the refinement sees it. */
export interface ScoredCluster {
  readonly id: number;
  /** Its members (votes): the population whose mean full scoring would compute. */
  readonly size: number;
  /** The most members that may be scored (min(m, size)). */
  readonly cap: number;
  /** The rewards scored so far (at least the representative's). */
  readonly scores: readonly number[];
}

/**
 * The within-cluster spread s of the member rewards: the pooled variance of all clusters' scored
 * members around their own means, plus a one-degree-of-freedom prior at the variance of every
 * reward scored (which includes the spread between clusters, so it errs wide) — with only the
 * representatives scored there is no within-cluster evidence, and a cluster's two close members
 * must not make s zero. 0 when fewer than two rewards are known.
 */
export function pooledSpread(clusters: readonly ScoredCluster[]): number {
  let ss = 0;
  let df = 0;
  let n = 0;
  let sum = 0;
  for (const c of clusters) {
    const mu = mean(c.scores);
    for (const x of c.scores) ss += (x - mu) ** 2;
    df += Math.max(0, c.scores.length - 1);
    n += c.scores.length;
    for (const x of c.scores) sum += x;
  }
  if (n < 2) return 0;
  const grand = sum / n;
  let total = 0;
  for (const c of clusters) for (const x of c.scores) total += (x - grand) ** 2;
  return Math.sqrt((ss + total / (n - 1)) / (df + 1));
}

/**
 * Which clusters to score one more member of (ids; empty: the order is decided). Clusters ranked
 * by their mean (ties by id, as the strategy ranks). For each boundary j = 1..min(k, clusters − 1)
 * (so the top-k comes back in a decided order, not just as a set), every pair (insider i, outsider o)
 * has the standardised gap g = (μ_i − μ_o) / (s·√(f_i + f_o)), f = (1/n)(1 − n/size): the variance of a
 * mean of n of the cluster's members around the mean of all of them (the finite-population
 * correction; a fully scored cluster is exact). The pair with the smallest g below z, among pairs
 * with a side still under its cap, is refined on the side with fewer members scored (a tie: the
 * insider). A zero standard error (identical rewards, or both sides fully scored) counts as decided.
 */
export function refineNext(clusters: readonly ScoredCluster[], k: number, z: number): number[] {
  const s = pooledSpread(clusters);
  const ranked = clusters
    .map((c) => ({
      c,
      mu: mean(c.scores),
      f: (1 / c.scores.length) * (1 - c.scores.length / c.size),
      open: c.scores.length < c.cap,
    }))
    .sort((a, b) => b.mu - a.mu || a.c.id - b.c.id);
  const out = new Set<number>();
  for (let j = 1; j <= Math.min(k, ranked.length - 1); j++) {
    let worst: { pick: number; g: number } | undefined;
    for (const i of ranked.slice(0, j))
      for (const o of ranked.slice(j)) {
        if (!i.open && !o.open) continue;
        const se = s * Math.sqrt(Math.max(0, i.f) + Math.max(0, o.f));
        const g = se > 0 ? (i.mu - o.mu) / se : Number.POSITIVE_INFINITY;
        if (!(g < z) || (worst !== undefined && g >= worst.g)) continue;
        const insider = i.open && (!o.open || i.c.scores.length <= o.c.scores.length);
        worst = { pick: insider ? i.c.id : o.c.id, g };
      }
    if (worst) out.add(worst.pick);
  }
  return [...out];
}

const mean = (xs: readonly number[]) =>
  xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
