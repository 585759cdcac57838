// Synthetic problems with a known answer distribution and reward-model error, including the two
// lower-bound constructions of the BoM paper (arXiv 2510.03199): majority loses when a wrong answer
// is the most frequent, best-of-n when a rare wrong answer games the reward model. Used by tests
// and `bom simulate`.
import type { Rng } from '../src/core/index.ts';

export interface SyntheticAnswer {
  readonly key: string;
  /** Probability that the policy samples this answer. */
  readonly prob: number;
  /** The reward model's score for this answer (before per-sample noise). */
  readonly reward: number;
  readonly correct: boolean;
}

export interface SyntheticProblem {
  readonly name: string;
  readonly answers: readonly SyntheticAnswer[];
  /** Standard deviation of Gaussian noise added to each sample's reward. */
  readonly rewardNoise: number;
}

export interface SyntheticDraw {
  readonly keys: string[];
  readonly rewards: number[];
  readonly correct: boolean[];
}

/**
 * Paper Thm 4.1: m wrong answers, each more likely than the correct one, and a perfect reward model.
 * Majority returns wrong answers for any N once k ≤ m; BoN and BoM find the correct one.
 */
export function majorityTrap(options: { wrong?: number; pCorrect?: number } = {}): SyntheticProblem {
  const wrong = options.wrong ?? 3;
  const pCorrect = options.pCorrect ?? 0.16;
  const pWrong = (1 - pCorrect) / wrong;
  if (pWrong <= pCorrect)
    throw new RangeError('majorityTrap needs each wrong answer to be likelier than the correct one');
  return {
    name: `majority-trap(wrong=${wrong}, p*=${pCorrect})`,
    rewardNoise: 0,
    answers: [
      ...Array.from({ length: wrong }, (_, i) => ({
        key: `wrong-${i}`,
        prob: pWrong,
        reward: 0,
        correct: false,
      })),
      { key: 'correct', prob: pCorrect, reward: 1, correct: true },
    ],
  };
}

/**
 * Paper Thm 4.2: a mass `rareMass` of rare wrong answers (each about `rareMass / rareCount` likely)
 * whose rewards are overestimated above the correct answer's. The more samples, the likelier BoN
 * meets one and submits it; BoM's frequency floor filters them out.
 */
export function rewardHacking(
  options: { pCorrect?: number; rareMass?: number; rareCount?: number; rareReward?: number } = {},
): SyntheticProblem {
  const pCorrect = options.pCorrect ?? 0.6;
  const rareMass = options.rareMass ?? 0.1;
  const rareCount = options.rareCount ?? 10_000;
  const rareReward = options.rareReward ?? 2;
  const commonWrong = 1 - pCorrect - rareMass;
  if (commonWrong < 0) throw new RangeError('rewardHacking needs pCorrect + rareMass ≤ 1');
  return {
    name: `reward-hacking(p*=${pCorrect}, rare=${rareMass}×${rareCount})`,
    rewardNoise: 0,
    answers: [
      { key: 'correct', prob: pCorrect, reward: 1, correct: true },
      { key: 'common-wrong', prob: commonWrong, reward: 0, correct: false },
      ...Array.from({ length: rareCount }, (_, i) => ({
        key: `rare-${i}`,
        prob: rareMass / rareCount,
        reward: rareReward,
        correct: false,
      })),
    ],
  };
}

/** Draws n i.i.d. samples from a problem's answer distribution. */
export function drawSamples(problem: SyntheticProblem, n: number, rng: Rng): SyntheticDraw {
  const cumulative: number[] = [];
  let total = 0;
  for (const a of problem.answers) {
    total += a.prob;
    cumulative.push(total);
  }
  const draw: SyntheticDraw = { keys: [], rewards: [], correct: [] };
  for (let s = 0; s < n; s++) {
    const u = rng.next() * total;
    // Binary search: rewardHacking has 10,000 answers.
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    const a = problem.answers[lo]!;
    draw.keys.push(a.key);
    draw.rewards.push(a.reward + (problem.rewardNoise > 0 ? problem.rewardNoise * rng.normal() : 0));
    draw.correct.push(a.correct);
  }
  return draw;
}
