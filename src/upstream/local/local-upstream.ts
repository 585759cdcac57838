// The embedded upstream: an in-process, OpenAI-shaped front over LocalGenerator, behind the same
// Upstream interface as a remote server, so the fan-out, selection and streaming code cannot tell
// the difference. It honours `n` with one batched generation, returns per-token logprobs when asked
// (so the `logprob` scorer works without any reward model), and reports usage like vLLM does.
import { contentText } from '../content.ts';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BomError } from '../../core/index.ts';
import { normaliseUpstreamError } from '../errors.ts';
import { type CallOptions, type Json, type Upstream, UpstreamError } from '../types.ts';
import type { GenerateRequest, GenerateResult, LocalGenerator } from './generator.ts';

export interface LocalUpstreamOptions {
  /** Name reported in `model` and listed by /v1/models. */
  modelName: string;
  /** Largest `n` one call may ask for (memory: n rows of KV cache). */
  maxN: number;
  /** Largest `max_tokens`; also the default when a request sets none. */
  maxTokens: number;
  /** Sampling defaults when a request sets none (OpenAI's own are temperature 1, top_p 1). */
  temperature: number;
  topP: number;
}

const text = z.union([
  z.string(),
  z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough()),
]);

const common = {
  n: z.number().int().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().gt(0).max(1).optional(),
  top_k: z.number().int().min(-1).optional(),
  max_tokens: z.number().int().min(1).optional(),
  max_completion_tokens: z.number().int().min(1).optional(),
  seed: z.number().int().optional(),
  stop: z
    .union([z.string(), z.array(z.string()).max(4)])
    .nullable()
    .optional(),
};

const chatBody = z
  .object({
    messages: z.array(z.object({ role: z.string(), content: text.nullable() }).passthrough()).min(1),
    logprobs: z.boolean().nullable().optional(),
    top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
    ...common,
  })
  .passthrough();

const completionBody = z
  .object({
    prompt: z.union([z.string(), z.array(z.string()).min(1)]),
    logprobs: z.number().int().min(0).nullable().optional(),
    echo: z.boolean().optional(),
    ...common,
  })
  .passthrough();

function badRequest(error: z.ZodError): UpstreamError {
  const issue = error.issues[0];
  const param = issue?.path.join('.') || null;
  return new UpstreamError(`Invalid ${param ?? 'request'}: ${issue?.message ?? 'invalid'}`, {
    kind: 'status',
    status: 400,
    code: 'invalid_value',
    param,
  });
}

/**
 * Failures of the local model look like an unavailable upstream (503), never like a client error;
 * an abort is the same UpstreamError (`aborted`, or `timeout` for a TimeoutError reason) a remote
 * upstream's client rejects with, not the bare signal reason.
 */
function asUpstreamError(err: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return normaliseUpstreamError(err, signal);
  if (err instanceof BomError) {
    return new UpstreamError(err.message, {
      kind: 'status',
      status: err.status,
      code: err.code,
      public: true,
      permanent: err.code === 'local_model_failed',
    });
  }
  return err;
}

export class LocalUpstream implements Upstream {
  readonly url: string;

  constructor(
    readonly generator: LocalGenerator,
    readonly options: LocalUpstreamOptions,
  ) {
    this.url = `local:${options.modelName}`;
  }

  #request(body: z.infer<typeof chatBody> | z.infer<typeof completionBody>, withTokens: boolean) {
    const n = body.n ?? 1;
    if (n > this.options.maxN) {
      throw new UpstreamError(
        `n=${n} is more than this local model runs in one call (${this.options.maxN})`,
        {
          kind: 'status',
          status: 400,
          code: 'invalid_value',
          param: 'n',
        },
      );
    }
    const maxTokens = Math.min(
      body.max_completion_tokens ?? body.max_tokens ?? this.options.maxTokens,
      this.options.maxTokens,
    );
    const req: GenerateRequest = {
      n,
      temperature: body.temperature ?? this.options.temperature,
      topP: body.top_p ?? this.options.topP,
      topK: body.top_k === undefined || body.top_k < 0 ? 0 : body.top_k,
      maxTokens,
      tokenStrings: withTokens,
      ...(body.seed === undefined ? {} : { seed: body.seed }),
      ...(body.stop ? { stop: typeof body.stop === 'string' ? [body.stop] : body.stop } : {}),
    };
    return req;
  }

  async #run(req: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    try {
      return await this.generator.generate(req, signal);
    } catch (err) {
      throw asUpstreamError(err, signal);
    }
  }

  #envelope(object: string, choices: Json[], promptTokens: number, completionTokens: number): Json {
    return {
      id: `${object === 'chat.completion' ? 'chatcmpl' : 'cmpl'}-local-${randomUUID()}`,
      object,
      created: Math.floor(Date.now() / 1000),
      model: this.options.modelName,
      system_fingerprint: this.generator.id,
      choices,
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    };
  }

  async chat(raw: Json, { signal }: CallOptions): Promise<Json> {
    const parsed = chatBody.safeParse(raw);
    if (!parsed.success) throw badRequest(parsed.error);
    const body = parsed.data;
    const wantLogprobs = body.logprobs === true;
    const top = wantLogprobs ? (body.top_logprobs ?? 0) : 0;
    const req: GenerateRequest = {
      ...this.#request(body, wantLogprobs),
      ...(top > 0 ? { topLogprobs: top } : {}),
      messages: body.messages.map((m) => ({ role: m.role, content: contentText(m.content) })),
    };
    const result = await this.#run(req, signal);
    const choices = result.samples.map((s, index) => ({
      index,
      message: { role: 'assistant', content: s.text },
      finish_reason: s.finishReason,
      logprobs: wantLogprobs
        ? {
            content: s.logprobs.map((logprob, i) => ({
              token: s.tokens?.[i] ?? '',
              logprob,
              bytes: null,
              top_logprobs: (s.topLogprobs?.[i] ?? []).map((t) => ({ ...t, bytes: null })),
            })),
          }
        : null,
    }));
    const completion = result.samples.reduce((sum, s) => sum + s.completionTokens, 0);
    return this.#envelope('chat.completion', choices, result.promptTokens, completion);
  }

  async completion(raw: Json, { signal }: CallOptions): Promise<Json> {
    const parsed = completionBody.safeParse(raw);
    if (!parsed.success) throw badRequest(parsed.error);
    const body = parsed.data;
    const wantLogprobs = body.logprobs !== undefined && body.logprobs !== null;
    if (body.echo === true && wantLogprobs) {
      // Log-likelihood scoring (lm-evaluation-harness's loglikelihood tasks) needs the prompt tokens'
      // logprobs, which this generator does not compute: a clear 400 beats a 200 without them.
      throw new UpstreamError(
        'the embedded local model cannot return prompt-token logprobs (echo with logprobs, as log-likelihood evaluation sends); use an upstream that serves them, e.g. vLLM, or generation tasks only',
        { kind: 'status', status: 400, code: 'unsupported_parameter', param: 'echo', public: true },
      );
    }
    const prompts = typeof body.prompt === 'string' ? [body.prompt] : body.prompt;
    const choices: Json[] = [];
    let promptTokens = 0;
    let completion = 0;
    // Choices are prompt-major, as OpenAI orders them: prompt p's samples at p·n … p·n + n − 1.
    for (const prompt of prompts) {
      const top = wantLogprobs ? Math.min(20, body.logprobs ?? 0) : 0;
      const result = await this.#run(
        { ...this.#request(body, wantLogprobs), prompt, ...(top > 0 ? { topLogprobs: top } : {}) },
        signal,
      );
      promptTokens += result.promptTokens;
      for (const s of result.samples) {
        completion += s.completionTokens;
        const tokens = s.tokens ?? [];
        const offsets = tokens.reduce<number[]>((acc, _t, i) => {
          acc.push(i === 0 ? 0 : acc[i - 1]! + tokens[i - 1]!.length);
          return acc;
        }, []);
        choices.push({
          index: choices.length,
          text: body.echo ? prompt + s.text : s.text,
          finish_reason: s.finishReason,
          logprobs: wantLogprobs
            ? {
                tokens,
                token_logprobs: s.logprobs,
                top_logprobs: s.topLogprobs
                  ? s.topLogprobs.map((step) => Object.fromEntries(step.map((t) => [t.token, t.logprob])))
                  : null,
                text_offset: offsets,
              }
            : null,
        });
      }
    }
    return this.#envelope('text_completion', choices, promptTokens, completion);
  }

  // Pass-through streaming (strategy `none`): generation is batched, so chunks follow the finished
  // result rather than arriving token by token.
  async chatStream(body: Json, options: CallOptions): Promise<AsyncIterable<Json>> {
    const full = await this.chat(body, options);
    return chunks(full, 'chat.completion.chunk', (c) => ({
      role: 'assistant',
      content: ((c['message'] as Json | undefined)?.['content'] as string | undefined) ?? '',
    }));
  }

  async completionStream(body: Json, options: CallOptions): Promise<AsyncIterable<Json>> {
    const full = await this.completion(body, options);
    return chunks(full, 'text_completion', null);
  }

  /** Lists the model once it is loaded; until then (first-use download) the upstream is not ready. */
  async models(): Promise<Json[]> {
    const failure = this.generator.failure;
    if (failure !== null) {
      throw new UpstreamError(failure, {
        kind: 'status',
        status: 503,
        code: 'local_model_failed',
        public: true,
        permanent: true,
      });
    }
    if (!this.generator.loaded) {
      throw new UpstreamError(`local model ${this.options.modelName} is still loading`, {
        kind: 'status',
        status: 503,
        code: 'local_model_loading',
        public: true,
      });
    }
    return [{ id: this.options.modelName, object: 'model', created: 0, owned_by: 'bom-local' }];
  }
}

async function* chunks(
  full: Json,
  object: string,
  delta: ((choice: Json) => Json) | null,
): AsyncIterable<Json> {
  const base = { id: full['id'], object, created: full['created'], model: full['model'] };
  for (const choice of full['choices'] as Json[]) {
    const index = choice['index'];
    if (delta) {
      // The logprobs (top_logprobs included) ride with the content, so a streaming reader (deepconf's
      // online mode) sees every token's distribution.
      yield {
        ...base,
        choices: [{ index, delta: delta(choice), finish_reason: null, logprobs: choice['logprobs'] ?? null }],
      };
      yield {
        ...base,
        choices: [{ index, delta: {}, finish_reason: choice['finish_reason'], logprobs: null }],
      };
    } else {
      yield {
        ...base,
        choices: [{ index, text: choice['text'], finish_reason: choice['finish_reason'], logprobs: null }],
      };
    }
  }
  yield { ...base, choices: [], usage: full['usage'] };
}
