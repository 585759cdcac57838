// Speed of answer handling on real samples (shared data): median time to extract + cluster N answers
// drawn from the recorded MATH samples, equivalence checks per second on pairs of real extracted answers,
// and the median time of one check. Prints figures; nothing here is asserted.
// Run: npx tsx bench/answers-speed.ts
import { clusterAnswers, compareAnswers, extractAnswer } from '../src/answers/index.ts';
import * as norm from '../src/answers/normalize.ts';
import { loadProblems } from './_samples.ts';

const problems = loadProblems();
if (problems) {
  // Seeded draw: the same pools on every run.
  let seed = 12345;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const quantile = (xs: number[], q: number): number =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;
  // Warm-up so the JIT state is the same for every N.
  for (const p of problems.slice(0, 20)) clusterAnswers(p.code.map((x) => extractAnswer(x)));
  for (const n of [16, 64, 256]) {
    const extract: number[] = [];
    const cluster: number[] = [];
    const total: number[] = [];
    let clusters = 0;
    let comparisons = 0;
    let degraded = 0;
    const reasons = new Map<string, number>();
    for (const p of problems) {
      // A pool of N responses to one problem: its 8 samples, resampled with replacement, plus
      // a few answers from other problems so that the slow path has work to do.
      const texts = Array.from({ length: n }, () =>
        rnd() < 0.8
          ? p.code[Math.floor(rnd() * p.code.length)]!
          : problems[Math.floor(rnd() * problems.length)]!.code[0]!,
      );
      const t0 = performance.now();
      const answers = texts.map((x) => extractAnswer(x));
      const t1 = performance.now();
      const c = clusterAnswers(answers);
      const t2 = performance.now();
      extract.push(t1 - t0);
      cluster.push(t2 - t1);
      total.push(t2 - t0);
      clusters += c.clusters.length;
      comparisons += c.comparisons;
      if (c.degraded.length > 0) {
        degraded++;
        for (const d of c.degraded) reasons.set(d, (reasons.get(d) ?? 0) + 1);
      }
    }
    console.log(
      `N=${String(n).padStart(3)}: extract+cluster median ${median(total).toFixed(3)} ms ` +
        `(extract ${median(extract).toFixed(3)}, cluster ${median(cluster).toFixed(3)}), p99 ${quantile(total, 0.99).toFixed(3)} ms; ` +
        `avg ${(clusters / problems.length).toFixed(1)} clusters, ${(comparisons / problems.length).toFixed(1)} slow checks; ` +
        `${degraded}/${problems.length} requests degraded [${[...reasons].map(([r, k]) => `${r} ${k}`).join(', ')}]`,
    );
  }
  // Equivalence checks on pairs of real extracted answers (parse both + compare). Distinct values, so
  // the first pass parses; later passes measure the steady state of a server that has seen them.
  const values = problems.flatMap((p) => [p.gt, ...p.code.map((x) => extractAnswer(x).value ?? '')]);
  const pairs: [string, string][] = [];
  for (let i = 0; i < 20_000; i++)
    pairs.push([values[Math.floor(rnd() * values.length)]!, values[Math.floor(rnd() * values.length)]!]);
  let eq = 0;
  const t = performance.now();
  for (const [a, b] of pairs) if (compareAnswers(a, b).equal) eq++;
  const ms = performance.now() - t;
  // Median of one check: batches of 50 pairs, so the clock's resolution does not dominate.
  const per: number[] = [];
  for (let i = 0; i + 50 <= pairs.length; i += 50) {
    const s = performance.now();
    for (let k = i; k < i + 50; k++) compareAnswers(pairs[k]![0], pairs[k]![1]);
    per.push((performance.now() - s) / 50);
  }
  console.log(
    `equivalence: ${pairs.length} checks in ${ms.toFixed(0)} ms = ${((pairs.length / ms) * 1000).toFixed(0)} checks/s ` +
      `(${eq} equal); median per check ${(median(per) * 1000).toFixed(1)} µs, p99 batch ${(quantile(per, 0.99) * 1000).toFixed(1)} µs`,
  );
  // Cold: both answers parsed afresh for every check (no memo), as for answers never seen before.
  const clear = (norm as { clearNormalizeMemo?: () => void }).clearNormalizeMemo;
  if (clear) {
    const cold: number[] = [];
    const c0 = performance.now();
    for (let i = 0; i + 50 <= pairs.length; i += 50) {
      const s = performance.now();
      for (let k = i; k < i + 50; k++) {
        clear();
        compareAnswers(pairs[k]![0], pairs[k]![1]);
      }
      cold.push((performance.now() - s) / 50);
    }
    const cms = performance.now() - c0;
    console.log(
      `equivalence, cold (parse both every time): ${((pairs.length / cms) * 1000).toFixed(0)} checks/s, ` +
        `median per check ${(median(cold) * 1000).toFixed(1)} µs, p99 batch ${(quantile(cold, 0.99) * 1000).toFixed(1)} µs`,
    );
  }
}
