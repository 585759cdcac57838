// The full `bom eval` grid on a simulated benchmark: 500 problems × 64 samples, 4 strategies,
// N ∈ {1,…,64}, k ∈ {1,2,3,5,10}, 200 trials. Prints wall time, peak memory and where the time goes.
import { parseArms } from '../eval/arms.ts';
import { evaluate, prepareAll } from '../eval/evaluate.ts';
import { clusteringOfDraw, runGrid } from '../eval/grid.ts';
import { createRng, drawInto } from '../src/core/rng.ts';
import { simulateRecords } from '../eval/sim-source.ts';
import { strategyNames } from '../strategies/index.ts';

const problems = Number(process.env['BENCH_PROBLEMS'] ?? 500);
const trials = Number(process.env['BENCH_TRIALS'] ?? 200);
const Ns = [1, 2, 4, 8, 16, 32, 64];
const ks = [1, 2, 3, 5, 10];
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
const ms = (t0: number) => performance.now() - t0;

let t0 = performance.now();
const records = simulateRecords({ problems, samples: 64, seed: 1 });
const tSim = ms(t0);
const arms = parseArms(strategyNames.join(','));

t0 = performance.now();
const run = await evaluate(records, arms, { Ns, ks, trials, seed: 1, mode: 'recorded' });
const tTotal = ms(t0);

// Breakdown: the same pieces timed separately.
t0 = performance.now();
const prepared = prepareAll(records, 'recorded', undefined);
const tPrepare = ms(t0);
t0 = performance.now();
let drawn = 0;
for (const p of prepared)
  for (const n of Ns) {
    const rng = createRng(n);
    const t = n === p.size ? 1 : trials;
    const pool = Int32Array.from({ length: p.size }, (_, i) => i);
    for (let i = 0; i < t; i++) drawn += clusteringOfDraw(p, drawInto(pool, n, rng)).n;
  }
const tDraw = ms(t0);
const perArm: string[] = [];
for (const arm of arms) {
  t0 = performance.now();
  await runGrid(prepared, [arm], { Ns, ks, trials, seed: 1 });
  perArm.push(`${arm.label} ${(ms(t0) / 1000).toFixed(2)} s`);
}
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const selections = run.grid.cells.reduce((s, c) => s + c.trials, 0);
console.log(
  `grid: ${problems} problems × 64 samples, ${arms.length} strategies, N=${Ns}, k=${ks}, ${trials} trials`,
);
console.log(
  `strategy selections run: ${selections.toLocaleString()} (${drawn.toLocaleString()} samples drawn per strategy)`,
);
console.log(`wall time (bom eval, incl. bootstrap CIs): ${(tTotal / 1000).toFixed(2)} s`);
console.log(`peak RSS: ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
console.log('where the time goes:');
console.log(`  simulate records (not part of eval): ${(tSim / 1000).toFixed(2)} s`);
console.log(`  prepare (cluster each pool once):   ${(tPrepare / 1000).toFixed(3)} s`);
console.log(`  draws + per-trial clusters (once):  ${(tDraw / 1000).toFixed(2)} s`);
console.log(`  strategy selections, per strategy:  ${perArm.join(', ')}`);
console.log(`  per selection: ${((tTotal * 1000) / selections).toFixed(2)} µs`);
const bom8 = run.summary.results.find((r) => r.strategy === 'best-of-majority' && r.N === 8 && r.k === 1);
console.log(`sanity: best-of-majority N=8 k=1 pass = ${bom8?.pass_at_k.toFixed(3)}`);
