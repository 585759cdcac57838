// Generation hooks for transformers.js's generate(): the library samples, we observe and steer.
//  - top-p: transformers.js 4.3 has no TopPLogitsWarper, so the first custom processor applies it;
//  - logprobs: the same processor records each row's log-softmax of the *raw* model logits (the
//    temperature warper ran before it, so multiplying by T undoes it); the stopping criterion, which
//    runs right after sampling, looks up the token each row drew — OpenAI's `logprobs` semantics;
//  - stopping: transformers.js stops only when every row's *last* token is EOS at the same step, so a
//    finished row keeps generating; we mark rows done for good at their first EOS and end the batch
//    when all are done, or at once when the request's signal aborts.

/** The slice of transformers.js's API the hooks touch (the module is imported lazily). */
export interface HookLibrary {
  LogitsProcessor: new () => object;
  StoppingCriteria: new () => object;
}

interface LogitsLike {
  data: Float32Array;
  dims: number[];
}

export interface RowTrace {
  /** Log-probability of each generated token under the raw model distribution. */
  logprobs: number[];
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

export function createHooks(
  lib: HookLibrary,
  options: {
    rows: number;
    promptLength: number;
    temperature: number;
    topP: number;
    eosTokenIds: ReadonlySet<number>;
    signal?: AbortSignal;
  },
): GenerationHooks {
  const rows: RowTrace[] = Array.from({ length: options.rows }, () => ({ logprobs: [], eosAt: -1 }));
  // Per row: raw logits and their log-sum-exp at the current step, read back after sampling.
  let stepLogits: Float32Array | null = null;
  let stepLse: Float64Array | null = null;
  let vocab = 0;
  let stopped = false;

  class ObserveAndTopP extends (lib.LogitsProcessor as new () => object) {
    _call(_inputIds: bigint[][], logits: LogitsLike): LogitsLike {
      vocab = logits.dims.at(-1)!;
      const n = logits.data.length / vocab;
      const scale = options.temperature > 0 ? options.temperature : 1;
      stepLogits = new Float32Array(logits.data.length);
      stepLse = new Float64Array(n);
      for (let r = 0; r < n; r++) {
        const off = r * vocab;
        let max = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < vocab; i++) {
          const raw = logits.data[off + i]! * scale;
          stepLogits[off + i] = raw;
          if (raw > max) max = raw;
        }
        let sum = 0;
        for (let i = 0; i < vocab; i++) sum += Math.exp(stepLogits[off + i]! - max);
        stepLse[r] = max + Math.log(sum);
        if (options.topP < 1) applyTopP(logits.data, off, vocab, options.topP);
      }
      return logits;
    }
  }

  class StickyStop extends (lib.StoppingCriteria as new () => object) {
    _call(inputIds: bigint[][]): boolean[] {
      const done = inputIds.map((ids, r) => {
        const row = rows[r]!;
        if (row.eosAt >= 0) return true;
        const token = Number(ids[ids.length - 1]);
        const lp = stepLogits && stepLse ? stepLogits[r * vocab + token]! - stepLse[r]! : Number.NaN;
        row.logprobs.push(lp);
        if (options.eosTokenIds.has(token)) row.eosAt = ids.length - 1 - options.promptLength;
        return row.eosAt >= 0;
      });
      if (options.signal?.aborted) stopped = true;
      return stopped || done.every(Boolean) ? done.map(() => true) : done;
    }
  }

  return { processor: new ObserveAndTopP(), criterion: new StickyStop(), rows, aborted: () => stopped };
}

/**
 * Sets every logit outside the smallest set of tokens with cumulative probability ≥ p to −∞.
 * Only tokens within 18.4 nats of the best (weight > 1e-8) are sorted: the rest carry at most
 * vocab·1e-8 of the mass (0.0015 for a 152k vocabulary), so sorting the whole vocabulary every step
 * would cost milliseconds for nothing.
 */
export function applyTopP(data: Float32Array, offset: number, vocab: number, p: number): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < vocab; i++) if (data[offset + i]! > max) max = data[offset + i]!;
  const floor = max - 18.4;
  const candidates: number[] = [];
  let total = 0;
  for (let i = 0; i < vocab; i++) {
    const x = data[offset + i]!;
    if (x >= floor) {
      candidates.push(i);
      total += Math.exp(x - max);
    }
  }
  candidates.sort((a, b) => data[offset + b]! - data[offset + a]!);
  const keep = new Set<number>();
  let cumulative = 0;
  for (const i of candidates) {
    keep.add(i);
    cumulative += Math.exp(data[offset + i]! - max) / total;
    if (cumulative >= p) break;
  }
  for (let i = 0; i < vocab; i++) if (!keep.has(i)) data[offset + i] = Number.NEGATIVE_INFINITY;
}
