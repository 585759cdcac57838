// Generation hooks for transformers.js's generate(): the library runs the model and the KV cache; we
// sample. transformers.js 4.3 has no top-p, sorts the whole vocabulary when top-k is off (152k
// entries per row per step for Qwen), and draws from one global RNG. So the last logits processor
// draws each row's token itself — temperature, top-k, top-p, a seeded RNG per sample (seed + i, as
// the server's fan-out promises) — records the token's log-probability under the *raw* model
// distribution (OpenAI's `logprobs` semantics), and forces the library's greedy pick onto it.
// The stopping criterion marks a row done for good at its first EOS (the library only stops when
// every row's last token is EOS at the same step) and ends the batch at once when the signal aborts.
import type { Rng } from '../../core/index.ts';

/** The slice of transformers.js's API the hooks touch (the module is imported lazily). */
export interface HookLibrary {
  LogitsProcessor: new () => object;
  StoppingCriteria: new () => object;
}

interface LogitsLike {
  data: Float32Array;
  dims: number[];
}

export interface Sampling {
  /** 0 = greedy. */
  temperature: number;
  /** 0 = no limit. */
  topK: number;
  topP: number;
}

export interface RowTrace {
  /** Log-probability of each generated token under the raw model distribution. */
  logprobs: number[];
  /**
   * When `topLogprobs` > 0: each step's k most likely tokens under the raw distribution (ids and
   * logprobs, best first) — what OpenAI's `top_logprobs` returns, and what C_t is computed from.
   */
  top?: { ids: number[]; logprobs: number[] }[];
  /** Index of the first EOS among generated tokens, or -1 while still running. */
  eosAt: number;
}

export interface GenerationHooks {
  readonly processor: object;
  readonly criterion: object;
  readonly rows: RowTrace[];
  /** True when generation ended because the signal aborted. */
  aborted(): boolean;
}

/** Tokens further than this below the best (after temperature) carry < 1e-8 of its weight each. */
const NEGLIGIBLE = -18.4;

export function createHooks(
  lib: HookLibrary,
  options: {
    promptLength: number;
    sampling: Sampling;
    /** One generator per row; rows are independent samples. */
    rngs: readonly Rng[];
    eosTokenIds: ReadonlySet<number>;
    signal?: AbortSignal;
    /** Record each step's top-k logprobs (0 = none). */
    topLogprobs?: number;
  },
): GenerationHooks {
  const topK = options.topLogprobs ?? 0;
  const rows: RowTrace[] = options.rngs.map(() => ({
    logprobs: [],
    eosAt: -1,
    ...(topK > 0 ? { top: [] } : {}),
  }));
  const firstEos = [...options.eosTokenIds][0] ?? 0;
  let stopped = false;

  class SampleAndRecord extends (lib.LogitsProcessor as new () => object) {
    _call(_inputIds: bigint[][], logits: LogitsLike): LogitsLike {
      const vocab = logits.dims.at(-1)!;
      const data = logits.data;
      for (let r = 0; r < rows.length; r++) {
        const off = r * vocab;
        const row = rows[r]!;
        // A finished row keeps riding along in the batch: keep it quiet and cheap.
        const token = row.eosAt >= 0 ? firstEos : this.#draw(data, off, vocab, r, row);
        data[off + token] = Number.POSITIVE_INFINITY;
      }
      return logits;
    }

    #draw(data: Float32Array, off: number, vocab: number, r: number, row: RowTrace): number {
      let max = Number.NEGATIVE_INFINITY;
      let argmax = 0;
      for (let i = 0; i < vocab; i++) {
        if (data[off + i]! > max) {
          max = data[off + i]!;
          argmax = i;
        }
      }
      let sum = 0;
      for (let i = 0; i < vocab; i++) sum += Math.exp(data[off + i]! - max);
      const lse = max + Math.log(sum);
      const token =
        options.sampling.temperature <= 0
          ? argmax
          : sampleToken(data, off, vocab, max, options.sampling, options.rngs[r]!);
      row.logprobs.push(data[off + token]! - lse);
      if (row.top) {
        const best = topIndices(data, off, vocab, topK);
        row.top.push({ ids: best, logprobs: best.map((i) => data[off + i]! - lse) });
      }
      return token;
    }
  }

  class StickyStop extends (lib.StoppingCriteria as new () => object) {
    _call(inputIds: bigint[][]): boolean[] {
      const done = inputIds.map((ids, r) => {
        const row = rows[r]!;
        if (row.eosAt < 0 && options.eosTokenIds.has(Number(ids[ids.length - 1]))) {
          row.eosAt = ids.length - 1 - options.promptLength;
        }
        return row.eosAt >= 0;
      });
      if (options.signal?.aborted) stopped = true;
      return stopped || done.every(Boolean) ? done.map(() => true) : done;
    }
  }

  return { processor: new SampleAndRecord(), criterion: new StickyStop(), rows, aborted: () => stopped };
}

/**
 * The k largest entries of one logits row, best first (ties: lower id first). One pass with a small
 * sorted buffer: most entries are rejected by one comparison with the current k-th best.
 */
export function topIndices(data: Float32Array, offset: number, vocab: number, k: number): number[] {
  const ids: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < vocab; i++) {
    const v = data[offset + i]!;
    if (ids.length === k && v <= vals[k - 1]!) continue;
    let j = ids.length === k ? k - 1 : ids.length;
    while (j > 0 && vals[j - 1]! < v) {
      vals[j] = vals[j - 1]!;
      ids[j] = ids[j - 1]!;
      j--;
    }
    vals[j] = v;
    ids[j] = i;
  }
  return ids.slice(0, k);
}

/**
 * Draws one token from softmax(logits / T), restricted to the top-k and then to the smallest set with
 * cumulative probability ≥ top-p. Only tokens within 18.4 nats of the best (after temperature) are
 * candidates: the rest carry at most vocab·1e-8 of the mass. Without top-k/top-p it is two linear
 * passes and no allocation (a near-flat 152k-token row would otherwise build 152k-entry arrays);
 * only a truncated distribution sorts, and only its candidates.
 */
export function sampleToken(
  data: Float32Array,
  offset: number,
  vocab: number,
  max: number,
  sampling: Sampling,
  rng: Rng,
): number {
  const invT = 1 / sampling.temperature;
  const weight = (i: number) => {
    const z = (data[offset + i]! - max) * invT;
    return z >= NEGLIGIBLE ? Math.exp(z) : 0;
  };
  const truncated = sampling.topK > 0 || sampling.topP < 1;
  if (!truncated) {
    let total = 0;
    for (let i = 0; i < vocab; i++) total += weight(i);
    let u = rng.next() * total;
    let last = 0;
    for (let i = 0; i < vocab; i++) {
      const w = weight(i);
      if (w === 0) continue;
      last = i;
      u -= w;
      if (u < 0) return i;
    }
    return last;
  }
  const ids: number[] = [];
  for (let i = 0; i < vocab; i++) if (weight(i) > 0) ids.push(i);
  ids.sort((a, b) => data[offset + b]! - data[offset + a]!);
  let keep = sampling.topK > 0 ? Math.min(sampling.topK, ids.length) : ids.length;
  const weights = ids.slice(0, keep).map(weight);
  if (sampling.topP < 1) {
    const total = weights.reduce((a, b) => a + b, 0);
    let cumulative = 0;
    for (let n = 0; n < keep; n++) {
      cumulative += weights[n]! / total;
      if (cumulative >= sampling.topP) {
        keep = n + 1;
        break;
      }
    }
  }
  let total = 0;
  for (let n = 0; n < keep; n++) total += weights[n]!;
  let u = rng.next() * total;
  for (let n = 0; n < keep; n++) {
    u -= weights[n]!;
    if (u < 0) return ids[n]!;
  }
  return ids[keep - 1]!;
}
