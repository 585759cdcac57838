// Grouping of N extracted answers into clusters (DESIGN §2). Pure: no I/O.
import type { Answer, Cluster, Clustering } from '../types.ts';

export interface ClusterOptions {
  /** Sample indices whose completion was truncated (finish_reason `length`). */
  truncated?: ReadonlySet<number>;
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
