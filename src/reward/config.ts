// The reward section of the config, validated once at the boundary (zod 4). The server's config
// schema can embed `scorerConfigSchema` as `reward`.
import { z } from 'zod';

const transformers = z.strictObject({
  kind: z.literal('transformers'),
  model: z.string().min(1),
  dtype: z.enum(['fp32', 'q8']).default('fp32'),
  allowRemote: z.boolean().default(false),
  cacheDir: z.string().min(1).optional(),
  threads: z.int().min(1).max(64).default(1),
  maxTokens: z.int().min(2).optional(),
  architecture: z.enum(['auto', 'encoder', 'decoder']).default('auto'),
  input: z.enum(['auto', 'chat', 'pair']).default('auto'),
  batchSize: z.int().min(1).max(64).default(1),
});

const http = z.strictObject({
  kind: z.literal('http'),
  url: z.url({ protocol: /^https?$/ }),
  protocol: z.enum(['json', 'vllm-score', 'vllm-pooling']).default('json'),
  model: z.string().min(1).optional(),
  apiKey: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  batchSize: z.int().min(1).max(1024).default(16),
  concurrency: z.int().min(1).max(64).default(4),
  timeoutMs: z.int().min(1).default(30_000),
  retries: z.int().min(0).max(10).default(2),
  backoffMs: z.int().min(0).default(250),
});

const logprob = z.strictObject({
  kind: z.literal('logprob'),
  aggregate: z.enum(['mean', 'sum']).default('mean'),
  missing: z.union([z.literal('error'), z.number()]).default('error'),
});

const confidence = z.strictObject({
  kind: z.literal('confidence'),
  variant: z.enum(['lowest-window', 'tail', 'bottom-fraction', 'mean']).default('lowest-window'),
  window: z.int().min(1).default(2048),
  fraction: z.number().gt(0).max(1).default(0.1),
  topLogprobs: z.int().min(1).max(20).default(20),
});

const selfCertainty = z.strictObject({
  kind: z.literal('self-certainty'),
  topLogprobs: z.int().min(1).max(20).default(20),
});

const fake = z.strictObject({
  kind: z.literal('fake'),
  id: z.string().min(1).optional(),
  delayMs: z.int().min(0).default(0),
});

const cache = z.strictObject({
  maxEntries: z.int().min(1).default(100_000),
  maxBytes: z
    .int()
    .min(1024)
    .default(32 * 1024 * 1024),
});

export const scorerConfigSchema = z.discriminatedUnion('kind', [
  transformers,
  http,
  logprob,
  confidence,
  selfCertainty,
  fake,
]);
export const scoreCacheConfigSchema = cache;

/** Input form (defaults optional). */
export type ScorerConfigInput = z.input<typeof scorerConfigSchema>;
/** Parsed form (defaults filled). */
export type ScorerConfig = z.output<typeof scorerConfigSchema>;
export type ScoreCacheConfig = z.output<typeof scoreCacheConfigSchema>;
