import { defineStrategy } from './define.ts';
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
  async rank({ clustering, candidates, options, rewards }) {
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
    const r = await rewards(survivors);
    const order = rankDescending(survivors, (c) => r.get(c.id)!);
    const reason =
      survivors.length < options.k && survivors.length < candidates.length
        ? `only ${survivors.length} answer${survivors.length === 1 ? '' : 's'} reached ${floor} of ${clustering.n} votes`
        : undefined;
    return reason ? { order, eligible, reason } : { order, eligible };
  },
});
