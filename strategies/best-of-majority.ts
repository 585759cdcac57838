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
 * `score_members = m`: at most m members per surviving cluster, representative first, R_c the
 * aggregate of those scored. With the mean, members are scored in rounds and a cluster stops being
 * refined once even its best case (unscored planned members at the highest reward seen) cannot reach
 * the k-th best worst case (them at the lowest): it cannot enter the top-k.
 */
async function scoreSome(
  survivors: readonly Cluster[],
  m: number,
  k: number,
  aggregate: Aggregate,
  rewardsOfFirst: RankContext['rewardsOfFirst'],
  memberScores: RankContext['memberScores'],
): Promise<ReadonlyMap<number, number>> {
  const plan = (c: Cluster) => Math.min(m, c.count);
  if (aggregate !== 'mean') return rewardsOfFirst(survivors.map((c) => ({ cluster: c, count: plan(c) })));
  let r = await rewardsOfFirst(survivors.map((c) => ({ cluster: c, count: 1 })));
  for (;;) {
    const all = survivors.flatMap((c) => memberScores(c));
    const lo = Math.min(...all);
    const hi = Math.max(...all);
    const bounds = survivors.map((c) => {
      const xs = memberScores(c);
      const sum = xs.reduce((a, b) => a + b, 0);
      const left = plan(c) - xs.length;
      return { c, left, lower: (sum + left * lo) / plan(c), upper: (sum + left * hi) / plan(c) };
    });
    const kth = [...bounds].sort((a, b) => b.lower - a.lower)[Math.min(k, bounds.length) - 1]!.lower;
    const refine = bounds.filter((b) => b.left > 0 && b.upper > kth);
    if (refine.length === 0) return r;
    r = await rewardsOfFirst(refine.map((b) => ({ cluster: b.c, count: memberScores(b.c).length + 1 })));
    r = new Map(survivors.map((c) => [c.id, mean(memberScores(c))]));
  }
}

const mean = (xs: readonly number[]) =>
  xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
