import { describe, expect, it } from 'vitest';
import { parseArms } from '../../eval/arms.ts';
import { evaluate } from '../../eval/evaluate.ts';
import { clusteringOfDraw, PrefixClustering, runGrid, scratchSize, trialSeed } from '../../eval/grid.ts';
import { prepareProblem } from '../../eval/prepare.ts';
import { simulateRecords } from '../../eval/sim-source.ts';
import type { ProblemRecord } from '../../eval/store.ts';
import { majority, strategyNames } from '../../strategies/index.ts';
import { clusteringOf } from '../strategies/helpers.ts';

const record = (
  id: string,
  answers: (string | null)[],
  gold: string | null,
  rewards?: number[],
): ProblemRecord => ({
  id,
  gold,
  samples: answers.map((a, i) => ({
    text: `t${i}`,
    answer: a,
    ...(rewards ? { reward: rewards[i]! } : {}),
    ...(gold !== null ? { correct: a === gold } : {}),
  })),
});

const allArms = parseArms(strategyNames.join(','));
const small = simulateRecords({ problems: 30, samples: 16, seed: 3 });

describe('per-trial clusters from the pool-wide clustering', () => {
  it('equal re-clustering the drawn samples from scratch (same clusters, same order)', () => {
    const answers = ['a', 'b', null, 'a', 'c', 'b', 'a', null];
    const p = prepareProblem(record('x', answers, 'a'), { mode: 'recorded' });
    const order = [5, 2, 0, 7, 3];
    const fast = clusteringOfDraw(p, order);
    const slow = clusteringOf(order.map((i) => answers[i]!));
    expect(fast.n).toBe(slow.n);
    expect(fast.clusters.map((c) => [c.key, c.count, c.frequency])).toEqual(
      slow.clusters.map((c) => [c.key, c.count, c.frequency]),
    );
    // Members are pool indices, in draw order.
    expect(fast.clusters.map((c) => c.members)).toEqual([[5], [2, 7], [0, 3]]);
  });
});

describe('incremental prefix clusterings (adaptive trials)', () => {
  it('equal clusteringOfDraw on every prefix, across the switch to voided truncated votes', () => {
    const answers = ['a', 'b', null, 'a', 'c', 'b', 'a', null, 'b', 'b'];
    const cut = new Set([0, 3, 4]);
    const r = record('x', answers, 'a');
    const withCuts: ProblemRecord = {
      ...r,
      samples: r.samples.map((s, i) => (cut.has(i) ? { ...s, finish_reason: 'length' } : s)),
    };
    const p = prepareProblem(withCuts, { mode: 'recorded' });
    expect(p.voided).toBeDefined();
    for (const order of [
      [0, 3, 4, 1, 2, 5, 6, 7, 8, 9],
      [1, 0, 2, 3, 4, 5, 6, 7, 8, 9],
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ]) {
      const scratch = new Int32Array(scratchSize(p));
      const prefix = new PrefixClustering(p, order, scratch);
      for (let t = 1; t <= order.length; t++) {
        const got = prefix.next();
        const want = clusteringOfDraw(p, order.slice(0, t));
        expect(got).toEqual(want);
      }
      prefix.release();
      expect([...scratch].every((x) => x === 0)).toBe(true);
    }
  });
});

describe('the resampling grid', () => {
  it('with N = pool runs one trial in recorded order, exactly the strategy on the whole pool', async () => {
    // Tie between a and b (2 each): first appearance wins, so majority@1 submits b (wrong).
    const r = record('p', ['b', 'a', 'b', 'a', 'c'], 'a', [0, 1, 0, 1, 5]);
    const run = await evaluate([r], allArms, {
      Ns: [5],
      ks: [1, 2, 3],
      trials: 50,
      seed: 1,
      mode: 'recorded',
    });
    const row = (s: string, k: number) => run.summary.results.find((x) => x.strategy === s && x.k === k)!;
    expect(row('majority', 1).pass_at_k).toBe(0);
    expect(row('majority', 2).pass_at_k).toBe(1);
    expect(row('best-of-n', 1).pass_at_k).toBe(0); // c has reward 5
    expect(row('best-of-n', 2).pass_at_k).toBe(1);
    // Default α = 0.2 needs 1 vote of 5: nothing filtered, so same as best-of-n here.
    expect(row('best-of-majority', 1).pass_at_k).toBe(0);
    expect(run.grid.cells.every((c) => c.trials === 1)).toBe(true);
    const direct = await majority.select(
      { clustering: clusteringOf(['b', 'a', 'b', 'a', 'c']), score: async () => [] },
      { k: 1 },
    );
    expect(direct.chosen[0]?.cluster.answer).toBe('b');
  });

  it('is deterministic for a seed, differs across seeds, and the same draws serve every strategy', async () => {
    const opts = { Ns: [4, 8], ks: [1, 3], trials: 40, mode: 'recorded' as const };
    const a = await evaluate(small, allArms, { ...opts, seed: 1 });
    const b = await evaluate(small, allArms, { ...opts, seed: 1 });
    const c = await evaluate(small, allArms, { ...opts, seed: 2 });
    expect(b.summary).toEqual(a.summary);
    expect(c.summary.results.map((r) => r.pass_at_k)).not.toEqual(a.summary.results.map((r) => r.pass_at_k));
    // A subset of problems sees the same draws (seeded by problem id, not position).
    const sub = await evaluate(small.slice(0, 1), allArms, { ...opts, seed: 1 });
    const first = a.grid.cells.map((cell) => cell.passRate.map((r) => r[0]));
    expect(sub.grid.cells.map((cell) => cell.passRate.map((r) => r[0]))).toEqual(first);
    expect(trialSeed(1, 'a', 4)).not.toBe(trialSeed(1, 'b', 4));
  });

  it('Pass@k is non-decreasing in k and never above coverage (per problem, per cell)', async () => {
    const run = await evaluate(small, allArms, {
      Ns: [2, 8, 16],
      ks: [1, 2, 3, 5],
      trials: 30,
      seed: 4,
      mode: 'recorded',
    });
    for (const cell of run.grid.cells) {
      for (let ki = 1; ki < cell.passRate.length; ki++) {
        cell.passRate[ki]!.forEach((v, j) => {
          expect(v).toBeGreaterThanOrEqual(cell.passRate[ki - 1]![j]!);
        });
      }
    }
    for (const row of run.summary.results) {
      const o = run.summary.oracle.find((x) => x.N === row.N && x.k === row.k)!;
      // Monte Carlo over 30 trials: allow a small sampling margin against the exact expectation.
      expect(row.pass_at_k).toBeLessThanOrEqual(o.coverage + 0.05);
      expect(row.ci[0]).toBeLessThanOrEqual(row.pass_at_k);
      expect(row.ci[1]).toBeGreaterThanOrEqual(row.pass_at_k);
    }
  });

  it('majority asks for no rewards; best-of-n scores every drawn sample', async () => {
    const run = await runGrid(
      small.map((r) => prepareProblem(r, { mode: 'recorded' })),
      allArms,
      { Ns: [8], ks: [1], trials: 10, seed: 1 },
    );
    expect(run.cells.find((c) => c.arm === 'majority')?.meanScored).toBe(0);
    expect(run.cells.find((c) => c.arm === 'best-of-n')?.meanScored).toBe(8);
    expect(run.cells.find((c) => c.arm === 'best-of-majority')!.meanScored).toBeLessThanOrEqual(8);
  });
});

describe('bad input is reported, not dropped silently', () => {
  it('problems with fewer samples than N are listed and left out at that N only', async () => {
    const recs = [
      record('big', ['1', '1', '2', '1'], '1', [0, 0, 0, 0]),
      record('tiny', ['1', '2'], '1', [0, 0]),
    ];
    const run = await evaluate(recs, allArms, { Ns: [2, 4], ks: [1], trials: 5, seed: 1, mode: 'recorded' });
    expect(run.summary.skipped).toEqual([{ N: 4, count: 1, ids: ['tiny'] }]);
    expect(run.summary.results.find((r) => r.N === 2)?.problems).toBe(2);
    expect(run.summary.results.find((r) => r.N === 4)?.problems).toBe(1);
    expect(run.summary.warnings.join('\n')).toMatch(/fewer than 4 samples/);
  });

  it('without gold answers, selection still runs and the summary says Pass@k needs gold', async () => {
    const recs = [record('q', ['7', '7', '3'], null, [0, 0, 9])];
    const run = await evaluate(recs, allArms, { Ns: [3], ks: [1], trials: 5, seed: 1, mode: 'recorded' });
    expect(run.summary.results).toEqual([]);
    expect(run.summary.warnings[0]).toMatch(/Pass@k needs gold answers/);
    expect(run.summary.selections?.find((s) => s.strategy === 'majority')?.answers).toEqual(['7']);
    expect(run.summary.selections?.find((s) => s.strategy === 'best-of-n')?.answers).toEqual(['3']);
  });

  it('strategies that need rewards are left out, with a warning, when rewards are missing', async () => {
    const recs = [record('q', ['7', '7', '3'], '7')];
    const run = await evaluate(recs, allArms, { Ns: [3], ks: [1], trials: 1, seed: 1, mode: 'recorded' });
    expect([...new Set(run.summary.results.map((r) => r.strategy))]).toEqual(['majority']);
    expect(run.summary.warnings.join('\n')).toMatch(/best-of-n needs reward scores.*bom score/);
  });

  it('rejects a bad strategy option before running', () => {
    expect(() => parseArms('best-of-majority:alpha=2')).toThrow(/alpha/);
    expect(() => parseArms('best-of-nothing')).toThrow(/Unknown strategy/);
  });
});

describe('arms whose ranking depends on k', () => {
  it('score_members selects once per k: Pass@1 and its reward calls with --k 1,2 are those of --k 1 alone', async () => {
    const records = simulateRecords({ problems: 40, samples: 32, seed: 9 });
    const arms = 'bom:score_members=2,bom';
    const opts = { Ns: [16], trials: 6, seed: 3, mode: 'recorded' as const, bootstrap: 20 };
    const both = await evaluate(records, parseArms(arms), { ...opts, ks: [1, 2] });
    const one = await evaluate(records, parseArms(arms), { ...opts, ks: [1] });
    const two = await evaluate(records, parseArms(arms), { ...opts, ks: [2] });
    const row = (run: typeof both, strategy: string, k: number) =>
      run.summary.results.find((r) => r.strategy === strategy && r.k === k)!;
    for (const s of ['bom:score_members=2', 'bom']) {
      expect(row(both, s, 1).pass_at_k).toBe(row(one, s, 1).pass_at_k);
      expect(row(both, s, 2).pass_at_k).toBe(row(two, s, 2).pass_at_k);
    }
    const cheap = 'bom:score_members=2';
    expect(row(both, cheap, 1).mean_scored).toBeCloseTo(row(one, cheap, 1).mean_scored, 12);
    expect(row(both, cheap, 2).mean_scored).toBeCloseTo(row(two, cheap, 2).mean_scored, 12);
    // Refining both ranks costs at least as much as refining the first.
    expect(row(both, cheap, 2).mean_scored).toBeGreaterThanOrEqual(row(both, cheap, 1).mean_scored);
  });
});
