// Cheaper best-of-majority (`score_members = m`, strategies/best-of-majority.ts): reward-model calls
// as a fraction of best-of-n's (which scores all N), and Pass@k against full best-of-majority (every
// eligible member scored) as a paired difference with a bootstrap CI over problems — the same draws
// and rewards on both sides, as `bom ab` computes it. Figures, not assertions.
// 1. Simulated pools (kind mixed, 500 problems, pool 128, 40 trials): seed 1 (the reference pool of
//    docs/adaptive.md) and seeds 2–4 (other pools of the same simulator, to see how far the figures
//    of one pool carry), N = 16/32/64, k = 1 and k = 2 (run separately: the grid selects with the
//    largest k, and the refinement decides the ranks 1..k).
// 2. The real Qwen2.5-Math file at N = 8 (one trial: the recorded order).
// `npx tsx bench/bom-members.ts [seeds]`, e.g. `npx tsx bench/bom-members.ts 1` for the reference pool.
import { evaluate, parseArms, simulateRecords } from '../eval/index.ts';
import { loadSamples } from '../eval/formats.ts';
import { sharedDataFile } from '../eval/shared-data.ts';
import { mean, pairedBootstrapCI } from '../eval/stats.ts';

const members = [4, 8, 16, 32];
const specs = ['bon', 'bom', ...members.map((m) => `bom:score_members=${m}`)].join(',');
const pct = (x: number) => (x * 100).toFixed(1);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}`;

async function table(
  title: string,
  records: Parameters<typeof evaluate>[0],
  Ns: number[],
  k: number,
  trials: number,
) {
  const run = await evaluate(records, parseArms(specs), {
    Ns,
    ks: [k],
    trials,
    seed: 1,
    mode: 'recorded',
    bootstrap: 200,
  });
  console.log(`\n${title}, k = ${k}`);
  console.log(
    'arm'.padEnd(24),
    'N ',
    `Pass@${k}`.padEnd(7),
    'calls/trial (x bon)'.padEnd(20),
    'vs full BoM [95% paired CI]',
  );
  for (const n of Ns) {
    const cell = (arm: string) => run.grid.cells.find((c) => c.arm === arm && c.N === n);
    const bon = cell('bon');
    const full = cell('bom');
    if (!bon || !full || full.included.length === 0) continue;
    for (const arm of ['bon', 'bom', ...members.map((m) => `bom:score_members=${m}`)]) {
      const c = cell(arm)!;
      const rate = c.passRate[0]!;
      const calls = c.meanScoredByK[0] ?? c.meanScored;
      const bonCalls = bon.meanScoredByK[0] ?? bon.meanScored;
      const vsFull =
        arm === 'bom'
          ? ''
          : `${signed(mean(rate) - mean(full.passRate[0]!))} [${pairedBootstrapCI(rate, full.passRate[0]!, {
              resamples: 2000,
              seed: 1,
            })
              .map(signed)
              .join(', ')}]`;
      console.log(
        arm.padEnd(24),
        String(n).padStart(2),
        pct(mean(rate)).padEnd(7),
        `${calls.toFixed(2)} (${(calls / bonCalls).toFixed(3)})`.padEnd(20),
        vsFull,
      );
    }
  }
}

const seeds = (process.argv[2] ?? '1,2,3,4').split(',').map(Number);
for (const seed of seeds) {
  const sim = simulateRecords({ kind: 'mixed', problems: 500, samples: 128, seed, rewardNoise: 0.5 });
  for (const k of [1, 2])
    await table(
      `simulated pool seed ${seed} (mixed, 500 problems, pool 128, 40 trials)`,
      sim,
      [16, 32, 64],
      k,
      40,
    );
}

const file = sharedDataFile('samples/qwen25math_math_cot_100_rm_maj.jsonl');
if (file === null) console.log('\nshared Qwen file not found; skipping it');
else
  for (const k of [1, 2])
    await table(
      'Qwen2.5-Math MATH, 100 problems x 8 recorded samples (recorded order)',
      loadSamples(file).records,
      [8],
      k,
      1,
    );
