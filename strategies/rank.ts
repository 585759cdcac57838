// Ranking primitives shared by the strategies. Ties always break by first appearance (cluster id).
import type { Aggregate, Cluster } from '../src/core/index.ts';

/**
 * Sorts best first by `value`, descending. Array.prototype.sort is stable, and clusters arrive in
 * first-appearance order, so equal values keep that order. NaN (a broken score) ranks last.
 */
export function rankDescending(clusters: readonly Cluster[], value: (c: Cluster) => number): Cluster[] {
  const keyed = clusters.map((c) => ({ c, v: Number.isNaN(value(c)) ? Number.NEGATIVE_INFINITY : value(c) }));
  keyed.sort((a, b) => (a.v === b.v ? a.c.id - b.c.id : b.v - a.v));
  return keyed.map((x) => x.c);
}

export function byVotes(clusters: readonly Cluster[]): Cluster[] {
  return rankDescending(clusters, (c) => c.count);
}

export function aggregateRewards(rewards: readonly number[], how: Aggregate): number {
  if (rewards.length === 0) return Number.NaN;
  let sum = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (const r of rewards) {
    sum += r;
    if (r > max) max = r;
  }
  if (how === 'sum') return sum;
  if (how === 'max') return max;
  return sum / rewards.length;
}

/**
 * The member whose full text answers the user: complete samples beat truncated ones (finish_reason
 * `length`); among those, the highest reward when the cluster was scored, else the first to appear.
 */
export function pickRepresentative(
  cluster: Cluster,
  memberRewards: readonly (number | undefined)[] | undefined,
  truncated: ReadonlySet<number> | undefined,
): number {
  const members = cluster.members.map((index, position) => ({ index, reward: memberRewards?.[position] }));
  const complete = truncated ? members.filter((m) => !truncated.has(m.index)) : members;
  const pool = complete.length > 0 ? complete : members;
  let best = pool[0]!;
  for (const m of pool) {
    if ((m.reward ?? Number.NEGATIVE_INFINITY) > (best.reward ?? Number.NEGATIVE_INFINITY)) best = m;
  }
  return best.index;
}

/**
 * Member positions (into cluster.members) in the order they are scored when only some are: complete
 * members first in first-appearance order (so the unscored representative first), then truncated ones.
 */
export function scoringPositions(cluster: Cluster, truncated: ReadonlySet<number> | undefined): number[] {
  const positions = cluster.members.map((_, p) => p);
  if (!truncated) return positions;
  return [
    ...positions.filter((p) => !truncated.has(cluster.members[p]!)),
    ...positions.filter((p) => truncated.has(cluster.members[p]!)),
  ];
}
