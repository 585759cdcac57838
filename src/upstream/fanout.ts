// Fan-out of one request into N samples: one upstream call with n=N when the upstream
// honours it, else parallel n=1 calls under a concurrency cap; the mode that works is remembered per
// model. Retries with backoff on 429/5xx inside the overall deadline; a per-call timeout; the client's
// signal aborts everything in flight.
import { contentText } from './content.ts';
import {
  abortError,
  roundConfidence,
  type Sample,
  tokenConfidence,
  tokenSelfCertainty,
} from '../core/index.ts';
import { normaliseUpstreamError } from './errors.ts';
import { timeoutSignal } from './timeout-signal.ts';
import { type Json, type Upstream, UpstreamError } from './types.ts';

export type Endpoint = 'chat' | 'completion';
export type NMode = 'n' | 'parallel';

/** A sample plus the raw upstream choice it came from (the response returns it verbatim). */
export interface UpstreamSample extends Sample {
  readonly choice: Json;
}

export interface SampleFailure {
  readonly index: number;
  readonly error: UpstreamError;
}

export interface CallUsage {
  /** Fan-out indices this call produced. */
  readonly samples: readonly number[];
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
}

export interface FanOutResult {
  readonly requested: number;
  /** Successful samples, in fan-out index order. */
  readonly samples: readonly UpstreamSample[];
  readonly failures: readonly SampleFailure[];
  readonly calls: readonly CallUsage[];
  readonly mode: NMode;
  /** True when this request discovered that the upstream does not honour `n`. */
  readonly nFallback: boolean;
  /** Model name and fingerprint reported by the upstream (first successful call). */
  readonly model: string | null;
  readonly systemFingerprint: string | null;
}

export interface FanOutSettings {
  nMode: 'auto' | NMode;
  concurrency: number;
  retries: number;
  retryBaseMs: number;
  sampleTimeoutMs: number;
  deadlineMs: number;
}

export interface FanOutRequest {
  upstream: Upstream;
  endpoint: Endpoint;
  /** The body to send, without `n`/`stream`; vendor fields included. */
  body: Json;
  samples: number;
  /**
   * The fan-out indices to draw (default 0..samples-1), one per sample: sample i is sent with
   * `seed + i`. `bom sample` tops up a partial pool with only its missing indices, so a resumed run
   * sends the seeds an uninterrupted one would have. With a seed and indices other than 0..k-1 the
   * samples go one by one (an `n` call cannot say which seeds its choices stand for).
   */
  indices?: readonly number[];
  settings: FanOutSettings;
  /** Which mode works, per upstream model; shared across requests. */
  modes: Map<string, NMode>;
  /** The client's signal: disconnect aborts every call in flight. */
  signal: AbortSignal;
  onSample?: (done: number, total: number) => void;
  /** Each sample or failure as it lands (the adaptive wave loop applies its stopping rule to them). */
  onResult?: (result: UpstreamSample | SampleFailure) => void;
  onCall?: (info: { ok: boolean; ms: number; mode: NMode }) => void;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * The top logprobs of each token, when the upstream sent them: chat `logprobs.content[t].top_logprobs`
 * ([{token, logprob}]), completions `logprobs.top_logprobs` ([{token: logprob}]). Null when no token
 * carries a non-empty list (the upstream ignored `top_logprobs`, or it was not asked).
 */
export function topLogprobsOf(endpoint: Endpoint, choice: Json): number[][] | null {
  const lp = choice['logprobs'] as Json | null | undefined;
  if (!lp || typeof lp !== 'object') return null;
  let lists: number[][];
  if (endpoint === 'chat') {
    const content = lp['content'];
    if (!Array.isArray(content)) return null;
    lists = content.map((t) => {
      const top = (t as Json | null)?.['top_logprobs'];
      return Array.isArray(top) ? top.flatMap((e) => num((e as Json | null)?.['logprob']) ?? []) : [];
    });
  } else {
    const top = lp['top_logprobs'];
    if (!Array.isArray(top)) return null;
    lists = top.map((d) =>
      d && typeof d === 'object' ? Object.values(d as Json).flatMap((v) => num(v) ?? []) : [],
    );
  }
  return lists.some((l) => l.length > 0) ? lists : null;
}

/** Reads one upstream choice into a Sample (chat message or completion text). */
export function toSample(endpoint: Endpoint, choice: Json, index: number): UpstreamSample {
  const finish = (choice['finish_reason'] ?? null) as string | null;
  let text = '';
  let reasoning: string | undefined;
  let logprobs: number[] | undefined;
  if (endpoint === 'chat') {
    const message = (choice['message'] ?? {}) as Json;
    text = contentText(message['content']);
    const r = message['reasoning_content'] ?? message['reasoning'];
    if (typeof r === 'string') reasoning = r;
    const lp = (choice['logprobs'] as Json | null)?.['content'];
    if (Array.isArray(lp)) logprobs = lp.map((t) => num((t as Json)['logprob']) ?? 0);
  } else {
    text = typeof choice['text'] === 'string' ? choice['text'] : '';
    const lp = (choice['logprobs'] as Json | null)?.['token_logprobs'];
    if (Array.isArray(lp)) logprobs = lp.map((v) => num(v) ?? 0);
  }
  // C_t once, here, for every confidence computation downstream; a token without a list (the first
  // token of some servers' completions) falls back to its own logprob as a one-entry list.
  const top = topLogprobsOf(endpoint, choice);
  const lists = top?.map((l, t) => (l.length > 0 ? l : logprobs?.[t] !== undefined ? [logprobs[t]!] : []));
  const usable = lists?.filter((l) => l.length > 0);
  return {
    index,
    text,
    finishReason: finish,
    choice,
    ...(reasoning !== undefined ? { reasoning } : {}),
    ...(logprobs ? { logprobs } : {}),
    ...(usable && usable.length > 0
      ? {
          // To 1e-6 nats: far below any threshold's resolution, and it makes a replayed C_t (served as
          // k entries of −C_t, whose mean carries float noise) equal the recorded one exactly.
          tokenConfidence: roundConfidence(usable.map(tokenConfidence), 6),
          tokenSelfCertainty: roundConfidence(usable.map(tokenSelfCertainty), 6),
        }
      : {}),
  };
}

function usageOf(res: Json): { prompt: number; completion: number } {
  const u = (res['usage'] ?? {}) as Json;
  return { prompt: num(u['prompt_tokens']) ?? 0, completion: num(u['completion_tokens']) ?? 0 };
}

/** An upstream that refuses `n` answers 400/422 (llama.cpp: "Only one completion choice is allowed"). */
function looksLikeNRejection(err: UpstreamError): boolean {
  return err.kind === 'status' && (err.status === 400 || err.status === 422);
}

export async function fanOut(req: FanOutRequest): Promise<FanOutResult> {
  const { upstream, endpoint, settings, samples: total } = req;
  const model = typeof req.body['model'] === 'string' ? req.body['model'] : '';
  const deadlineTimer = timeoutSignal(req.signal, settings.deadlineMs);
  const deadline = deadlineTimer.signal;
  const deadlineAt = performance.now() + settings.deadlineMs;
  const slots: (UpstreamSample | SampleFailure | undefined)[] = new Array(total).fill(undefined);
  const calls: CallUsage[] = [];
  let done = 0;
  let upstreamModel: string | null = null;
  let fingerprint: string | null = null;
  const seed = num(req.body['seed']);
  // Slot p holds fan-out index at[p]; the identity unless a caller tops up chosen indices.
  const at = req.indices ?? Array.from({ length: total }, (_, i) => i);
  if (at.length !== total) throw new Error(`fanOut: ${at.length} indices for ${total} samples`);
  const prefix = at.every((v, p) => v === p);

  const send = endpoint === 'chat' ? upstream.chat.bind(upstream) : upstream.completion.bind(upstream);

  /** One upstream call with retries; resolves to the response or rejects with the last UpstreamError. */
  async function callWithRetry(body: Json, mode: NMode): Promise<Json> {
    let attempt = 0;
    for (;;) {
      const call = timeoutSignal(deadline, settings.sampleTimeoutMs);
      const signal = call.signal;
      const started = performance.now();
      try {
        const res = await send(body, { signal });
        call.dispose();
        req.onCall?.({ ok: true, ms: performance.now() - started, mode });
        upstreamModel ??= typeof res['model'] === 'string' ? res['model'] : null;
        fingerprint ??= typeof res['system_fingerprint'] === 'string' ? res['system_fingerprint'] : null;
        return res;
      } catch (raw) {
        call.dispose();
        req.onCall?.({ ok: false, ms: performance.now() - started, mode });
        const err = normaliseUpstreamError(raw, signal);
        if (deadline.aborted) throw new UpstreamError('deadline passed', { kind: 'aborted' });
        if (!err.retryable || attempt >= settings.retries) throw err;
        const wait = err.retryAfterMs ?? settings.retryBaseMs * 2 ** attempt;
        // An upstream that asks for more time than the deadline has left (429 with retry-after: 3600)
        // cannot be waited out: fail now with its status and hint, not with a 504 at the deadline.
        if (err.retryAfterMs !== null && performance.now() + wait >= deadlineAt) throw err;
        try {
          await sleep(wait, deadline);
        } catch {
          throw new UpstreamError('deadline passed', { kind: 'aborted' });
        }
        attempt++;
      }
    }
  }

  function record(first: number, res: Json, count: number) {
    const choices = Array.isArray(res['choices']) ? (res['choices'] as Json[]) : [];
    const got: number[] = [];
    // Upstreams may order choices by completion time; their `index` says which is which.
    const ordered = [...choices].sort((a, b) => (num(a['index']) ?? 0) - (num(b['index']) ?? 0));
    for (const choice of ordered.slice(0, count)) {
      const slot = first + got.length;
      const index = at[slot]!;
      slots[slot] = toSample(endpoint, choice, index);
      req.onResult?.(slots[slot]!);
      got.push(index);
      done++;
      req.onSample?.(done, total);
    }
    const u = usageOf(res);
    calls.push({ samples: got, prompt_tokens: u.prompt, completion_tokens: u.completion });
    return got.length;
  }

  async function single(slot: number): Promise<void> {
    const index = at[slot]!;
    const body: Json = { ...req.body };
    if (seed !== undefined) body['seed'] = seed + index;
    try {
      const res = await callWithRetry(body, 'parallel');
      if (record(slot, res, 1) === 0) {
        slots[slot] = {
          index,
          error: new UpstreamError('upstream returned no choices', { kind: 'status' }),
        };
        req.onResult?.(slots[slot]!);
      }
    } catch (err) {
      slots[slot] = { index, error: normaliseUpstreamError(err) };
      req.onResult?.(slots[slot]!);
    }
  }

  async function parallel(indices: number[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < indices.length && !deadline.aborted) {
        const i = indices[next++]!;
        await single(i);
      }
    };
    await Promise.all(Array.from({ length: Math.min(settings.concurrency, indices.length) }, worker));
  }

  let mode: NMode = settings.nMode === 'auto' ? (req.modes.get(model) ?? 'n') : settings.nMode;
  let nFallback = false;
  if (total === 1 || (seed !== undefined && !prefix)) mode = 'parallel';

  if (mode === 'n') {
    try {
      const got = record(0, await callWithRetry({ ...req.body, n: total }, 'n'), total);
      if (got < total && settings.nMode === 'auto') {
        // Fewer choices than asked: the upstream ignores n. Top up in parallel and remember.
        req.modes.set(model, 'parallel');
        nFallback = true;
        mode = 'parallel';
        await parallel(Array.from({ length: total - got }, (_, j) => got + j));
      }
    } catch (raw) {
      const err = normaliseUpstreamError(raw);
      if (settings.nMode === 'auto' && looksLikeNRejection(err)) {
        // Probe with one n=1 call: if it succeeds the upstream rejects n, else the request itself is bad.
        await single(0);
        if ('choice' in (slots[0] ?? {})) {
          req.modes.set(model, 'parallel');
          nFallback = true;
          mode = 'parallel';
          await parallel(Array.from({ length: total - 1 }, (_, j) => j + 1));
        } else {
          // The n=1 probe failed too: the request is at fault, not `n`; every sample shares that error.
          const probe = slots[0] as SampleFailure | undefined;
          for (let p = 0; p < total; p++) slots[p] = { index: at[p]!, error: probe?.error ?? err };
        }
      } else {
        for (let p = 0; p < total; p++) slots[p] = { index: at[p]!, error: err };
      }
    }
  } else {
    await parallel(Array.from({ length: total }, (_, i) => i));
  }

  deadlineTimer.dispose();
  const samples: UpstreamSample[] = [];
  const failures: SampleFailure[] = [];
  slots.forEach((s, slot) => {
    if (s === undefined) {
      failures.push({
        index: at[slot]!,
        error: new UpstreamError('deadline passed before this sample ran', { kind: 'aborted' }),
      });
    } else if ('choice' in s) samples.push(s);
    else failures.push(s);
  });
  return {
    requested: total,
    samples,
    failures,
    calls,
    mode,
    nFallback,
    model: upstreamModel,
    systemFingerprint: fingerprint,
  };
}
