// Monte Carlo Pass@k of a strategy on a synthetic problem, through the same clustering, lazy
// scoring and strategy code as the server.
import type { Strategy, StrategyOptionsInput } from '../strategies/index.ts';
import { clusterByKey } from '../src/answers/index.ts';
import { lazyScores, scoresFromArray } from '../src/selection/index.ts';
import { firstCorrectRank } from './passk.ts';
import { createRng } from '../src/core/index.ts';
import { drawSamples, type SyntheticProblem } from './synthetic.ts';

export interface SimulationResult {
  readonly passAtK: number;
  readonly trials: number;
  /** Mean number of samples the strategy had scored per trial (reward-model cost). */
  readonly meanScored: number;
}

export async function simulatePassAtK(
  problem: SyntheticProblem,
  strategy: Strategy,
  options: StrategyOptionsInput & { n: number; trials: number; seed: number },
): Promise<SimulationResult> {
  const { n, trials, seed, ...strategyOptions } = options;
  const rng = createRng(seed);
  let hits = 0;
  let scored = 0;
  for (let t = 0; t < trials; t++) {
    const draw = drawSamples(problem, n, rng);
    const clustering = clusterByKey(draw.keys.map((key) => ({ value: key, key, rule: 'synthetic' })));
    const lazy = lazyScores(scoresFromArray(draw.rewards));
    const selection = await strategy.select({ clustering, score: lazy.scoreClusters }, strategyOptions);
    const correct = Uint8Array.from(draw.correct, (c) => (c ? 1 : 0));
    if (Number.isFinite(firstCorrectRank(selection, correct))) hits++;
    scored += lazy.scoredSamples();
  }
  return { passAtK: hits / trials, trials, meanScored: scored / trials };
}
