// Scorer for a remote reward server (operators with GPUs). Three wire protocols:
//   json          POST url {"prompt", "messages"?, "responses": [...], "model"?} -> {"scores": [...]}
//                 (this project's plain contract; batched)
//   vllm-score    POST url {"model", "text_1": prompt, "text_2": [...]} -> {"data": [{"index", "score"}]}
//                 (vLLM's /score for cross-encoder / 1-label classification models; batched)
//   vllm-pooling  POST url {"model", "messages": [..., assistant]} -> {"data": [{"data": x | [x] | [[...]]}]}
//                 (vLLM's /pooling for reward models; the server applies the chat template, so one
//                 request per response, run `concurrency` at a time; the last value is the reward)
// vLLM's /classify is deliberately absent: it softmaxes, and a softmax over one label is always 1.
import { BomError, abortError, throwIfAborted } from '../core/index.ts';
import { delay } from '../core/index.ts';
import { hashText } from './cache.ts';
import {
  type ScorePrompt,
  type ScoreResponse,
  type Scorer,
  chatMessages,
  promptText,
  responseText,
} from './scorer.ts';

export type HttpProtocol = 'json' | 'vllm-score' | 'vllm-pooling';

export interface HttpScorerOptions {
  /** Full endpoint URL, e.g. `http://gpu-box:8000/score`. */
  url: string;
  protocol?: HttpProtocol;
  /** Model name sent to vLLM (required by it) and included in the scorer id. */
  model?: string | undefined;
  /** Sent as `Authorization: Bearer …`. */
  apiKey?: string | undefined;
  headers?: Record<string, string> | undefined;
  /** Responses per request for batched protocols; default 16. */
  batchSize?: number;
  /** Requests in flight at once for one `score()` call; default 4. */
  concurrency?: number;
  /** Per attempt; default 30 000 ms. */
  timeoutMs?: number;
  /** Extra attempts after the first for network errors, timeouts, 408/409/429/5xx; default 2. */
  retries?: number;
  /** First backoff; doubles per attempt, with jitter, capped at 5 s; default 250 ms. */
  backoffMs?: number;
  /** Injected for tests; default global fetch. */
  fetch?: typeof fetch;
}

const RETRY_STATUSES = new Set([408, 409, 429, 500, 502, 503, 504]);

export class HttpScorer implements Scorer {
  readonly id: string;
  readonly #o: Required<Omit<HttpScorerOptions, 'model' | 'apiKey' | 'headers' | 'fetch'>> &
    Pick<HttpScorerOptions, 'model' | 'apiKey' | 'headers'>;
  readonly #fetch: typeof fetch;
  readonly #host: string;

  constructor(options: HttpScorerOptions) {
    this.#o = {
      ...options,
      protocol: options.protocol ?? 'json',
      batchSize: options.batchSize ?? 16,
      concurrency: options.concurrency ?? 4,
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: options.retries ?? 2,
      backoffMs: options.backoffMs ?? 250,
    };
    this.#fetch = options.fetch ?? fetch;
    const u = new URL(options.url);
    // Errors and ids name the server without any credentials embedded in the URL.
    this.#host = `${u.protocol}//${u.host}${u.pathname}`;
    // The query string can select the model (`?model=…`), so it is part of what the id names; it may
    // also carry a key, so the id holds a digest of it, never the text.
    const query = u.search === '' ? '' : `?${hashText(u.search).slice(0, 8)}`;
    this.id = `http:${this.#o.protocol}:${this.#host}${query}${options.model === undefined ? '' : `#${options.model}`}`;
  }

  async score(
    prompt: ScorePrompt,
    responses: readonly ScoreResponse[],
    signal?: AbortSignal,
  ): Promise<number[]> {
    throwIfAborted(signal);
    if (responses.length === 0) return [];
    const texts = responses.map(responseText);
    const per = this.#o.protocol === 'vllm-pooling' ? 1 : this.#o.batchSize;
    const batches: { start: number; texts: string[] }[] = [];
    for (let i = 0; i < texts.length; i += per) batches.push({ start: i, texts: texts.slice(i, i + per) });

    const out = new Array<number>(texts.length);
    // Siblings stop at the first failure: one error fails the call, no point finishing the rest.
    const inner = new AbortController();
    const onAbort = () => inner.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const b = batches[next++]!;
        const scores = await this.#scoreBatch(prompt, b.texts, inner.signal);
        scores.forEach((s, j) => {
          out[b.start + j] = s;
        });
      }
    };
    try {
      const workers = Array.from({ length: Math.min(this.#o.concurrency, batches.length) }, () =>
        worker().catch((err: unknown) => {
          inner.abort(err);
          throw err;
        }),
      );
      const results = await Promise.allSettled(workers);
      if (signal?.aborted) throw abortError(signal);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      return out;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #body(prompt: ScorePrompt, texts: string[]): unknown {
    const model = this.#o.model;
    switch (this.#o.protocol) {
      case 'json':
        return {
          ...(model === undefined ? {} : { model }),
          prompt: promptText(prompt),
          ...(prompt.messages ? { messages: prompt.messages } : {}),
          responses: texts,
        };
      case 'vllm-score':
        return { model, text_1: promptText(prompt), text_2: texts };
      case 'vllm-pooling':
        return { model, messages: chatMessages(prompt, texts[0]!) };
    }
  }

  async #scoreBatch(prompt: ScorePrompt, texts: string[], signal: AbortSignal): Promise<number[]> {
    const body = JSON.stringify(this.#body(prompt, texts));
    const json = await this.#post(body, signal);
    const scores = this.#parse(json, texts.length);
    if (!scores) {
      throw new BomError(
        `reward server ${this.#host} returned an unexpected body for ${texts.length} response(s) (protocol ${this.#o.protocol})`,
        { code: 'reward_bad_response', type: 'upstream_error', status: 502 },
      );
    }
    return scores;
  }

  /** The scores in request order, or null when the body does not fit the protocol. */
  #parse(json: unknown, n: number): number[] | null {
    const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
    if (this.#o.protocol === 'json') {
      const s = (json as { scores?: unknown })?.scores;
      return Array.isArray(s) && s.length === n && s.every(isNum) ? s : null;
    }
    const data = (json as { data?: unknown })?.data;
    if (!Array.isArray(data) || data.length !== n) return null;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const item = data[i] as { index?: unknown; score?: unknown; data?: unknown } | null;
      const at = item?.index == null ? i : item.index;
      const v = this.#o.protocol === 'vllm-score' ? item?.score : lastNumber(item?.data);
      // Each response's slot exactly once: a repeated or fractional index would leave another one empty.
      if (!isNum(v) || !Number.isInteger(at) || (at as number) < 0 || (at as number) >= n) return null;
      if (out[at as number] !== undefined) return null;
      out[at as number] = v;
    }
    return out;
  }

  async #post(body: string, signal: AbortSignal): Promise<unknown> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...this.#o.headers };
    if (this.#o.apiKey) headers.authorization = `Bearer ${this.#o.apiKey}`;
    let lastError: BomError | undefined;
    for (let attempt = 0; attempt <= this.#o.retries; attempt++) {
      if (attempt > 0) {
        const base = Math.min(this.#o.backoffMs * 2 ** (attempt - 1), 5000);
        await delay(base / 2 + Math.random() * (base / 2), signal);
      }
      throwIfAborted(signal);
      const timeout = AbortSignal.timeout(this.#o.timeoutMs);
      let res: Response;
      try {
        res = await this.#fetch(this.#o.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.any([signal, timeout]),
        });
      } catch (err) {
        if (signal.aborted) throw abortError(signal);
        lastError = timeout.aborted
          ? new BomError(`reward server ${this.#host} timed out after ${this.#o.timeoutMs} ms`, {
              code: 'reward_timeout',
              type: 'timeout_error',
              status: 504,
              cause: err,
            })
          : new BomError(`reward server ${this.#host} unreachable: ${(err as Error).message}`, {
              code: 'reward_unreachable',
              type: 'upstream_error',
              status: 502,
              cause: err,
            });
        continue;
      }
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        if (signal.aborted) throw abortError(signal);
        lastError = new BomError(
          `reward server ${this.#host}: reading the body failed: ${(err as Error).message}`,
          {
            code: timeout.aborted ? 'reward_timeout' : 'reward_unreachable',
            type: timeout.aborted ? 'timeout_error' : 'upstream_error',
            status: timeout.aborted ? 504 : 502,
            cause: err,
          },
        );
        continue;
      }
      if (!res.ok) {
        lastError = new BomError(
          `reward server ${this.#host} answered HTTP ${res.status}: ${text.slice(0, 200)}`,
          {
            code: 'reward_http_status',
            type: 'upstream_error',
            status: 502,
          },
        );
        if (RETRY_STATUSES.has(res.status) && res.headers.get('x-should-retry') !== 'false') continue;
        throw lastError;
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new BomError(`reward server ${this.#host} returned invalid JSON: ${text.slice(0, 200)}`, {
          code: 'reward_bad_response',
          type: 'upstream_error',
          status: 502,
        });
      }
    }
    throw lastError!;
  }
}

/** vLLM pooling returns a number, a vector, or per-token vectors: the reward is the last value. */
function lastNumber(x: unknown): unknown {
  let v = x;
  while (Array.isArray(v)) v = v[v.length - 1];
  return v;
}
