// A simulated benchmark: problems whose answer distribution and reward-model error come from
// parameters (eval/synthetic.ts, the paper's constructions included), sampled into ordinary store
// records so `bom eval` / `bom ab` run on them exactly as on real samples.
import { createRng } from '../src/core/index.ts';
import type { ProblemRecord } from './store.ts';
import { drawSamples, majorityTrap, rewardHacking, type SyntheticProblem } from './synthetic.ts';

export const simulationKinds = ['mixed', 'majority-trap', 'reward-hacking'] as const;
export type SimulationKind = (typeof simulationKinds)[number];

export interface SimulationOptions {
  kind?: SimulationKind;
  problems: number;
  samples: number;
  seed: number;
  /** Std-dev of per-sample reward noise (the reward model's error), for 'mixed'. */
  rewardNoise?: number;
}

/**
 * 'mixed': a benchmark-like spread. Each problem gets a correct-answer probability p* ~ U(0.05, 0.95),
 * 1–6 plausible wrong answers sharing most of the rest, a tail of rare one-off answers, and a reward
 * model that prefers the correct answer by a margin (per-answer bias + per-sample noise), but also
 * overrates some rare answers (the reward-hacking tail). Deterministic for a seed.
 */
export function mixedProblem(
  rng: ReturnType<typeof createRng>,
  index: number,
  noise: number,
): SyntheticProblem {
  const pCorrect = 0.05 + 0.9 * rng.next();
  const wrongCount = 1 + rng.int(6);
  const tailMass = 0.25 * rng.next() * (1 - pCorrect);
  const commonMass = 1 - pCorrect - tailMass;
  const weights = Array.from({ length: wrongCount }, () => rng.next() + 0.05);
  const wsum = weights.reduce((a, b) => a + b, 0);
  const tailCount = 200;
  return {
    name: `mixed-${index}`,
    rewardNoise: noise,
    answers: [
      { key: 'correct', prob: pCorrect, reward: 1 + 0.5 * rng.normal(), correct: true },
      ...weights.map((w, i) => ({
        key: `wrong-${i}`,
        prob: (commonMass * w) / wsum,
        reward: 0.5 * rng.normal(),
        correct: false,
      })),
      ...Array.from({ length: tailCount }, (_, i) => ({
        key: `rare-${i}`,
        prob: tailMass / tailCount,
        // A third of the rare answers fool the reward model.
        reward: i % 3 === 0 ? 1.5 + 0.5 * rng.normal() : -1 + 0.5 * rng.normal(),
        correct: false,
      })),
    ],
  };
}

export function simulateRecords(options: SimulationOptions): ProblemRecord[] {
  const kind = options.kind ?? 'mixed';
  const rng = createRng(options.seed);
  const records: ProblemRecord[] = [];
  for (let p = 0; p < options.problems; p++) {
    const problem =
      kind === 'majority-trap'
        ? majorityTrap()
        : kind === 'reward-hacking'
          ? rewardHacking()
          : mixedProblem(rng, p, options.rewardNoise ?? 0.5);
    const draw = drawSamples(problem, options.samples, rng);
    records.push({
      id: `sim-${p}`,
      prompt: problem.name,
      gold: 'correct',
      samples: draw.keys.map((key, i) => ({
        text: `The answer is \\boxed{${key}}.`,
        answer: key,
        reward: draw.rewards[i]!,
        correct: draw.correct[i]!,
      })),
      meta: { source: 'simulated', kind, problem: problem.name },
    });
  }
  return records;
}
