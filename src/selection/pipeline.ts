// The selection pipeline after fan-out: votes (extraction + the voting rule) → clusters → strategy
// (asking for scores lazily) → chosen clusters. The server runs it per request; offline evaluation
// runs the same voting rule and strategies over pool-wide clusterings (test/selection/parity.test.ts).
import type { Strategy, StrategyOptionsInput } from '../../strategies/index.ts';
import { type LazyScores, lazyScores } from './lazy-scores.ts';
import type { Answer, Clustering, Sample, Selection } from '../core/index.ts';
import { promptText, type ScorePrompt, type Scorer } from '../reward/index.ts';
import type { AnswerService } from './answers.ts';
import { castVotes, readBallot, truncatedPositions } from './votes.ts';

export interface PipelineInput {
  /** Successful samples; clustering positions refer to this array, `Sample.index` to the fan-out. */
  samples: readonly Sample[];
  /** What the samples answer, as the scorer receives it. */
  prompt: ScorePrompt;
  strategy: Strategy;
  options: StrategyOptionsInput;
  answers: AnswerService;
  scorer: Scorer | null;
  signal?: AbortSignal;
  /** Scores already begun over these samples (adaptive sampling scores as samples arrive); reused. */
  scores?: LazyScores;
}

export interface PipelineResult {
  answers: readonly Answer[];
  clustering: Clustering;
  selection: Selection;
  /** Samples sent to the scorer. */
  scored: number;
  timings: { extract_ms: number; score_ms: number; select_ms: number };
}

const ms = (from: number) => Math.round((performance.now() - from) * 100) / 100;

export async function runPipeline(input: PipelineInput): Promise<PipelineResult> {
  const t0 = performance.now();
  const { samples } = input;
  const ballots = samples.map((s) => readBallot(s, input.answers));
  const answers = castVotes(ballots);
  const truncated = truncatedPositions(ballots);
  const clustering = input.answers.cluster(answers, { truncated, problem: promptText(input.prompt) });
  const extractMs = ms(t0);

  let scoreMs = 0;
  const scorer = input.scorer;
  const lazy =
    input.scores ??
    lazyScores(async (positions, signal) => {
      if (!scorer) throw new Error('no scorer');
      const t = performance.now();
      try {
        return await scorer.score(
          input.prompt,
          positions.map((p) => samples[p]!),
          signal,
        );
      } finally {
        scoreMs += performance.now() - t;
      }
    }, scorer?.id);
  const t1 = performance.now();
  const selection = await input.strategy.select(
    { clustering, score: lazy.scoreClusters, ...(input.signal ? { signal: input.signal } : {}) },
    input.options,
  );
  const selectMs = ms(t1) - scoreMs;
  return {
    answers,
    clustering,
    selection,
    scored: lazy.scoredSamples(),
    timings: {
      extract_ms: extractMs,
      score_ms: Math.round(scoreMs * 100) / 100,
      select_ms: Math.round(Math.max(0, selectMs) * 100) / 100,
    },
  };
}
