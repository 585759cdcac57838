// Request validation at the boundary (zod): OpenAI's own fields are checked for type and range only;
// every other field is kept and forwarded to the upstream unchanged (vendor parameters).
import { z } from 'zod';
import {
  mergeOptions,
  PASS_THROUGH,
  resolveStrategyName,
  type SelectionOptions,
  type SelectionRequest,
  selectionRequestSchema,
  strategyNames,
} from '../../strategies/index.ts';
import type { Config } from '../config.ts';
import { BomError, invalidRequest, specificIssue } from '../core/index.ts';
import { parseAlias } from './alias.ts';

/** Sample i is sent seed + i; beyond 2^53 − 1 − 2^20 neighbouring seeds could round to the same double. */
export const seedSchema = z
  .number()
  .int()
  .min(-(2 ** 53 - 1))
  .max(2 ** 53 - 1 - 2 ** 20)
  .nullable()
  .optional();

const common = {
  model: z.string().min(1),
  n: z.number().int().min(1).max(128).optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().nullable().optional(),
  seed: seedSchema,
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  max_tokens: z.number().int().min(0).nullable().optional(),
  selection: selectionRequestSchema.optional(),
};

/** OpenAI and vLLM answer 400 to `stream_options` without `stream: true`; so do we (it would be ignored). */
function streamOptionsNeedStream(
  body: { stream?: boolean | null | undefined; stream_options?: unknown },
  ctx: z.RefinementCtx,
): void {
  if (body.stream_options !== undefined && body.stream_options !== null && body.stream !== true)
    ctx.addIssue({
      code: 'custom',
      path: ['stream_options'],
      message: "only allowed when 'stream' is true",
    });
}

export const chatSchema = z
  .object({
    ...common,
    messages: z
      .array(z.object({ role: z.string(), content: z.unknown().optional() }).passthrough())
      .min(1, 'messages must not be empty'),
    max_completion_tokens: z.number().int().min(0).nullable().optional(),
    logprobs: z.boolean().nullable().optional(),
    top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  })
  .passthrough()
  .superRefine(streamOptionsNeedStream);

export const completionSchema = z
  .object({
    ...common,
    prompt: z.union(
      [
        z.string(),
        z.array(z.string()).min(1),
        z.array(z.number().int()).min(1),
        z.array(z.array(z.number().int()).min(1)).min(1),
      ],
      {
        error:
          'expected a string, a non-empty array of strings, a non-empty array of token ids (integers) or a non-empty array of token-id arrays',
      },
    ),
    best_of: z.number().int().min(1).nullable().optional(),
    logprobs: z.number().int().min(0).max(5).nullable().optional(),
    echo: z.boolean().nullable().optional(),
  })
  .passthrough()
  .superRefine(streamOptionsNeedStream);

export type ChatBody = z.output<typeof chatSchema>;
export type CompletionBody = z.output<typeof completionSchema>;

export function parseBody<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalidRequest('The request body must be a JSON object', null, 'invalid_json');
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = specificIssue(parsed.error.issues[0]!);
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = [...issue.path.map(String), ...(keys.length > 0 ? [keys[0]!] : [])];
  const field = path.join('.');
  const missing = keys.length === 0 && lookup(raw, path) === undefined;
  const message = missing
    ? `Missing required parameter: '${field}'`
    : keys.length > 0
      ? `Unrecognized parameter: '${field}'`
      : `Invalid parameter '${field}': ${issue.message}`;
  throw invalidRequest(
    message,
    field || null,
    missing ? 'missing_required_parameter' : keys.length > 0 ? 'unknown_parameter' : 'invalid_value',
  );
}

function lookup(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const p of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

/** What the request asks of selection, after alias, body field and server defaults are combined. */
export interface SelectionPlan {
  strategy: string;
  /** Sample budget N. */
  samples: number;
  /** Choices returned (OpenAI's `n`). */
  k: number;
  options: SelectionOptions;
  scorer: string;
  /** The upstream model, alias prefix removed. */
  model: string;
  /** The model name as the client sent it (echoed in responses). */
  requestedModel: string;
  /**
   * Set when `temperature: 0` collapsed the server's default N: greedy decoding returns the same
   * sample N times, so only k are drawn. A client forces N by naming it (selection.samples, an alias's
   * N, best_of).
   */
  greedy?: { requested: number; sampled: number };
  /** Abstain when the winner's `selection.confidence` is below this (docs/confidence.md). */
  minAgreement?: number;
}

export function planSelection(
  body: {
    model: string;
    n?: number | undefined;
    temperature?: number | null | undefined;
    selection?: SelectionRequest | undefined;
  },
  config: Config,
  budget?: { value?: number | undefined; param?: string | undefined; prompts?: number },
): SelectionPlan {
  const alias = parseAlias(body.model);
  const sel = body.selection ?? {};
  const d = config.selection;
  // Short names work in the body field too; the config's strategy was checked at start-up.
  const asked = sel.strategy ?? alias?.strategy ?? d.strategy;
  const strategy = resolveStrategyName(asked);
  if (strategy === null) {
    throw new BomError(
      `Unknown strategy '${asked}'; expected one of: ${PASS_THROUGH}, ${strategyNames.join(', ')}`,
      { code: 'unknown_strategy', param: sel.strategy !== undefined ? 'selection.strategy' : 'model' },
    );
  }
  const k = body.n ?? 1;
  // Where N came from, so an error names the field the client actually set (an alias's N is in `model`).
  const fromAlias = budget?.value === undefined && sel.samples === undefined && alias?.samples !== undefined;
  const samplesParam = budget?.param ?? (fromAlias ? 'model' : 'selection.samples');
  const samplesName = fromAlias ? `The sample budget in model alias '${body.model}'` : `'${samplesParam}'`;
  const namedN = budget?.value ?? sel.samples ?? alias?.samples;
  // Greedy decoding (temperature 0) gives the same sample every time: N copies cost N times as much
  // and vote the same. The server's default N collapses to k; an N the client named is kept.
  const greedy = strategy !== 'none' && namedN === undefined && body.temperature === 0;
  const samples = namedN ?? (greedy ? k : Math.max(d.samples, k));
  // Several prompts (/v1/completions arrays) multiply the work: the cap bounds the whole request.
  // (`none` passes the request through: the upstream samples what the client asked, as it would.)
  const prompts = strategy === PASS_THROUGH ? 1 : (budget?.prompts ?? 1);
  if (samples < 1) throw invalidRequest(`${samplesName} must be at least 1`, samplesParam);
  if (samples * prompts > config.limits.maxSamples) {
    const what =
      prompts > 1 ? `${samples} samples x ${prompts} prompts = ${samples * prompts}` : String(samples);
    if (namedN === undefined)
      // The client named no N: what it can change is the prompts it sent (or name a smaller N).
      throw new BomError(
        `The server's default sample budget (${samples}) for ${prompts} prompts is ${what}, above this server's limit of ${config.limits.maxSamples} samples per request; send fewer prompts or a smaller selection.samples`,
        { code: 'samples_limit_exceeded', param: 'prompt' },
      );
    throw new BomError(
      `${samplesName} is ${what}, above this server's limit of ${config.limits.maxSamples} samples per request`,
      { code: 'samples_limit_exceeded', param: samplesParam },
    );
  }
  if (strategy !== PASS_THROUGH && samples < k) {
    throw invalidRequest(
      `${samplesName} (${samples}) must be at least n (${k}): each returned choice is a distinct answer among the samples`,
      samplesParam,
    );
  }
  const options = mergeOptions(sel, d);
  const minAgreement = sel.min_agreement ?? d.min_agreement;
  return {
    strategy,
    samples,
    k,
    options,
    scorer: sel.scorer ?? d.scorer,
    model: alias?.model ?? body.model,
    requestedModel: body.model,
    ...(greedy && Math.max(d.samples, k) > samples
      ? { greedy: { requested: Math.max(d.samples, k), sampled: samples } }
      : {}),
    ...(minAgreement !== undefined ? { minAgreement } : {}),
  };
}
