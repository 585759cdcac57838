// Evidence for best-of-majority's default α at small N: Pass@k over a grid of α on the real Qwen
// samples (when shared data is present) and on simulated benchmarks with a noisy reward model.
import { parseArms } from '../eval/arms.ts';
import { evaluate } from '../eval/evaluate.ts';
import { loadSamples } from '../eval/formats.ts';
import { sharedDataFile } from '../eval/shared-data.ts';
import { simulateRecords } from '../eval/sim-source.ts';
import type { ProblemRecord } from '../eval/store.ts';

const alphas = [0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5];
const specs = ['majority', ...alphas.map((a) => `best-of-majority:alpha=${a}`)].join(',');

async function table(name: string, records: ProblemRecord[], Ns: number[], ks: number[], trials: number) {
  const run = await evaluate(records, parseArms(specs), {
    Ns,
    ks,
    trials,
    seed: 1,
    mode: 'recorded',
    bootstrap: 1,
  });
  console.log(`\n${name}: Pass@k (%) by α (rows) and N (columns); majority first`);
  for (const k of ks) {
    console.log(`  k=${k}`.padEnd(34) + Ns.map((n) => `N=${n}`.padStart(7)).join(''));
    for (const label of run.summary.results.map((r) => r.strategy).filter((s, i, a) => a.indexOf(s) === i)) {
      const cells = Ns.map((n) => {
        const r = run.summary.results.find((x) => x.strategy === label && x.N === n && x.k === k);
        return (r ? (100 * r.pass_at_k).toFixed(1) : '—').padStart(7);
      });
      console.log(`    ${label}`.padEnd(34) + cells.join(''));
    }
  }
}

const qwen = sharedDataFile('samples/qwen25math_math_cot_100_rm_maj.jsonl');
if (qwen)
  await table(
    'Qwen2.5-Math MATH 100×8 (recorded answers)',
    loadSamples(qwen).records,
    [4, 5, 6, 7, 8],
    [1, 2],
    500,
  );
for (const noise of [0.5, 1.5]) {
  const sim = simulateRecords({ problems: 400, samples: 64, seed: 7, rewardNoise: noise });
  await table(
    `simulated mixed benchmark, reward noise ${noise} (400 problems × 64)`,
    sim,
    [4, 8, 16, 32, 64],
    [1, 2, 3],
    200,
  );
}
