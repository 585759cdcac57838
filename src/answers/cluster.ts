// Grouping of N extracted answers into clusters, computed once per request and shared by every
// strategy. Pure: no I/O.
import type { Answer, Cluster, Clustering } from '../core/index.ts';
import { checkBudget, compareNormalized, type EquivalenceOptions } from './equivalent.ts';
import { LIMITS } from './limits.ts';
import { type Normalized, normalize } from './normalize.ts';

export interface ClusterOptions {
  /** Sample indices whose completion was truncated (finish_reason `length`). */
  truncated?: ReadonlySet<number>;
}

export interface AnswerClusterOptions extends ClusterOptions, EquivalenceOptions {
  /** Work budget for all slow-path checks of this request, in operations (default LIMITS.requestWork). */
  requestBudget?: number;
  /** Deprecated: mapped deterministically to requestBudget = requestBudgetMs × LIMITS.workPerMs. */
  requestBudgetMs?: number;
}

/** A Clustering plus how it was computed, for metadata and logs. */
export interface AnswerClustering extends Clustering {
  /** Slow-path equivalence checks run (pairs of distinct keys). */
  readonly comparisons: number;
  /**
   * Why some answers were only compared by key or as strings (`request-budget`, `string:budget`,
   * `string:too-long`, …); empty when every pair was fully checked.
   */
  readonly degraded: readonly string[];
}

/**
 * Fast path: answers with the same canonical key form one cluster; all answers with a null key form
 * the single "no answer" cluster. Linear in N. Samples are identified by their position in `answers`.
 */
export function clusterByKey(answers: readonly Answer[], options: ClusterOptions = {}): Clustering {
  const byKey = new Map<string | null, { key: string | null; answer: string | null; members: number[] }>();
  answers.forEach((a, index) => {
    const key = a.value === null ? null : a.key;
    let group = byKey.get(key);
    if (!group) {
      group = { key, answer: key === null ? null : a.value, members: [] };
      byKey.set(key, group);
    }
    group.members.push(index);
  });
  return fromGroups(answers.length, [...byKey.values()], options);
}

/**
 * Clusters answers by equivalence. Keys are recomputed from values under `options` (so policies such as
 * list order apply), grouped by a hash map, and only the distinct keys are compared with the slow check.
 *
 * Transitivity: equivalence with a numeric tolerance is not transitive (a ≈ b ≈ c with a ≉ c), and
 * union-find would chain such steps until different magnitudes meet. So each new distinct key joins the
 * first existing cluster whose *leader* (first-appearing key) it is equivalent to, or starts a new one.
 * The result depends only on the order of the answers, which is the sample order.
 *
 * Budgets: each check has a per-comparison work budget; once the request's work budget is spent,
 * remaining distinct keys are grouped by key only, and `degraded` says so. Budgets count operations, not
 * time, so the clustering of the same answers is the same on any machine.
 */
export function clusterAnswers(
  answers: readonly Answer[],
  options: AnswerClusterOptions = {},
): AnswerClustering {
  const budget =
    options.requestBudget ??
    (options.requestBudgetMs === undefined ? LIMITS.requestWork : options.requestBudgetMs * LIMITS.workPerMs);
  let spent = 0;
  const perCheck = checkBudget(options);
  const degraded = new Set<string>();
  let comparisons = 0;
  type Group = { key: string | null; answer: string | null; members: number[]; norm: Normalized | null };
  const groups: Group[] = [];
  const byKey = new Map<string | null, Group>();
  const normCache = new Map<string, Normalized>();
  answers.forEach((a, index) => {
    let norm: Normalized | null = null;
    let key: string | null = null;
    if (a.value !== null) {
      norm = normCache.get(a.value) ?? normalize(a.value, options);
      normCache.set(a.value, norm);
      key = norm.key;
      if (norm.fallback) degraded.add(`string:${norm.fallback.split(':')[0]}`);
    }
    const known = byKey.get(key);
    if (known) {
      known.members.push(index);
      return;
    }
    // A new distinct key: the slow path, against the leader of each existing answer cluster.
    let home: Group | undefined;
    if (norm !== null) {
      for (const g of groups) {
        if (g.norm === null) continue;
        if (spent >= budget) {
          degraded.add('request-budget');
          break;
        }
        comparisons++;
        // A check may spend at most what is left of the request's budget.
        const left = budget - spent;
        const v = compareNormalized(g.norm, norm, left < perCheck ? { ...options, budget: left } : options);
        spent += v.work + 1;
        if (v.how === 'string:budget' && left < perCheck) degraded.add('request-budget');
        if (v.how.startsWith('string:') && v.how !== 'string:unparsed') degraded.add(v.how);
        if (v.equal) {
          home = g;
          break;
        }
      }
    }
    if (home) {
      home.members.push(index);
      byKey.set(key, home);
      return;
    }
    const g: Group = { key, answer: a.value, members: [index], norm };
    groups.push(g);
    byKey.set(key, g);
  });
  // Members were appended in sample order, so each cluster's members are in first-appearance order.
  const base = fromGroups(answers.length, groups, options);
  return { ...base, comparisons, degraded: [...degraded] };
}

/** Builds a Clustering from groups listed in first-appearance order. */
export function fromGroups(
  n: number,
  groups: readonly { key: string | null; answer: string | null; members: readonly number[] }[],
  options: ClusterOptions = {},
): Clustering {
  const clusters: Cluster[] = groups.map((g, id) => ({
    id,
    key: g.key,
    answer: g.answer,
    members: [...g.members],
    count: g.members.length,
    frequency: n === 0 ? 0 : g.members.length / n,
  }));
  return options.truncated ? { n, clusters, truncated: options.truncated } : { n, clusters };
}
