// Builds the real services from config: the one place where implementations are chosen.
import { mathAnswers } from './answer-service.ts';
import type { Config } from './config.ts';
import { LogprobScorer } from './reward/index.ts';
import { createLogger, type Logger } from './server/logger.ts';
import { createMetrics } from './server/metrics.ts';
import type { AppDeps } from './server/deps.ts';
import { fromScorer, type SampleScorer, scorerRegistry } from './services.ts';
import { createOpenAIUpstream } from './upstream/openai-client.ts';

export function buildDeps(config: Config, overrides: Partial<AppDeps> & { logger?: Logger } = {}): AppDeps {
  // The logprob scorer needs no model, so reward strategies work out of the box. A sample without
  // logprobs ranks last rather than failing the request.
  const scorers: SampleScorer[] = [
    fromScorer(new LogprobScorer({ aggregate: 'mean', missing: Number.NEGATIVE_INFINITY }), {
      id: 'logprob',
    }),
  ];
  return {
    config,
    upstream:
      overrides.upstream ??
      createOpenAIUpstream({ url: config.upstream.url, apiKey: config.upstream.apiKey }),
    answers: overrides.answers ?? mathAnswers,
    scorers: overrides.scorers ?? scorerRegistry(config.selection.scorer, scorers),
    metrics: overrides.metrics ?? createMetrics({ defaults: true }),
    logger: overrides.logger ?? createLogger(config.log.level),
  };
}
