// Speed of answer handling: median time to extract + cluster N answers drawn from real samples, and
// equivalence checks per second. Prints figures; nothing here is asserted.
// Run: npx tsx bench/answers-speed.ts
import { clusterAnswers, compareAnswers, extractAnswer, LIMITS } from '../src/answers/index.ts';
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
  for (const n of [16, 64, 256]) {
    const extract: number[] = [];
    const cluster: number[] = [];
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
      let t = performance.now();
      const answers = texts.map((x) => extractAnswer(x));
      extract.push(performance.now() - t);
      t = performance.now();
      const c = clusterAnswers(answers);
      cluster.push(performance.now() - t);
      clusters += c.clusters.length;
      comparisons += c.comparisons;
      if (c.degraded.length > 0) {
        degraded++;
        for (const d of c.degraded) reasons.set(d, (reasons.get(d) ?? 0) + 1);
      }
    }
    const sorted = [...cluster].sort((a, b) => a - b);
    console.log(
      `N=${String(n).padStart(3)}: extract median ${median(extract).toFixed(3)} ms, cluster median ${median(cluster).toFixed(3)} ms, ` +
        `total median ${median(extract.map((e, i) => e + cluster[i]!)).toFixed(3)} ms; ` +
        `avg ${(clusters / problems.length).toFixed(1)} clusters, ${(comparisons / problems.length).toFixed(1)} slow checks; ` +
        `cluster p99 ${sorted[Math.floor(sorted.length * 0.99)]!.toFixed(3)} ms, max ${sorted[sorted.length - 1]!.toFixed(3)} ms; ` +
        `${degraded}/${problems.length} requests degraded [${[...reasons].map(([r, k]) => `${r} ${k}`).join(', ')}] (budget ${LIMITS.requestMs} ms/request, ${LIMITS.comparisonMs} ms/check)`,
    );
  }
  // Equivalence checks per second on pairs of real extracted answers (parse both + compare).
  const values = problems.flatMap((p) => [p.gt, ...p.code.map((x) => extractAnswer(x).value ?? '')]);
  const pairs: [string, string][] = [];
  for (let i = 0; i < 20_000; i++)
    pairs.push([values[Math.floor(rnd() * values.length)]!, values[Math.floor(rnd() * values.length)]!]);
  const t = performance.now();
  let eq = 0;
  for (const [a, b] of pairs) if (compareAnswers(a, b, { budgetMs: 1000 }).equal) eq++;
  const ms = performance.now() - t;
  console.log(
    `equivalence: ${pairs.length} checks in ${ms.toFixed(0)} ms = ${((pairs.length / ms) * 1000).toFixed(0)} checks/s (${eq} equal)`,
  );
}
