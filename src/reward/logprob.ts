// The free scorer: the mean token log-probability the upstream reported for each sample (what
// OpenAI's legacy `best_of` ranked by). Per-sample data arrives in the object form of
// `ScoreResponse` (a `Sample` fits), so it is not cacheable by text: the same text sampled at
// another temperature has other logprobs.
import { ScoresUnavailable, throwIfAborted } from '../core/index.ts';
import type { ScorePrompt, ScoreResponse, Scorer } from './scorer.ts';

export interface LogprobScorerOptions {
  /** `mean` (length-normalised, default) or `sum` (the sequence log-likelihood; favours short answers). */
  aggregate?: 'mean' | 'sum';
  /**
   * What a response without logprobs (or with zero tokens) scores: `'error'` (default) rejects with
   * `logprobs_missing`, a number substitutes that score (e.g. a very low one to rank it last).
   */
  missing?: 'error' | number;
}

export class LogprobScorer implements Scorer {
  readonly id: string;
  readonly cacheable = false;
  readonly needsLogprobs = true;
  readonly #aggregate: 'mean' | 'sum';
  readonly #missing: 'error' | number;

  constructor(options: LogprobScorerOptions = {}) {
    this.#aggregate = options.aggregate ?? 'mean';
    this.#missing = options.missing ?? 'error';
    this.id = `logprob:${this.#aggregate}`;
  }

  async score(
    _prompt: ScorePrompt,
    responses: readonly ScoreResponse[],
    signal?: AbortSignal,
  ): Promise<number[]> {
    throwIfAborted(signal);
    return responses.map((r, i) => {
      const lp = typeof r === 'string' ? undefined : r.logprobs;
      if (!lp || lp.length === 0) {
        if (this.#missing !== 'error') return this.#missing;
        throw new ScoresUnavailable(
          `logprob scorer: response ${i} has no token logprobs (the upstream did not return them for logprobs: true); choose another scorer or an upstream that returns logprobs`,
          'logprobs_missing',
        );
      }
      let sum = 0;
      for (const x of lp) sum += x;
      return this.#aggregate === 'mean' ? sum / lp.length : sum;
    });
  }
}
