// What the stopping rules read: the samples drawn so far, how the strategy ranks (its criterion), and
// which samples' rewards the reward rule reads (and the server scores while sampling).
import type { Aggregate, Cluster, Clustering } from '../core/index.ts';

/** How a strategy ranks, as the stopping rules read it. */
export type Criterion =
  | { readonly kind: 'votes' }
  | {
      readonly kind: 'reward';
      readonly aggregate: Aggregate;
      /** Best-of-majority's frequency floor: the votes a cluster needs among n samples. */
      readonly floor?: (n: number) => number;
      /** Best-of-majority's `score_members`: members scored per eligible cluster. */
      readonly scoreMembers?: number;
    };

/** The samples drawn so far, as the rules read them. */
export interface StopState {
  /** Clusters of the votes of the t samples drawn so far (n = t); members are sample ids. */
  readonly clustering: Clustering;
  /** The sample ids in draw order (length t). */
  readonly order: ArrayLike<number>;
  /** N: the most samples this selection may draw. */
  readonly budget: number;
  /** k: distinct answers returned. */
  readonly k: number;
  /** A sample's reward when known; the rules read only the samples `scoreTargets` names. */
  readonly reward?: (id: number) => number | undefined;
}

export interface Measured {
  confidence: number;
  /** The rule's own verdict when it is not `confidence ≥ C` (the window rule counts a run). */
  decided?: boolean;
  why: string;
}

/** Answered clusters by votes, ties by first appearance (majority's order). */
export function byVotes(clustering: Clustering): Cluster[] {
  return clustering.clusters.filter((c) => c.key !== null).sort((a, b) => b.count - a.count || a.id - b.id);
}

/** Members in the order they are scored: complete ones first (the representative first), then truncated. */
export function scoringOrder(cluster: Cluster, truncated: ReadonlySet<number> | undefined): number[] {
  if (!truncated) return [...cluster.members];
  const complete = cluster.members.filter((m) => !truncated.has(m));
  return [...complete, ...cluster.members.filter((m) => truncated.has(m))];
}

/**
 * With `score_members`, the most members of an eligible cluster the reward rule reads while sampling
 * (the strategy may score up to m at the end). Measured on simulated pools at N = 64 (best-of-majority,
 * score_members = 16, C = 0.95): reading up to 16 cost 29.9 reward calls per trial for 1.48× fewer
 * samples; 4 cost 15.9 for 1.29×; 2 cost 12.5 for 1.15×; none lost accuracy (docs/adaptive.md).
 */
export const READS_PER_CLUSTER = 4;

/**
 * The samples whose rewards the reward rule reads at this point (and the server scores as they
 * arrive): every sample for best-of-n and weighted majority; for best-of-majority the members of the
 * clusters that clear the floor at t, representative first — every one, or with `score_members` at
 * most min(m, READS_PER_CLUSTER) of each.
 */
export function scoreTargets(criterion: Criterion, clustering: Clustering): number[] {
  if (criterion.kind === 'votes') return [];
  const out: number[] = [];
  const floor = criterion.floor?.(clustering.n) ?? 0;
  for (const c of clustering.clusters) {
    if (criterion.floor && (c.key === null || c.count < floor)) continue;
    const order = scoringOrder(c, clustering.truncated);
    const reads =
      criterion.scoreMembers !== undefined ? Math.min(criterion.scoreMembers, READS_PER_CLUSTER) : undefined;
    out.push(...(reads !== undefined ? order.slice(0, reads) : order));
  }
  return out;
}

export const round = (x: number) => Math.round(x * 10000) / 10000;
