// Streaming per-sample draws for online early termination (deepconf's online mode, docs/confidence.md):
// a sibling of the wave loop (waves.ts). Each sample is its own streaming chat call (n = 1, seed + i,
// `logprobs` with `top_logprobs`), read chunk by chunk; a caller's watcher sees every token's top
// logprobs as they arrive and may abort that sample (its tokens so far are billed, it does not vote).
// Samples are handed to `decide` in index order, as in the wave loop; when it says stop, every stream
// still running is aborted and no further sample starts.
import { normaliseUpstreamError } from './errors.ts';
import { type FanOutResult, type SampleFailure, toSample, type UpstreamSample } from './fanout.ts';
import { timeoutSignal } from './timeout-signal.ts';
import { type Json, type Upstream, UpstreamError } from './types.ts';

export interface StreamedRequest {
  upstream: Upstream;
  /** The chat body, without `n`/`stream`; `logprobs`/`top_logprobs` set by the caller. */
  body: Json;
  /** Fan-out indices to draw, in order (sample i is sent seed + i). */
  indices: readonly number[];
  concurrency: number;
  sampleTimeoutMs: number;
  /** The whole draw's deadline: samples still streaming then fail (kind `aborted`). */
  deadlineMs: number;
  signal: AbortSignal;
  /**
   * Called per token of sample `index` with that token's top logprobs; returns true to abort the
   * sample (it is then reported in `aborted`, not as a sample or a failure).
   */
  onToken: (index: number, topLogprobs: readonly number[]) => boolean;
  /** Called once per finished sample, in index order, with every finished sample so far; true = stop. */
  decide: (done: readonly UpstreamSample[]) => Promise<boolean> | boolean;
  /** Prompt tokens billed per call when a stopped stream never reported usage (from earlier calls). */
  promptTokens?: number;
}

export interface AbortedSample {
  readonly index: number;
  /** Completion tokens received before the abort (billed). */
  readonly tokens: number;
  /** Why: the watcher's abort, or the stop of the whole draw. */
  readonly by: 'confidence' | 'stop';
}

export interface StreamedResult {
  readonly samples: readonly UpstreamSample[];
  readonly failures: readonly SampleFailure[];
  readonly aborted: readonly AbortedSample[];
  readonly calls: FanOutResult['calls'];
  /** True when `decide` stopped the draw before every index was drawn. */
  readonly stopped: boolean;
  /** Indices never started because of the stop. */
  readonly notStarted: number;
  readonly model: string | null;
  readonly systemFingerprint: string | null;
}

class Stop extends Error {
  constructor(readonly by: 'confidence' | 'stop') {
    super(by === 'confidence' ? 'stopped: confidence fell below the threshold' : 'stopped: decided');
    this.name = 'Stop';
  }
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export async function drawStreamed(req: StreamedRequest): Promise<StreamedResult> {
  const all = new AbortController();
  const deadline = timeoutSignal(req.signal, req.deadlineMs);
  const onClient = () => all.abort(deadline.signal.reason);
  if (deadline.signal.aborted) all.abort(deadline.signal.reason);
  deadline.signal.addEventListener('abort', onClient, { once: true });
  const settled = new Map<number, UpstreamSample | SampleFailure | AbortedSample>();
  const samples: UpstreamSample[] = [];
  const failures: SampleFailure[] = [];
  const aborted: AbortedSample[] = [];
  const calls: FanOutResult['calls'][number][] = [];
  let model: string | null = null;
  let fingerprint: string | null = null;
  let stopped = false;
  let started = 0;
  let cursor = 0;
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const seed = num(req.body['seed']);

  const advance = async () => {
    while (!stopped && failure === null && cursor < req.indices.length && settled.has(req.indices[cursor]!)) {
      const r = settled.get(req.indices[cursor]!)!;
      cursor++;
      if ('choice' in r) {
        samples.push(r);
        try {
          if (await req.decide(samples)) {
            stopped = cursor < req.indices.length;
            if (stopped) all.abort(new Stop('stop'));
          }
        } catch (err) {
          failure = err;
          all.abort(err);
        }
      }
    }
  };
  const land = (index: number, r: UpstreamSample | SampleFailure | AbortedSample) => {
    settled.set(index, r);
    chain = chain.then(advance);
  };

  async function one(index: number): Promise<void> {
    const mine = new AbortController();
    const onAll = () => mine.abort(all.signal.reason);
    all.signal.addEventListener('abort', onAll, { once: true });
    const call = timeoutSignal(mine.signal, req.sampleTimeoutMs);
    const body: Json = { ...req.body, stream: true, stream_options: { include_usage: true } };
    if (seed !== undefined) body['seed'] = seed + index;
    let text = '';
    let reasoning = '';
    let finish: string | null = null;
    const content: Json[] = [];
    let usage: { prompt: number; completion: number } | null = null;
    try {
      const stream = await req.upstream.chatStream(body, { signal: call.signal });
      for await (const chunk of stream) {
        model ??= typeof chunk['model'] === 'string' ? chunk['model'] : null;
        fingerprint ??= typeof chunk['system_fingerprint'] === 'string' ? chunk['system_fingerprint'] : null;
        const u = chunk['usage'] as Json | null | undefined;
        if (u && typeof u === 'object')
          usage = { prompt: num(u['prompt_tokens']) ?? 0, completion: num(u['completion_tokens']) ?? 0 };
        for (const c of (Array.isArray(chunk['choices']) ? chunk['choices'] : []) as Json[]) {
          const delta = (c['delta'] ?? {}) as Json;
          if (typeof delta['content'] === 'string') text += delta['content'];
          const r = delta['reasoning_content'] ?? delta['reasoning'];
          if (typeof r === 'string') reasoning += r;
          if (typeof c['finish_reason'] === 'string') finish = c['finish_reason'];
          const tokens = (c['logprobs'] as Json | null | undefined)?.['content'];
          if (!Array.isArray(tokens)) continue;
          for (const t of tokens as Json[]) {
            content.push(t);
            const top = Array.isArray(t['top_logprobs'])
              ? (t['top_logprobs'] as Json[]).flatMap((e) => num(e['logprob']) ?? [])
              : [];
            if (top.length > 0 && req.onToken(index, top)) {
              mine.abort(new Stop('confidence'));
              throw new Stop('confidence');
            }
          }
        }
      }
      const choice: Json = {
        index: 0,
        message: {
          role: 'assistant',
          content: text,
          ...(reasoning !== '' ? { reasoning_content: reasoning } : {}),
        },
        finish_reason: finish ?? 'stop',
        logprobs: content.length > 0 ? { content } : null,
      };
      calls.push({
        samples: [index],
        prompt_tokens: usage?.prompt ?? req.promptTokens ?? 0,
        completion_tokens: usage?.completion ?? content.length,
      });
      land(index, toSample('chat', choice, index));
    } catch (raw) {
      const reason = mine.signal.aborted ? mine.signal.reason : raw;
      if (reason instanceof Stop) {
        // Billed: what the upstream generated before the abort (the tokens we saw).
        calls.push({ samples: [], prompt_tokens: req.promptTokens ?? 0, completion_tokens: content.length });
        land(index, { index, tokens: content.length, by: reason.by });
        aborted.push({ index, tokens: content.length, by: reason.by });
      } else {
        land(index, { index, error: normaliseUpstreamError(raw, call.signal) });
        failures.push(settled.get(index) as SampleFailure);
      }
    } finally {
      call.dispose();
      all.signal.removeEventListener('abort', onAll);
    }
  }

  let next = 0;
  const worker = async () => {
    while (next < req.indices.length && !all.signal.aborted) {
      const index = req.indices[next++]!;
      started++;
      await one(index);
      // Let the decisions this sample made possible run before starting another (a stop starts none).
      await chain;
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(Math.max(1, req.concurrency), req.indices.length) }, worker),
    );
    await chain;
  } finally {
    deadline.signal.removeEventListener('abort', onClient);
    deadline.dispose();
  }
  if (failure !== null) throw failure;
  if (req.signal.aborted) throw new UpstreamError('client went away', { kind: 'aborted' });
  return {
    samples,
    failures,
    aborted: aborted.sort((a, b) => a.index - b.index),
    calls,
    stopped,
    notStarted: req.indices.length - started,
    model,
    systemFingerprint: fingerprint,
  };
}
