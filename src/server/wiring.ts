// Builds the real services from config: the one place where implementations are chosen.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { mathAnswers } from '../selection/index.ts';
import { type Config, DEFAULT_UPSTREAM_URL } from '../config.ts';
import { cpuQueue } from '../models/index.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import type { AppDeps } from './deps.ts';
import { buildScorerRegistry } from '../reward/index.ts';
import type { UpstreamChoice } from '../upstream/index.ts';
import { LocalGenerator } from '../upstream/index.ts';
import { LocalUpstream } from '../upstream/index.ts';
import { createOpenAIUpstream } from '../upstream/index.ts';
import type { Upstream } from '../upstream/index.ts';

export function buildLocalUpstream(local: Config['local'], log?: (line: string) => void): LocalUpstream {
  const generator = new LocalGenerator({
    model: local.model,
    dtype: local.dtype,
    allowRemote: local.allowRemote,
    cacheDir: local.cacheDir ?? join(homedir(), '.cache', 'bom', 'models'),
    threads: local.threads,
    maxBatch: local.maxBatch,
    queue: cpuQueue,
    ...(log ? { log } : {}),
  });
  return new LocalUpstream(generator, {
    modelName: local.model.split('/').at(-1) ?? local.model,
    maxN: 256,
    maxTokens: local.maxTokens,
    temperature: local.temperature,
    topP: local.topP,
  });
}

export function buildUpstream(
  config: Config,
  choice: UpstreamChoice,
  log?: (line: string) => void,
): Upstream {
  return choice.kind === 'local'
    ? buildLocalUpstream(config.local, log)
    : createOpenAIUpstream({
        url: choice.url,
        apiKey: config.upstream.apiKey,
        connections: config.upstream.connections,
        maxResponseBytes: config.upstream.maxResponseBytes,
      });
}

export function buildDeps(
  config: Config,
  overrides: Partial<AppDeps> & { logger?: Logger; choice?: UpstreamChoice } = {},
): AppDeps {
  const metrics = overrides.metrics ?? createMetrics({ defaults: true });
  let scorers = overrides.scorers;
  if (!scorers) {
    // The `reward` section's scorers (plus the built-in `logprob`), one shared score cache whose
    // figures /metrics reads, and the CPU queue every in-process model shares.
    const built = buildScorerRegistry(config.reward, config.selection.scorer, { queue: cpuQueue });
    metrics.watchScoreCache(() => built.cache.stats());
    scorers = built.registry;
  }
  const choice: UpstreamChoice = overrides.choice ?? {
    kind: 'http',
    url: config.upstream.url ?? DEFAULT_UPSTREAM_URL,
    why: 'default',
  };
  return {
    config,
    upstream: overrides.upstream ?? buildUpstream(config, choice),
    answers: overrides.answers ?? mathAnswers,
    scorers,
    metrics,
    logger: overrides.logger ?? createLogger(config.log.level),
  };
}
