// Per-problem results, for inspection: one row per problem with its pool, clusters and Pass@k per cell.
import type { EvalRun } from './evaluate.ts';

export interface PerProblemRow {
  id: string;
  size: number;
  correct: number;
  /** Pool-wide clusters: answer, votes, correct. */
  clusters: { answer: string | null; votes: number; correct: boolean }[];
  /** results[strategy][N] = Pass@k for each k of the grid. */
  results: Record<string, Record<string, number[]>>;
}

export function perProblemRows(run: EvalRun): PerProblemRow[] {
  const { grid } = run;
  const rows = new Map<number, PerProblemRow>();
  for (const cell of grid.cells) {
    cell.included.forEach((p, j) => {
      let row = rows.get(p);
      if (!row) {
        const problem = grid.problems[p]!;
        const votes = new Array<number>(problem.clusters.length).fill(0);
        const correct = new Array<boolean>(problem.clusters.length).fill(false);
        problem.clusterOf.forEach((c, i) => {
          votes[c]!++;
          if (problem.sampleCorrect?.[i] === 1) correct[c] = true;
        });
        row = {
          id: problem.id,
          size: problem.size,
          correct: problem.correctCount,
          clusters: problem.clusters.map((c, i) => ({
            answer: c.answer,
            votes: votes[i]!,
            correct: correct[i]!,
          })),
          results: {},
        };
        rows.set(p, row);
      }
      const byN = row.results[cell.arm] ?? {};
      row.results[cell.arm] = byN;
      byN[String(cell.N)] = cell.passRate.map((r) => r[j]!);
    });
  }
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
}
