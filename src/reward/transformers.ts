// In-process reward model through @huggingface/transformers 4.x (the maintained successor of
// @xenova/transformers, whose sharp dependency downloads libvips at install). Why each choice:
// - the reward is the raw logit of the 1-label head: `pipeline('text-classification')` softmaxes
//   one logit into 1.0 for every text, so we call the model and read `logits` ourselves;
// - encoders (bert, deberta-v2, roberta, …) load as *ForSequenceClassification; decoders (qwen3,
//   llama, …) have no such class in transformers.js, so their `logits [B,1]` exports load through
//   AutoModel, whose decoder forward builds position_ids from the attention mask;
// - one intra-op thread by default (2 threads with spinning halve throughput on these machines)
//   and a serial queue in front of the model;
// - the library is imported lazily, on `ready()` or the first `score()`.
//
// Input: the tokenizer's chat template when it has one (prompt turns + the response as the
// assistant turn, rendered as text, tokenized without adding special tokens a second time), else
// the (prompt, response) text pair with the tokenizer's own special tokens.
// Truncation: an input longer than `maxTokens` keeps its first token ([CLS]/BOS) and its last
// maxTokens-1 tokens. The prompt is therefore cut first, from its start, then the response from its
// start; the end of the response (final answer, end-of-turn token where decoders read the score)
// always survives.
import { BomError, throwIfAborted } from '../core/index.ts';
import {
  checkModel,
  importTransformers,
  type ModelRole,
  modelSource,
  OnceLoader,
  SerialQueue,
} from '../models/index.ts';
import {
  type ScorePrompt,
  type ScoreResponse,
  type Scorer,
  chatMessages,
  checkScores,
  promptText,
  responseText,
} from './scorer.ts';

/** transformers.js 4.3 architectures with a *ForSequenceClassification class (registry.js). */
const ENCODER_TYPES = new Set([
  'bert',
  'eurobert',
  'neobert',
  'modernbert',
  'roformer',
  'electra',
  'esm',
  'convbert',
  'camembert',
  'deberta',
  'deberta-v2',
  'mpnet',
  'albert',
  'distilbert',
  'roberta',
  'xlm',
  'xlm-roberta',
  'bart',
  'mbart',
  'mobilebert',
  'squeezebert',
]);

export interface TransformersScorerOptions {
  /** A model folder (absolute or relative path) or, with `allowRemote`, a Hugging Face model id. */
  model: string;
  /** Which ONNX file: fp32 `onnx/model.onnx` (default) or q8 `onnx/model_quantized.onnx`. */
  dtype?: 'fp32' | 'q8';
  /** Fetch from the hub when `model` is not a folder; default false (nothing is ever fetched). */
  allowRemote?: boolean;
  /** Where hub downloads are cached (transformers.js default: inside its package folder). */
  cacheDir?: string | undefined;
  /** ORT intra-op threads; default 1. */
  threads?: number;
  /** Token budget per input; default min(tokenizer model_max_length, max_position_embeddings, 8192), else 512. */
  maxTokens?: number | undefined;
  /** `auto` (default): encoder when config.model_type has a sequence-classification class, else decoder. */
  architecture?: 'auto' | 'encoder' | 'decoder';
  /** `auto` (default): `chat` when the tokenizer has a chat template, else `pair`. */
  input?: 'auto' | 'chat' | 'pair';
  /** Inputs per forward pass; default 1 (batching does not help on CPU and costs memory). */
  batchSize?: number;
  /**
   * The queue forward passes wait in. Pass the process-wide one (`cpuQueue` in src/models) so this
   * model takes turns with every other model run in the process; default: a queue of its own.
   */
  queue?: SerialQueue;
}

// Structural views of the few transformers.js objects we touch (its .d.ts is generated from JSDoc
// and loose; these keep our code strict).
interface Encoded {
  input_ids: number[];
  attention_mask: number[];
  token_type_ids?: number[];
}
interface Tok {
  (text: string, options: Record<string, unknown>): Encoded;
  chat_template?: unknown;
  model_max_length?: number;
  pad_token_id?: number;
  apply_chat_template(messages: unknown[], options: { tokenize: false }): string;
}
interface TensorLike {
  dims: number[];
  data: ArrayLike<number>;
}
interface Model {
  (inputs: Record<string, unknown>): Promise<{ logits?: TensorLike }>;
  dispose(): Promise<unknown>;
}
type TensorCtor = new (type: 'int64', data: BigInt64Array, dims: number[]) => unknown;

interface Loaded {
  tokenizer: Tok;
  model: Model;
  Tensor: TensorCtor;
  decoder: boolean;
  chat: boolean;
  maxTokens: number;
  padId: number;
}

function failure(message: string, cause?: unknown): BomError {
  return new BomError(message, { code: 'reward_failed', type: 'server_error', status: 500, cause });
}

function invalidModel(message: string, cause?: unknown): BomError {
  return new BomError(message, {
    code: 'reward_model_invalid',
    type: 'server_error',
    status: 500,
    param: 'reward.model',
    cause,
  });
}

const REWARD_MODEL: ModelRole = {
  label: 'reward model',
  error: invalidModel,
  offlineHint: 'give a model folder, or set allowRemote in the scorer config',
};

/** The folder check plus what only a reward model needs: a 1-label head. */
function checkRewardModel(o: TransformersScorerOptions) {
  const checked = checkModel(
    { model: o.model, dtype: o.dtype ?? 'fp32', allowRemote: o.allowRemote ?? false },
    REWARD_MODEL,
  );
  const config = checked.config;
  if (config && checked.source.kind === 'dir') {
    const labels = config.num_labels ?? (config.id2label ? Object.keys(config.id2label).length : 1);
    if (labels !== 1) {
      throw invalidModel(
        `reward model ${checked.source.dir} has ${labels} labels; a reward model has a 1-label head (config.json id2label)`,
      );
    }
  }
  return checked;
}

export class TransformersScorer implements Scorer {
  readonly id: string;
  readonly #o: TransformersScorerOptions;
  readonly #queue: SerialQueue;
  readonly #model = new OnceLoader(() => this.#doLoad());
  #closed = false;

  constructor(options: TransformersScorerOptions) {
    this.#o = options;
    this.#queue = options.queue ?? new SerialQueue();
    // A folder by its absolute path: `./rm` from two working directories is two models, and `bom score`
    // reuses a store's rewards when the scorer id matches.
    const source = modelSource(options.model);
    const where = source.kind === 'dir' ? source.dir : source.id;
    const parts = [`transformers:${where}@${options.dtype ?? 'fp32'}`];
    if (options.maxTokens !== undefined) parts.push(`max${options.maxTokens}`);
    if (options.input && options.input !== 'auto') parts.push(options.input);
    if (options.architecture && options.architecture !== 'auto') parts.push(options.architecture);
    this.id = parts.join(':');
  }

  /** Queue length, for metrics. */
  get pending(): number {
    return this.#queue.pending;
  }

  /** The folder's files and head, without loading anything (start-up). */
  check(): void {
    checkRewardModel(this.#o);
  }

  /** Loads and validates the model (folder files, output shape) with one warm-up input. */
  async ready(): Promise<void> {
    const loaded = await this.#load();
    const out = await this.#forward(loaded, [this.#encode(loaded, { prompt: 'ok' }, 'ok')]);
    if (out.length !== 1) throw failure('reward model warm-up returned no score');
  }

  async score(
    prompt: ScorePrompt,
    responses: readonly ScoreResponse[],
    signal?: AbortSignal,
  ): Promise<number[]> {
    throwIfAborted(signal);
    if (this.#closed) throw failure(`reward scorer ${this.id} is closed`);
    if (responses.length === 0) return [];
    const loaded = await this.#load();
    throwIfAborted(signal);
    return this.#queue.run(async () => {
      const batch = Math.max(1, this.#o.batchSize ?? 1);
      const out: number[] = [];
      for (let i = 0; i < responses.length; i += batch) {
        // A forward pass cannot be interrupted; an abort takes effect between passes.
        throwIfAborted(signal);
        const encoded = responses
          .slice(i, i + batch)
          .map((r) => this.#encode(loaded, prompt, responseText(r)));
        out.push(...(await this.#forward(loaded, encoded)));
      }
      return out;
    }, signal);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#model.reset((loaded) => loaded.model.dispose());
  }

  /** A failed load is reported to every caller but retried on the next call (the folder may be fixed). */
  #load(): Promise<Loaded> {
    return this.#model.get();
  }

  async #doLoad(): Promise<Loaded> {
    const o = this.#o;
    const dtype = o.dtype ?? 'fp32';
    const { source, config } = checkRewardModel(o);
    const where = source.kind === 'dir' ? source.dir : source.id;

    const tf = await importTransformers<typeof import('@huggingface/transformers')>();
    const loadOptions = {
      local_files_only: source.kind === 'dir' || !o.allowRemote,
      ...(o.cacheDir === undefined ? {} : { cache_dir: o.cacheDir }),
    };
    let tokenizer: Tok;
    try {
      tokenizer = (await tf.AutoTokenizer.from_pretrained(where, loadOptions)) as unknown as Tok;
    } catch (err) {
      throw invalidModel(`reward model ${where}: tokenizer failed to load: ${(err as Error).message}`, err);
    }
    const modelType = config?.model_type ?? '';
    const decoder =
      o.architecture === 'decoder' ||
      (o.architecture !== 'encoder' && config !== undefined && !ENCODER_TYPES.has(modelType));
    const modelOptions = {
      ...loadOptions,
      dtype,
      device: 'cpu' as const,
      session_options: { intraOpNumThreads: o.threads ?? 1, interOpNumThreads: 1 },
    };
    let model: Model;
    try {
      const cls = decoder ? tf.AutoModel : tf.AutoModelForSequenceClassification;
      model = (await cls.from_pretrained(where, modelOptions)) as unknown as Model;
    } catch (err) {
      throw invalidModel(`reward model ${where} (${dtype}) failed to load: ${(err as Error).message}`, err);
    }
    const chat = o.input === 'chat' || (o.input !== 'pair' && tokenizer.chat_template != null);
    const limits = [tokenizer.model_max_length, config?.max_position_embeddings, 8192].filter(
      (x): x is number => typeof x === 'number' && x > 0 && x < 1e6,
    );
    const maxTokens = o.maxTokens ?? (limits.length > 1 ? Math.min(...limits) : 512);
    return {
      tokenizer,
      model,
      Tensor: tf.Tensor as unknown as TensorCtor,
      decoder,
      chat,
      maxTokens,
      padId: tokenizer.pad_token_id ?? 0,
    };
  }

  #encode(l: Loaded, prompt: ScorePrompt, response: string): Encoded {
    let enc: Encoded;
    if (l.chat) {
      const text = l.tokenizer.apply_chat_template(chatMessages(prompt, response), { tokenize: false });
      // The rendered template already holds BOS/turn markers: adding special tokens would double them.
      enc = l.tokenizer(text, { add_special_tokens: false, return_tensor: false });
    } else {
      enc = l.tokenizer(promptText(prompt), { text_pair: response, return_tensor: false });
    }
    return truncate(enc, l.maxTokens);
  }

  async #forward(l: Loaded, batch: Encoded[]): Promise<number[]> {
    const len = Math.max(...batch.map((e) => e.input_ids.length));
    const n = batch.length;
    const ids = new BigInt64Array(n * len).fill(BigInt(l.padId));
    const mask = new BigInt64Array(n * len);
    const types = batch[0]?.token_type_ids ? new BigInt64Array(n * len) : undefined;
    batch.forEach((e, b) => {
      // Decoders read the score at the last position: pad on the left so it is a real token.
      const offset = b * len + (l.decoder ? len - e.input_ids.length : 0);
      e.input_ids.forEach((id, j) => {
        ids[offset + j] = BigInt(id);
        mask[offset + j] = BigInt(e.attention_mask[j] ?? 1);
        if (types) types[offset + j] = BigInt(e.token_type_ids?.[j] ?? 0);
      });
    });
    const inputs: Record<string, unknown> = {
      input_ids: new l.Tensor('int64', ids, [n, len]),
      attention_mask: new l.Tensor('int64', mask, [n, len]),
    };
    if (types && !l.decoder) inputs.token_type_ids = new l.Tensor('int64', types, [n, len]);
    let logits: TensorLike | undefined;
    try {
      logits = (await l.model(inputs)).logits;
    } catch (err) {
      throw failure(`reward model ${this.#o.model} failed: ${(err as Error).message}`, err);
    }
    if (logits?.dims.length !== 2 || logits.dims[0] !== n || logits.dims[1] !== 1) {
      throw new BomError(
        `reward model ${this.#o.model} returned logits of shape [${logits?.dims.join(', ') ?? 'none'}]; a reward model must output logits [batch, 1] (a 1-label head)`,
        { code: 'reward_model_invalid', type: 'server_error', status: 500, param: 'reward.model' },
      );
    }
    // The raw logit, never an activation (see the header); a NaN or infinite one (an overflow in the
    // graph) is an error, not a score.
    return checkScores(this.id, n, Array.from(logits.data, Number));
  }
}

/** Keeps the first token and the last `max - 1` (see the header for why). */
export function truncate(e: Encoded, max: number): Encoded {
  if (e.input_ids.length <= max) return e;
  const cut = <T>(xs: T[]): T[] => [...xs.slice(0, 1), ...xs.slice(xs.length - (max - 1))];
  return {
    input_ids: cut(e.input_ids),
    attention_mask: cut(e.attention_mask),
    ...(e.token_type_ids ? { token_type_ids: cut(e.token_type_ids) } : {}),
  };
}
