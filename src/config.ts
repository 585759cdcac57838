// The one configuration schema: defaults < file < env < flags, validated once here;
// everything downstream trusts the parsed type.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { selectionConfigSchema } from '../strategies/index.ts';
import { BomError, specificIssue } from './core/index.ts';
import { scoreCacheConfigSchema, scorerConfigSchema } from './reward/index.ts';

/** The scorer id `--reward-model` / BOM_REWARD_MODEL define (and make the default). */
export const REWARD_MODEL_SCORER_ID = 'rm';

/** Small enough for a CPU (0.5 B parameters, 512 MB as q8), and it follows \boxed{} instructions. */
export const DEFAULT_LOCAL_MODEL = 'onnx-community/Qwen2.5-0.5B-Instruct';

/** Where vLLM listens by default; `auto` tries it when no upstream url is configured. */
export const DEFAULT_UPSTREAM_URL = 'http://127.0.0.1:8000/v1';

export const configSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8787),
    upstream: z
      .object({
        /**
         * `auto`: the configured url; with none, vLLM's usual address when something answers there,
         * else the embedded local model. `http` and `local` force one or the other.
         */
        kind: z.enum(['auto', 'http', 'local']).default('auto'),
        /** Base URL of an OpenAI-compatible server; unset lets `auto` look for one. */
        url: z
          .string()
          .url()
          .refine((u) => /^https?:\/\//i.test(u), 'expected an http:// or https:// URL')
          .optional(),
        /** Key sent to the upstream; never the client's key (a client's key is bom's to check, not to forward). */
        apiKey: z.string().default('none'),
        /** `auto` tries one call with n=N and falls back to parallel n=1 calls, remembered per model. */
        nMode: z.enum(['auto', 'n', 'parallel']).default('auto'),
        /** Cap on concurrent upstream calls per request in parallel mode. */
        concurrency: z.number().int().min(1).default(16),
        /** Keep-alive sockets to the upstream, shared by all requests: many concurrent clients must not queue on a small pool. */
        connections: z.number().int().min(1).default(256),
        /** Retries of one upstream call on 429/5xx/connection errors, within the deadline. */
        retries: z.number().int().min(0).default(2),
        retryBaseMs: z.number().int().min(0).default(200),
        /** Per-call timeout: one slow sample must not hold the whole request. */
        sampleTimeoutMs: z.number().int().min(1).default(120_000),
        /** Overall deadline for the fan-out of one request. */
        deadlineMs: z.number().int().min(1).default(300_000),
        /**
         * Most bytes one upstream response body may have once decoded (gzip included); a bigger one
         * (a gzip bomb, a runaway body) is cut off and that call fails (502 upstream_response_too_large,
         * not retried). Default 64 MiB: far above n=128 long completions, far below what hurts.
         */
        maxResponseBytes: z
          .number()
          .int()
          .min(1024)
          .default(64 * 1024 * 1024),
        /** Fraction of N that must succeed for selection to proceed (at least one sample always). */
        quorum: z.number().min(0).max(1).default(0.5),
      })
      .strict()
      .prefault({}),
    /** Server-wide selection defaults (strategies/options.ts declares every field). */
    selection: selectionConfigSchema.prefault({}),
    /** The embedded upstream: a causal LM run in-process by transformers.js. */
    local: z
      .object({
        /** A model folder, or a Hugging Face id downloaded once on first use (when allowRemote). */
        model: z.string().min(1).default(DEFAULT_LOCAL_MODEL),
        dtype: z.enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4']).default('q8'),
        allowRemote: z.boolean().default(true),
        /** Where downloads are kept; default ~/.cache/bom/models. */
        cacheDir: z.string().optional(),
        /**
         * ORT threads; default every core. Measured here (2 vCPUs): 2 non-spinning threads decode 21–29%
         * faster than 1 (bench/local-generation.ts); threads above 1 never spin.
         */
        threads: z
          .number()
          .int()
          .min(1)
          .default(() => availableParallelism()),
        /** Rows per generate call: bounds KV-cache memory. */
        maxBatch: z.number().int().min(1).max(64).default(8),
        /** Token cap per sample, and the default when a request sets none. */
        maxTokens: z.number().int().min(1).default(768),
        temperature: z.number().min(0).max(2).default(0.7),
        topP: z.number().gt(0).max(1).default(0.95),
      })
      .strict()
      .prefault({}),
    /**
     * Reward scorers by id (src/reward's scorer config: transformers, http, logprob, fake). A request
     * picks one with `selection.scorer`; `selection.scorer` names the default. `logprob` is built in
     * unless configured here. All share one score cache.
     */
    reward: z
      .object({
        scorers: z.record(z.string().min(1), scorerConfigSchema).default({}),
        cache: scoreCacheConfigSchema.prefault({}),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        /** Most samples one request may ask for: N, times the prompts of a /v1/completions array prompt. */
        maxSamples: z.number().int().min(1).default(128),
        maxBodyBytes: z
          .number()
          .int()
          .min(1)
          .default(4 * 1024 * 1024),
      })
      .strict()
      .prefault({}),
    /** Bearer keys clients must present; empty means no authentication. */
    apiKeys: z.array(z.string().min(1)).default([]),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        /** Prompt and response text stay out of logs unless this is set. */
        prompts: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /** How long SIGTERM waits for in-flight requests before closing. */
    shutdownGraceMs: z.number().int().min(0).default(10_000),
  })
  .strict()
  .superRefine((c, ctx) => {
    // Defaults no request could meet: every request without its own N would be refused.
    if (c.selection.samples > c.limits.maxSamples)
      ctx.addIssue({
        code: 'custom',
        path: ['selection', 'samples'],
        message: `the default sample budget N (${c.selection.samples}) is above limits.maxSamples (${c.limits.maxSamples}), so every request without its own N would be refused`,
      });
  });

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

type Plain = Record<string, unknown>;

function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge where later layers win and `undefined` means "not set" (0, false and "" are values). */
export function mergeLayers(...layers: Plain[]): Plain {
  const out: Plain = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined) continue;
      out[k] = isPlain(v) && isPlain(out[k]) ? mergeLayers(out[k] as Plain, v) : v;
    }
  }
  return out;
}

function num(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : Number.NaN; // NaN fails validation with a clear field name
}

/**
 * A reward model given as one path (env or flag): the transformers scorer `rm`, made the default
 * scorer unless one is named in the same layer. Deep-merged over a file's `reward.scorers.rm`, so a
 * file can set dtype/threads and the flag only the path.
 */
export function rewardModelLayer(model: string | undefined, scorer: string | undefined): Plain {
  if (model === undefined || model === '') return { selection: { scorer } };
  return {
    reward: { scorers: { [REWARD_MODEL_SCORER_ID]: { kind: 'transformers', model } } },
    selection: { scorer: scorer ?? REWARD_MODEL_SCORER_ID },
  };
}

/** The environment layer: BOM_* variables. */
export function envLayer(env: NodeJS.ProcessEnv): Plain {
  return mergeLayers(rewardModelLayer(env['BOM_REWARD_MODEL'], env['BOM_SCORER']), {
    host: env['BOM_HOST'],
    port: num(env['BOM_PORT']),
    upstream: {
      kind: env['BOM_UPSTREAM_KIND'],
      url: env['BOM_UPSTREAM_URL'],
      apiKey: env['BOM_UPSTREAM_API_KEY'],
      nMode: env['BOM_UPSTREAM_N_MODE'],
    },
    selection: {
      strategy: env['BOM_STRATEGY'],
      samples: num(env['BOM_SAMPLES']),
    },
    apiKeys: env['BOM_API_KEYS']
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    log: { level: env['BOM_LOG_LEVEL'] },
    local: { model: env['BOM_LOCAL_MODEL'], cacheDir: env['BOM_LOCAL_CACHE_DIR'] },
  });
}

export interface LoadOptions {
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  flags?: Plain;
}

export function loadConfig(options: LoadOptions = {}): Config {
  let fileLayer: Plain = {};
  if (options.file) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(options.file, 'utf8'));
      if (!isPlain(parsed)) throw new Error('top level must be an object');
      fileLayer = parsed;
    } catch (err) {
      throw new BomError(`Cannot read config ${options.file}: ${(err as Error).message}`, {
        code: 'config_unreadable',
        param: 'config',
      });
    }
  }
  return parseConfig(mergeLayers(fileLayer, envLayer(options.env ?? {}), options.flags ?? {}));
}

/** Where a setting can come from besides the config file, so an error points at what the user typed. */
const SOURCES: Readonly<Record<string, string>> = {
  host: 'BOM_HOST, --host',
  port: 'BOM_PORT, --port',
  'upstream.kind': 'BOM_UPSTREAM_KIND, --local',
  'upstream.url': 'BOM_UPSTREAM_URL, --upstream',
  'upstream.nMode': 'BOM_UPSTREAM_N_MODE',
  'selection.strategy': 'BOM_STRATEGY, --strategy',
  'selection.samples': 'BOM_SAMPLES, --samples',
  'selection.scorer': 'BOM_SCORER, --scorer',
  'local.model': 'BOM_LOCAL_MODEL, --local-model',
  'log.level': 'BOM_LOG_LEVEL',
  apiKeys: 'BOM_API_KEYS',
};

export function parseConfig(raw: unknown): Config {
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const issue = first && specificIssue(first);
  const path = issue?.path.map(String) ?? [];
  if (issue?.code === 'unrecognized_keys') {
    const field = [...path, issue.keys[0] ?? ''].join('.');
    throw new BomError(`Invalid config: unknown setting '${field}'`, {
      code: 'invalid_config',
      param: field,
    });
  }
  const field = path.join('.');
  const from = SOURCES[field] ? ` (from ${SOURCES[field]} or the config file)` : '';
  throw new BomError(`Invalid config${field ? ` '${field}'` : ''}${from}: ${issue?.message ?? 'invalid'}`, {
    code: 'invalid_config',
    param: field || null,
  });
}
