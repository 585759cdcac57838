// In-process text generation with a causal LM through @huggingface/transformers, so `bom serve`
// works with no other server. The N samples of a request are one batch (up to `maxBatch` rows per
// generate call), so each decoding step reads the weights once for all rows. One queue serialises
// model work: the machine has about one core to give. Sampling itself is ours (hooks.ts).
import { randomInt } from 'node:crypto';
import { BomError, abortError, throwIfAborted } from '../../core/index.ts';
import {
  checkModel,
  importTransformers,
  type ModelDtype,
  type ModelRole,
  modelSource,
  OnceLoader,
} from '../../models/index.ts';
import { createRng } from '../../core/index.ts';
import { SerialQueue } from '../../models/index.ts';
import { createHooks, type HookLibrary } from './hooks.ts';

export type LocalDtype = ModelDtype;

export interface LocalGeneratorOptions {
  /** A model folder, or a Hugging Face model id (downloaded once when `allowRemote`). */
  model: string;
  dtype?: LocalDtype;
  allowRemote?: boolean;
  /** Where hub downloads are kept; default: the library's cache inside node_modules. */
  cacheDir?: string;
  /**
   * ORT intra-op threads; default 1. Above 1, threads do not spin while idle: on a VM whose vCPUs share a
   * core, spinning threads halve throughput (measured on these 2-vCPU machines).
   */
  threads?: number;
  /** Rows per generate call; bounds activation and KV-cache memory. Default 8. */
  maxBatch?: number;
  /** Shared with other in-process models so they take turns on the CPU. */
  queue?: SerialQueue;
  /** Progress lines for a first-use download. */
  log?: (line: string) => void;
}

export interface ChatMessage {
  role: string;
  content: string;
}

export interface GenerateRequest {
  /** Chat turns (rendered with the model's chat template) or a raw prompt. */
  messages?: readonly ChatMessage[];
  prompt?: string;
  n: number;
  /** 0 = greedy. */
  temperature: number;
  topP: number;
  /** 0 = the whole vocabulary. */
  topK: number;
  maxTokens: number;
  /** Sample i draws from its own RNG seeded with seed + i: reproducible, and independent of batching. */
  seed?: number;
  stop?: readonly string[];
  /** Decode each token for OpenAI's `logprobs.content` (costs a decode per token). */
  tokenStrings?: boolean;
  /** Each token's k most likely alternatives with their logprobs (OpenAI's `top_logprobs`); 0 = none. */
  topLogprobs?: number;
}

export interface GeneratedSample {
  text: string;
  finishReason: 'stop' | 'length';
  completionTokens: number;
  /** Raw-model log-probability of each generated token (EOS excluded). */
  logprobs: number[];
  tokens?: string[];
  /** With `topLogprobs`: per token, the k most likely tokens (decoded) and their raw logprobs. */
  topLogprobs?: { token: string; logprob: number }[][];
}

export interface GenerateResult {
  promptTokens: number;
  samples: GeneratedSample[];
}

// Structural views of the transformers.js objects we use; its .d.ts is loose JSDoc output.
interface TensorLike {
  dims: number[];
  tolist(): bigint[][];
}
interface Tokenizer {
  (texts: string[], options: Record<string, unknown>): { input_ids: TensorLike; attention_mask: TensorLike };
  apply_chat_template(messages: ChatMessage[], options: Record<string, unknown>): unknown;
  decode(ids: bigint[] | number[], options?: Record<string, unknown>): string;
  chat_template?: string | null;
}
interface CausalLm {
  generate(options: Record<string, unknown>): Promise<TensorLike>;
  generation_config?: { eos_token_id?: number | number[] | null };
  config: { eos_token_id?: number | number[] | null; model_type?: string };
  dispose(): Promise<unknown>;
}
type Library = HookLibrary & {
  env: Record<string, unknown>;
  AutoTokenizer: { from_pretrained(id: string, o?: Record<string, unknown>): Promise<Tokenizer> };
  AutoModelForCausalLM: { from_pretrained(id: string, o?: Record<string, unknown>): Promise<CausalLm> };
};

function localModelError(message: string, cause?: unknown): BomError {
  return new BomError(message, {
    code: 'local_model_unavailable',
    type: 'server_error',
    status: 503,
    param: 'local.model',
    cause,
  });
}

const LOCAL_MODEL: ModelRole = {
  label: 'local model',
  error: localModelError,
  offlineHint: 'pass a model folder (--local-model /path) or an upstream (--upstream URL)',
};

interface Loaded {
  lib: Library;
  tokenizer: Tokenizer;
  model: CausalLm;
  eos: Set<number>;
}

/** How long a failed load is reported before a request may try again. */
const FAILED_RETRY_MS = 60_000;

export class LocalGenerator {
  readonly options: Required<Pick<LocalGeneratorOptions, 'model' | 'dtype' | 'threads' | 'maxBatch'>> &
    LocalGeneratorOptions;
  readonly #queue: SerialQueue;
  readonly #model = new OnceLoader<Loaded>(() => this.#load());
  /** The last failed load: reported as is until the cool-down passes, then the next request retries. */
  #failure: { error: BomError; at: number } | null = null;

  constructor(options: LocalGeneratorOptions) {
    this.options = { dtype: 'fp32', threads: 1, maxBatch: 8, ...options };
    this.#queue = options.queue ?? new SerialQueue();
  }

  /** A folder path is loaded as an absolute path; anything else is a hub id. */
  get source(): { kind: 'dir' | 'hub'; path: string } {
    const s = modelSource(this.options.model);
    return s.kind === 'dir' ? { kind: 'dir', path: s.dir } : { kind: 'hub', path: s.id };
  }

  get id(): string {
    return `local:${this.options.model}@${this.options.dtype}`;
  }

  /** Validates the folder before any import, so a bad path fails at start-up with the missing file. */
  check(): void {
    const { model, dtype } = this.options;
    checkModel({ model, dtype, allowRemote: this.options.allowRemote ?? false }, LOCAL_MODEL);
  }

  /** True once tokenizer and model are in memory. */
  get loaded(): boolean {
    return this.#model.loaded;
  }

  /**
   * Loads tokenizer and model once; concurrent callers share the same load. A failed load is a
   * failure (`local_model_failed`), not "still loading": it is reported to every request at once, and
   * retried only after `FAILED_RETRY_MS` (the operator may have fixed the folder or the network).
   */
  load(): Promise<Loaded> {
    const f = this.#failure;
    if (f && Date.now() - f.at < FAILED_RETRY_MS) return Promise.reject(f.error);
    return this.#model.get().then(
      (loaded) => {
        this.#failure = null;
        return loaded;
      },
      (err: unknown) => {
        const error =
          err instanceof BomError
            ? new BomError(err.message, {
                code: 'local_model_failed',
                type: 'server_error',
                status: 503,
                param: 'local.model',
                cause: err,
              })
            : localModelError(String(err), err);
        this.#failure = { error, at: Date.now() };
        throw error;
      },
    );
  }

  /** Why the last load failed, while that answer stands; null when loaded, loading or never tried. */
  get failure(): string | null {
    return this.#failure?.error.message ?? null;
  }

  async #load(): Promise<Loaded> {
    this.check();
    const lib = await importTransformers<Library>();
    const src = this.source;
    lib.env['allowLocalModels'] = true;
    lib.env['allowRemoteModels'] = src.kind === 'hub';
    if (this.options.cacheDir) lib.env['cacheDir'] = this.options.cacheDir;
    // A folder is read, not downloaded: progress lines only for hub downloads.
    const progress = src.kind === 'hub' ? this.#progressReporter() : undefined;
    const common = { progress_callback: progress, local_files_only: src.kind === 'dir' };
    try {
      const tokenizer = await lib.AutoTokenizer.from_pretrained(src.path, common);
      const model = await lib.AutoModelForCausalLM.from_pretrained(src.path, {
        ...common,
        dtype: this.options.dtype,
        device: 'cpu',
        session_options: {
          intraOpNumThreads: this.options.threads,
          ...(this.options.threads > 1 ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
        },
      });
      const eosRaw = model.generation_config?.eos_token_id ?? model.config.eos_token_id ?? [];
      const eos = new Set((Array.isArray(eosRaw) ? eosRaw : [eosRaw]).filter((x): x is number => x !== null));
      return { lib, tokenizer, model, eos };
    } catch (err) {
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw localModelError(
        src.kind === 'hub'
          ? `could not load local model "${src.path}" from the Hugging Face hub (${why}); download it elsewhere and pass its folder (--local-model /path), or use an upstream (--upstream URL)`
          : `could not load local model folder ${src.path}: ${why}`,
        err,
      );
    }
  }

  #progressReporter() {
    const log = this.options.log;
    if (!log) return undefined;
    const announced = new Set<string>();
    const lastDecile = new Map<string, number>();
    return (p: { status?: string; file?: string; loaded?: number; total?: number }) => {
      if (!p.file || p.status !== 'progress' || !p.total) return;
      if (!announced.has(p.file)) {
        announced.add(p.file);
        log(`downloading ${this.options.model}/${p.file} (${(p.total / 1e6).toFixed(1)} MB), once`);
      }
      const decile = Math.floor(((p.loaded ?? 0) / p.total) * 10);
      if (decile > (lastDecile.get(p.file) ?? 0)) {
        lastDecile.set(p.file, decile);
        log(`  ${p.file}: ${decile * 10}%`);
      }
    };
  }

  /** Renders the prompt text the model sees. */
  async promptText(req: Pick<GenerateRequest, 'messages' | 'prompt'>): Promise<string> {
    const { tokenizer } = await this.load();
    if (req.messages) {
      if (!tokenizer.chat_template) {
        return `${req.messages.map((m) => `${m.role}: ${m.content}`).join('\n')}\nassistant:`;
      }
      return tokenizer.apply_chat_template([...req.messages], {
        tokenize: false,
        add_generation_prompt: true,
      }) as string;
    }
    return req.prompt ?? '';
  }

  async generate(req: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    throwIfAborted(signal);
    const loaded = await this.load();
    const text = await this.promptText(req);
    const greedy = req.temperature <= 0;
    // Greedy decoding gives N identical samples: compute one and copy it.
    const rows = greedy ? 1 : req.n;
    const samples: GeneratedSample[] = [];
    let promptTokens = 0;
    const base = req.seed ?? randomInt(2 ** 31);
    for (let start = 0; start < rows; start += this.options.maxBatch) {
      const seeds = Array.from(
        { length: Math.min(this.options.maxBatch, rows - start) },
        (_, r) => base + start + r,
      );
      const part = await this.#queue.run(() => this.#batch(loaded, text, seeds, req, signal), signal);
      promptTokens = part.promptTokens;
      samples.push(...part.samples);
    }
    return {
      promptTokens,
      samples: greedy ? Array.from({ length: req.n }, () => ({ ...samples[0]! })) : samples,
    };
  }

  async #batch(
    { lib, tokenizer, model, eos }: Loaded,
    text: string,
    seeds: readonly number[],
    req: GenerateRequest,
    signal: AbortSignal | undefined,
  ): Promise<GenerateResult> {
    throwIfAborted(signal);
    const inputs = tokenizer(
      seeds.map(() => text),
      {
        padding: true,
        add_special_tokens: false,
      },
    );
    const promptLength = inputs.input_ids.dims[1]!;
    const hooks = createHooks(lib, {
      promptLength,
      sampling: { temperature: req.temperature, topK: req.topK, topP: req.topP },
      rngs: seeds.map((s) => createRng(s)),
      eosTokenIds: eos,
      ...(signal ? { signal } : {}),
      ...(req.topLogprobs ? { topLogprobs: req.topLogprobs } : {}),
    });
    // Top-logprob tokens repeat across steps and rows: decode each id once per batch.
    const decoded = new Map<number, string>();
    const decodeOne = (id: number) => {
      let t = decoded.get(id);
      if (t === undefined) {
        t = tokenizer.decode([id], { skip_special_tokens: false });
        decoded.set(id, t);
      }
      return t;
    };
    const output = await model.generate({
      ...inputs,
      // Our processor has already drawn each row's token and made it the maximum; the library's greedy
      // pick (linear) takes it. The model's own generation_config (Qwen ships repetition_penalty 1.1,
      // top_k 20, …) must not touch the logits first, or the reported logprobs would not be the model's.
      do_sample: false,
      repetition_penalty: 1,
      no_repeat_ngram_size: 0,
      min_length: 0,
      min_new_tokens: null,
      max_new_tokens: req.maxTokens,
      logits_processor: [hooks.processor],
      stopping_criteria: [hooks.criterion],
    });
    if (hooks.aborted()) throw abortError(signal!);
    const sequences = output.tolist();
    const samples = sequences.map((seq, r) => {
      const trace = hooks.rows[r]!;
      const generated = seq.slice(promptLength);
      const ended = trace.eosAt >= 0;
      const kept = ended ? generated.slice(0, trace.eosAt) : generated.slice(0, req.maxTokens);
      let sampleText = tokenizer.decode(kept, { skip_special_tokens: true });
      let finishReason: GeneratedSample['finishReason'] = ended ? 'stop' : 'length';
      const cut = firstStop(sampleText, req.stop);
      if (cut >= 0) {
        sampleText = sampleText.slice(0, cut);
        finishReason = 'stop';
      }
      const sample: GeneratedSample = {
        text: sampleText,
        finishReason,
        completionTokens: kept.length,
        logprobs: trace.logprobs.slice(0, kept.length),
      };
      if (req.tokenStrings)
        sample.tokens = kept.map((id) => tokenizer.decode([id], { skip_special_tokens: false }));
      if (trace.top) {
        sample.topLogprobs = trace.top
          .slice(0, kept.length)
          .map((step) => step.ids.map((id, j) => ({ token: decodeOne(id), logprob: step.logprobs[j]! })));
      }
      return sample;
    });
    return { promptTokens: promptLength, samples };
  }

  async close(): Promise<void> {
    await this.#model.reset((loaded) => loaded.model.dispose());
  }
}

function firstStop(text: string, stop: readonly string[] | undefined): number {
  let best = -1;
  for (const s of stop ?? []) {
    if (s === '') continue;
    const i = text.indexOf(s);
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best;
}
