// The scorer factory, `createScorer(config)`: the one place that maps a config to a Scorer. Only the transformers
// scorer touches the heavy library, and only when it loads (lazy import), so creating any scorer
// is cheap and the server starts fast without a reward model.
import { z } from 'zod';
import { BomError } from '../core/index.ts';
import { type ScoreCache, cachedScorer } from './cache.ts';
import { type ScorerConfigInput, scorerConfigSchema } from './config.ts';
import { FakeScorer } from './fake.ts';
import { HttpScorer } from './http.ts';
import { ConfidenceScorer, SelfCertaintyScorer } from './confidence.ts';
import { LogprobScorer } from './logprob.ts';
import type { SerialQueue } from '../models/index.ts';
import type { Scorer } from './scorer.ts';
import { TransformersScorer } from './transformers.ts';

export interface CreateScorerOptions {
  /** Wrap the scorer so only cache misses are scored (ignored for non-cacheable scorers). */
  cache?: ScoreCache;
  /** Injected into the http scorer (tests). */
  fetch?: typeof fetch;
  /** The queue the transformers scorer's forward passes wait in (the process-wide CPU queue). */
  queue?: SerialQueue;
}

export function createScorer(config: ScorerConfigInput, options: CreateScorerOptions = {}): Scorer {
  const parsed = scorerConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['reward', ...(issue?.path ?? [])].join('.');
    throw new BomError(`invalid reward config: ${z.prettifyError(parsed.error)}`, {
      code: 'invalid_config',
      param: path,
    });
  }
  const c = parsed.data;
  let scorer: Scorer;
  switch (c.kind) {
    case 'transformers': {
      const { kind: _, ...rest } = c;
      scorer = new TransformersScorer({ ...rest, ...(options.queue ? { queue: options.queue } : {}) });
      break;
    }
    case 'http': {
      const { kind: _, ...rest } = c;
      scorer = new HttpScorer({ ...rest, ...(options.fetch ? { fetch: options.fetch } : {}) });
      break;
    }
    case 'logprob':
      scorer = new LogprobScorer({ aggregate: c.aggregate, missing: c.missing });
      break;
    case 'confidence':
      scorer = new ConfidenceScorer(c);
      break;
    case 'self-certainty':
      scorer = new SelfCertaintyScorer(c);
      break;
    case 'fake':
      scorer = new FakeScorer({ delayMs: c.delayMs, ...(c.id === undefined ? {} : { id: c.id }) });
      break;
  }
  return options.cache ? cachedScorer(scorer, options.cache) : scorer;
}
