import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/core/types.ts';
import { clusterAnswers, clusterByKey, extractAnswer } from '../../src/answers/index.ts';

const answers = (values: (string | null)[]): Answer[] =>
  values.map((v) =>
    v === null ? { value: null, key: null, rule: 'no-answer' } : extractAnswer(`\\boxed{${v}}`),
  );

const o = { now: () => 0 };

describe('clusterAnswers', () => {
  it('groups equivalent forms, numbers clusters by first appearance, members in order', () => {
    const c = clusterAnswers(answers(['\\frac12', '5', '0.5', null, '1/2', '500', null, '5.0', '0.05']), o);
    expect(c.n).toBe(9);
    expect(c.clusters.map((k) => [k.id, k.answer, k.members])).toEqual([
      [0, '\\frac12', [0, 2, 4]],
      [1, '5', [1, 7]],
      [2, null, [3, 6]],
      [3, '500', [5]],
      [4, '0.05', [8]],
    ]);
    expect(c.clusters[0]!.frequency).toBeCloseTo(3 / 9);
    expect(c.degraded).toEqual([]);
  });

  it('uses the slow path only where keys cannot decide', () => {
    const exactOnly = clusterAnswers(answers(['1', '2', '3', '1', '2']), o);
    expect(exactOnly.comparisons).toBe(3);
    const c = clusterAnswers(answers(['x^2+2x+1', '(x+1)^2', '(x+1)^2']), o);
    expect(c.clusters).toHaveLength(1);
    expect(c.comparisons).toBe(1);
  });

  it('joins the leader, not a chain (no tolerance drift)', () => {
    // With a tolerance asked for, 0.333 ≈ 1/3 and 0.3333 ≈ 1/3 but 0.333 ≠ 0.3333: the second decimal
    // does not ride on the first.
    const t = { tolerance: 1e-3 };
    const c = clusterAnswers(answers(['\\frac13', '0.333', '0.3333']), t);
    expect(c.clusters.map((k) => k.members)).toEqual([[0, 1, 2]]);
    const d = clusterAnswers(answers(['0.333', '\\frac13', '0.3333']), t);
    expect(d.clusters.map((k) => k.members)).toEqual([[0, 1], [2]]);
    // Without one, a rounded decimal is not the exact value.
    const e = clusterAnswers(answers(['\\frac13', '0.333', '0.3333']), o);
    expect(e.clusters).toHaveLength(3);
  });

  it('agrees with clusterByKey on exact answers and keeps truncation', () => {
    const as = answers(['3', '4', '3', null]);
    const truncated = new Set([1]);
    const a = clusterAnswers(as, { truncated });
    const b = clusterByKey(as, { truncated });
    expect(a.clusters).toEqual(b.clusters);
    expect(a.truncated).toBe(truncated);
  });

  it('handles no answers at all', () => {
    expect(clusterAnswers([]).clusters).toEqual([]);
    const c = clusterAnswers(answers([null, null]), o);
    expect(c.clusters).toEqual([{ id: 0, key: null, answer: null, members: [0, 1], count: 2, frequency: 1 }]);
  });
});
