// Builds the real services from config: the one place where implementations are chosen.
import { basicAnswers } from './basic-answers.ts';
import type { Config } from './config.ts';
import { meanLogprobScorer } from './logprob-scorer.ts';
import { createLogger, type Logger } from './server/logger.ts';
import { createMetrics } from './server/metrics.ts';
import type { AppDeps } from './server/deps.ts';
import { type SampleScorer, scorerRegistry } from './services.ts';
import { createOpenAIUpstream } from './upstream/openai-client.ts';

export function buildDeps(config: Config, overrides: Partial<AppDeps> & { logger?: Logger } = {}): AppDeps {
  const scorers: SampleScorer[] = [meanLogprobScorer];
  return {
    config,
    upstream:
      overrides.upstream ??
      createOpenAIUpstream({ url: config.upstream.url, apiKey: config.upstream.apiKey }),
    answers: overrides.answers ?? basicAnswers,
    scorers: overrides.scorers ?? scorerRegistry(config.selection.scorer, scorers),
    metrics: overrides.metrics ?? createMetrics({ defaults: true }),
    logger: overrides.logger ?? createLogger(config.log.level),
  };
}
