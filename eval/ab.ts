// `bom ab`: two strategies (or two option sets of one) on the same problems, the same draws and the
// same rewards. Per (N, k): the difference in Pass@k with a paired bootstrap CI over problems, the
// exact sign test on per-problem outcomes (exact McNemar when there is one trial per problem), and
// the problems where the two disagree, with their clusters.
import { BomError } from '../src/core/index.ts';
import { type EvalOptions, evaluate } from './evaluate.ts';
import { type Arm, selectionKey } from './grid.ts';
import { mean, pairedBootstrapCI, signTest } from './stats.ts';
import type { ProblemRecord } from './store.ts';

export interface Disagreement {
  id: string;
  a: number;
  b: number;
  /** What each side submitted on the first trial (the whole pool when N is the pool). */
  a_answers: (string | null)[];
  b_answers: (string | null)[];
  /** The first trial's clusters: answer, votes, mean reward, correct. */
  clusters: { answer: string | null; votes: number; reward: number | null; correct: boolean }[];
}

export interface AbRow {
  N: number;
  k: number;
  problems: number;
  a: number;
  b: number;
  diff: number;
  ci: [number, number];
  wins: number;
  losses: number;
  ties: number;
  p_value: number;
  disagreements: Disagreement[];
}

export interface AbSummary {
  a: string;
  b: string;
  trials: number;
  seed: number;
  comparisons: AbRow[];
  warnings: string[];
}

export async function compare(
  records: readonly ProblemRecord[],
  a: Arm,
  b: Arm,
  options: EvalOptions & { show?: number },
): Promise<AbSummary> {
  if (a.label === b.label) {
    throw new BomError(`A and B are the same ('${a.label}'); compare two strategies or two option sets`, {
      code: 'invalid_option',
      param: 'b',
    });
  }
  const run = await evaluate(records, [a, b], { ...options, keepSelections: true });
  if (run.arms.length < 2) {
    throw new BomError(`cannot compare: ${run.summary.warnings.join('; ')}`, {
      code: 'missing_rewards',
      param: 'samples',
    });
  }
  const { grid } = run;
  const show = options.show ?? 20;
  const comparisons: AbRow[] = [];
  for (const n of grid.Ns) {
    const ca = grid.cells.find((c) => c.arm === a.label && c.N === n)!;
    const cb = grid.cells.find((c) => c.arm === b.label && c.N === n)!;
    if (ca.included.length === 0) continue;
    grid.ks.forEach((k, ki) => {
      const ra = ca.passRate[ki]!;
      const rb = cb.passRate[ki]!;
      const test = signTest(ra, rb);
      const order = ca.included
        .map((p, j) => ({ p, j, d: ra[j]! - rb[j]! }))
        .filter((x) => x.d !== 0)
        .sort((x, y) => Math.abs(y.d) - Math.abs(x.d) || x.p - y.p);
      const disagreements = order.slice(0, show).map(({ p, j }) => {
        const problem = grid.problems[p]!;
        const sa = grid.selections?.get(selectionKey(a.label, n, problem.id));
        const sb = grid.selections?.get(selectionKey(b.label, n, problem.id));
        const drawn = grid.firstDraws?.get(selectionKey('', n, problem.id));
        return {
          id: problem.id,
          a: ra[j]!,
          b: rb[j]!,
          a_answers: sa?.chosen.slice(0, k).map((c) => c.cluster.answer) ?? [],
          b_answers: sb?.chosen.slice(0, k).map((c) => c.cluster.answer) ?? [],
          clusters: (drawn?.clusters ?? []).map((c) => ({
            answer: c.answer,
            votes: c.count,
            reward: problem.rewards ? mean(c.members.map((i) => problem.rewards![i]!)) : null,
            correct: problem.sampleCorrect?.[c.members[0]!] === 1,
          })),
        };
      });
      comparisons.push({
        N: n,
        k,
        problems: ra.length,
        a: mean(ra),
        b: mean(rb),
        diff: mean(ra) - mean(rb),
        ci: pairedBootstrapCI(ra, rb, {
          resamples: options.bootstrap ?? 1000,
          seed: options.seed * 7919 + n,
        }),
        wins: test.wins,
        losses: test.losses,
        ties: test.ties,
        p_value: test.pValue,
        disagreements,
      });
    });
  }
  return {
    a: a.label,
    b: b.label,
    trials: options.trials,
    seed: options.seed,
    comparisons,
    warnings: run.summary.warnings,
  };
}
