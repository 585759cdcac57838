// The real recorded samples in shared/data (skipped cleanly when that folder is absent).
import { describe, expect, it } from 'vitest';
import { parseArms } from '../../eval/arms.ts';
import { evaluate } from '../../eval/evaluate.ts';
import { loadSamples } from '../../eval/formats.ts';
import { sharedDataFile } from '../../eval/shared-data.ts';

import { offlineMathAnswers } from '../../src/selection/index.ts';

const QWEN = sharedDataFile('samples/qwen25math_math_cot_100_rm_maj.jsonl');
const GSM8K = sharedDataFile('samples/gsm8k_example_model_solutions.jsonl');

describe.skipIf(QWEN === null)('Qwen2.5-Math 100 × 8 (recorded answers, exact string match)', () => {
  it("reproduces the file's own figures at N = 8, one trial over the whole pool", async () => {
    const { records, format } = loadSamples(QWEN!);
    expect(format).toBe('qwen-rm-maj');
    expect(records).toHaveLength(100);
    const arms = parseArms('majority,best-of-n:aggregate=max,best-of-n');
    const run = await evaluate(records, arms, {
      Ns: [8],
      ks: [1, 8],
      trials: 200,
      seed: 1,
      mode: 'recorded',
    });
    const at = (s: string, k: number) =>
      run.summary.results.find((r) => r.strategy === s && r.k === k)!.pass_at_k;
    const oracle = (k: number) => run.summary.oracle.find((o) => o.k === k)!;
    expect(oracle(1).pass_at_k).toBeCloseTo(0.91, 10); // mean sample accuracy
    expect(oracle(8).coverage).toBeCloseTo(0.96, 10); // pass@8
    expect(at('majority', 1)).toBeCloseTo(0.93, 10); // maj@8, ties to first appearance
    expect(at('best-of-n:aggregate=max', 1)).toBeCloseTo(0.94, 10); // rm@8: argmax single reward
    expect(at('best-of-n', 1)).toBeCloseTo(0.94, 10); // by mean cluster reward: same here
    expect(at('majority', 8)).toBeCloseTo(0.96, 10); // all distinct answers submitted = coverage
    expect(run.grid.cells.every((c) => c.trials === 100)).toBe(true); // one trial per problem
    expect(run.summary.warnings).toEqual([]);
  });
});

describe.skipIf(QWEN === null)('Qwen2.5-Math 100 × 8 with our own extraction and equivalence', () => {
  it('agrees with the recorded grades except where the recorded grader missed 10{,}000 = 10000', async () => {
    const { records } = loadSamples(QWEN!);
    const arms = parseArms('majority,best-of-n,best-of-majority,weighted-majority');
    const ks = [1, 2, 3, 4];
    const opts = { Ns: [1, 2, 4, 8], ks, trials: 100, seed: 1, answers: offlineMathAnswers };
    const ours = await evaluate(records, arms, { ...opts, mode: 'extract' });
    const theirs = await evaluate(records, arms, { ...opts, mode: 'recorded' });
    const oracle = (run: typeof ours, n: number, k: number) =>
      run.summary.oracle.find((o) => o.N === n && o.k === k)!;
    // One sample (problem 72, gold 10{,}000, answer 10000) is graded correct by us, wrong in the file.
    expect(oracle(ours, 8, 1).pass_at_k).toBeCloseTo(0.91 + 1 / 800, 10);
    expect(oracle(ours, 8, 1).coverage).toBeCloseTo(0.97, 10);
    const p72 = ours.prepared.find((p) => p.id === '72')!;
    expect(p72.correctCount).toBe(1);
    // Every other problem clusters the same way (exact-string keys vs equivalence) within one cluster.
    for (const row of ours.summary.results) {
      const other = theirs.summary.results.find(
        (r) => r.strategy === row.strategy && r.N === row.N && r.k === row.k,
      )!;
      expect(Math.abs(row.pass_at_k - other.pass_at_k)).toBeLessThanOrEqual(0.02);
    }
    // Nested outputs: Pass@k never decreases in k.
    for (const s of ['majority', 'best-of-n', 'best-of-majority', 'weighted-majority'])
      for (const n of [1, 2, 4, 8]) {
        const row = ks.map(
          (k) => ours.summary.results.find((r) => r.strategy === s && r.N === n && r.k === k)!.pass_at_k,
        );
        for (let i = 1; i < row.length; i++) expect(row[i]!).toBeGreaterThanOrEqual(row[i - 1]!);
      }
  });
});

describe.skipIf(GSM8K === null)('GSM8K example solutions (4 systems × 1319)', () => {
  it('imports every problem with its recorded correctness; majority needs no rewards', async () => {
    const { records } = loadSamples(GSM8K!);
    expect(records).toHaveLength(1319);
    const accuracy = [0, 1, 2, 3].map(
      (s) => records.filter((r) => r.samples[s]?.correct === true).length / records.length,
    );
    expect(accuracy.map((a) => a.toFixed(3))).toEqual(['0.217', '0.390', '0.347', '0.563']);
    const run = await evaluate(records, parseArms('majority,best-of-n'), {
      Ns: [4],
      ks: [1],
      trials: 1,
      seed: 1,
      mode: 'recorded',
    });
    expect(run.summary.results.map((r) => r.strategy)).toEqual(['majority']);
    expect(run.summary.warnings.join('\n')).toMatch(/best-of-n needs reward scores/);
  });
});
