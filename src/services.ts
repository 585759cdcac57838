// The outside services the pipeline is handed (DESIGN §6: passed in, not imported), so the server,
// the offline tools and the tests can each supply real or fake implementations.
import type { Answer, Clustering, Sample } from './types.ts';

/** Extraction and clustering (src/answers). */
export interface AnswerService {
  extract(text: string): Answer;
  cluster(answers: readonly Answer[], options: { truncated?: ReadonlySet<number> }): Clustering;
}

import type { ScorePrompt, Scorer } from './reward/index.ts';

/**
 * What the pipeline calls: scores whole samples, so scorers that need more than text (logprobs)
 * can have it. A plain Scorer is adapted by `fromScorer`.
 */
export interface SampleScorer {
  readonly id: string;
  /** Whether upstream calls must request logprobs for this scorer to work. */
  readonly needsLogprobs?: boolean;
  scoreSamples(
    prompt: ScorePrompt,
    samples: readonly Sample[],
    signal?: AbortSignal,
  ): Promise<readonly number[]>;
}

/** Adapts a reward Scorer (src/reward); a Sample is structurally a ScoreResponse (text + logprobs). */
export function fromScorer(
  scorer: Scorer,
  options: { needsLogprobs?: boolean; id?: string } = {},
): SampleScorer {
  return {
    id: options.id ?? scorer.id,
    needsLogprobs: options.needsLogprobs ?? scorer.id.startsWith('logprob'),
    scoreSamples: (prompt, samples, signal) => scorer.score(prompt, samples, signal),
  };
}

/** Scorers by id; the request's `selection.scorer` or the configured default picks one. */
export interface ScorerRegistry {
  readonly defaultId: string;
  get(id: string): SampleScorer | undefined;
  ids(): string[];
  /** Whether the default scorer is loaded and usable (readyz). */
  ready(): boolean;
}

export function scorerRegistry(defaultId: string, scorers: readonly SampleScorer[]): ScorerRegistry {
  const byId = new Map(scorers.map((s) => [s.id, s]));
  return {
    defaultId,
    get: (id) => byId.get(id),
    ids: () => [...byId.keys()],
    ready: () => byId.has(defaultId),
  };
}
