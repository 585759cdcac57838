// Scorers that read token distributions instead of a reward model: `confidence` (DeepConf's trace
// confidence: lowest sliding-window mean of C_t, or its tail / bottom-fraction variants) and
// `self-certainty` (Kang et al.: the mean KL of each token's top-k distribution from uniform). Both read
// the per-token arrays the fan-out computed once (`Sample.tokenConfidence`, `tokenSelfCertainty`), so
// the fan-out must ask for `logprobs: true, top_logprobs: k` (`topLogprobs`); not cacheable by text.
// A response without them cannot be scored: ScoresUnavailable, so strategies fall back visibly.
import {
  CONFIDENCE_DEFAULTS,
  type ConfidenceVariant,
  ScoresUnavailable,
  throwIfAborted,
  traceConfidence,
} from '../core/index.ts';
import type { ScorePrompt, ScoreResponse, Scorer } from './scorer.ts';

export interface ConfidenceScorerOptions {
  variant?: ConfidenceVariant;
  window?: number;
  /** `bottom-fraction`: the share of windows averaged (default 0.1). */
  fraction?: number;
  /** Top logprobs per token to ask the upstream for (default 20, the paper's k). */
  topLogprobs?: number;
}

function missing(scorer: string, i: number, k: number): ScoresUnavailable {
  return new ScoresUnavailable(
    `${scorer} scorer: response ${i} has no top logprobs (the upstream returned none for logprobs: true, top_logprobs: ${k}); use an upstream that returns them (vLLM, llama.cpp, OpenAI, bom's local model, bom replay) or another strategy`,
    'logprobs_missing',
  );
}

export class ConfidenceScorer implements Scorer {
  readonly id: string;
  readonly cacheable = false;
  readonly needsLogprobs = true;
  readonly topLogprobs: number;
  readonly settings: { variant: ConfidenceVariant; window: number; fraction: number };

  constructor(options: ConfidenceScorerOptions = {}) {
    this.settings = {
      variant: options.variant ?? 'lowest-window',
      window: options.window ?? CONFIDENCE_DEFAULTS.window,
      fraction: options.fraction ?? CONFIDENCE_DEFAULTS.bottomFraction,
    };
    this.topLogprobs = options.topLogprobs ?? CONFIDENCE_DEFAULTS.topLogprobs;
    const { variant, window, fraction } = this.settings;
    this.id = `confidence:${variant}:${window}${variant === 'bottom-fraction' ? `:${fraction}` : ''}:top${this.topLogprobs}`;
  }

  async score(_p: ScorePrompt, responses: readonly ScoreResponse[], signal?: AbortSignal): Promise<number[]> {
    throwIfAborted(signal);
    return responses.map((r, i) => {
      const tc = typeof r === 'string' ? undefined : r.tokenConfidence;
      if (!tc || tc.length === 0) throw missing('confidence', i, this.topLogprobs);
      return traceConfidence(tc, this.settings);
    });
  }
}

export class SelfCertaintyScorer implements Scorer {
  readonly id: string;
  readonly cacheable = false;
  readonly needsLogprobs = true;
  readonly topLogprobs: number;

  constructor(options: { topLogprobs?: number } = {}) {
    this.topLogprobs = options.topLogprobs ?? CONFIDENCE_DEFAULTS.topLogprobs;
    this.id = `self-certainty:top${this.topLogprobs}`;
  }

  async score(_p: ScorePrompt, responses: readonly ScoreResponse[], signal?: AbortSignal): Promise<number[]> {
    throwIfAborted(signal);
    return responses.map((r, i) => {
      const sc = typeof r === 'string' ? undefined : r.tokenSelfCertainty;
      if (!sc || sc.length === 0) throw missing('self-certainty', i, this.topLogprobs);
      return traceConfidence(sc, { variant: 'mean', window: 1 });
    });
  }
}
