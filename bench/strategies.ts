// Cost of selection itself (no reward model): each strategy on N = 16/64/256 samples, against the
// baseline of clustering alone, measured in the same run. Rewards come from an array (free).
import { clusterByKey } from '../src/answers/cluster.ts';
import { lazyScores, scoresFromArray } from '../src/selection/lazy-scores.ts';
import { createRng } from '../src/core/rng.ts';
import { strategies } from '../strategies/index.ts';

function instance(n: number, seed: number) {
  const rng = createRng(seed);
  // A realistic spread: a dominant answer, a runner-up and a tail of singletons.
  const keys = Array.from({ length: n }, () => {
    const u = rng.next();
    return u < 0.5 ? '42' : u < 0.75 ? '24' : u < 0.95 ? `tail-${rng.int(n)}` : null;
  });
  return { keys, rewards: keys.map(() => rng.normal()) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(fn: () => Promise<unknown> | unknown, reps: number): Promise<number> {
  const samples: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await fn();
    samples.push(((performance.now() - t0) * 1000) / reps);
  }
  return median(samples);
}

for (const n of [16, 64, 256]) {
  const { keys, rewards } = instance(n, n);
  const answers = keys.map((key) => ({ value: key, key, rule: 'bench' }));
  const reps = Math.max(200, Math.floor(200_000 / n));
  const base = await time(() => clusterByKey(answers), reps);
  const clustering = clusterByKey(answers);
  const row = [`N=${String(n).padEnd(4)} cluster-by-key ${base.toFixed(1).padStart(7)} µs`];
  for (const s of strategies.values()) {
    const t = await time(
      () => s.select({ clustering, score: lazyScores(scoresFromArray(rewards)).scoreClusters }, { k: 3 }),
      reps,
    );
    row.push(`${s.name} ${t.toFixed(1)} µs (${(t / base).toFixed(2)}× clustering)`);
  }
  process.stdout.write(`${row.join(' | ')}\n`);
}
