// Drawing in waves for adaptive sampling, on top of fanOut: a first wave of `first` samples, then
// waves of `batch`, until a caller's rule says stop or N are drawn. Samples are handed to `decide` in
// fan-out index order (a later sample that lands first waits for the earlier ones), so the rule reads
// a prefix of the samples a fixed run draws, in the same order: with a seed, sample i is sent with
// seed + i whatever wave it falls in (fanOut sends waves after the first one by one when seeded).
// When the rule stops, the calls still in flight are aborted (the upstream sees the abort) and no
// further wave starts.
import {
  type FanOutRequest,
  type FanOutResult,
  fanOut,
  type SampleFailure,
  type UpstreamSample,
} from './fanout.ts';

export interface WaveRequest extends Omit<FanOutRequest, 'indices' | 'onResult'> {
  /** N: the most samples to draw. */
  samples: number;
  /** Size of the first wave (the rule cannot stop before min_samples anyway). */
  first: number;
  /** Size of each later wave. */
  batch: number;
  /**
   * Called once per successful sample, in index order, with every successful sample so far (the
   * prefix); resolves true to stop. Calls are serialised: the next waits for the previous.
   */
  decide: (prefix: readonly UpstreamSample[]) => Promise<boolean>;
}

export interface WaveResult extends FanOutResult {
  /** Successful samples received, including those that landed after the stop (billed, not used). */
  readonly drawn: number;
  /** Samples of the stopping wave that the stop aborted in flight or kept from starting. */
  readonly cancelled: number;
  /** True when `decide` stopped the run before N samples were drawn. */
  readonly stopped: boolean;
  readonly waves: number;
}

class Stopped extends Error {
  constructor() {
    super('adaptive sampling stopped: the answer is decided');
    this.name = 'Stopped';
  }
}

export async function drawInWaves(req: WaveRequest): Promise<WaveResult> {
  const total = req.samples;
  const settled = new Map<number, UpstreamSample | SampleFailure>();
  const used: UpstreamSample[] = [];
  const failures: SampleFailure[] = [];
  const calls: FanOutResult['calls'][number][] = [];
  let cursor = 0;
  let stopped = false;
  let stopIndex = total;
  let drawn = 0;
  let cancelled = 0;
  let waves = 0;
  let mode: FanOutResult['mode'] = 'parallel';
  let nFallback = false;
  let model: string | null = null;
  let fingerprint: string | null = null;
  let wave: AbortController | null = null;
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const started = performance.now();

  // Consumes settled results in index order; a failed sample is skipped (it neither votes nor counts).
  const advance = async () => {
    while (!stopped && failure === null && settled.has(cursor)) {
      const r = settled.get(cursor)!;
      cursor++;
      if ('choice' in r) {
        used.push(r);
        try {
          if (await req.decide(used)) {
            stopped = cursor < total;
            stopIndex = cursor;
            if (stopped) wave?.abort(new Stopped());
          }
        } catch (err) {
          failure = err;
          wave?.abort(err);
        }
      } else failures.push(r);
    }
  };
  const land = (r: UpstreamSample | SampleFailure) => {
    if ('choice' in r) drawn++;
    if (settled.has(r.index)) return;
    settled.set(r.index, r);
    chain = chain.then(advance);
  };
  const onClientAbort = () => wave?.abort(req.signal.reason);
  req.signal.addEventListener('abort', onClientAbort, { once: true });

  try {
    for (let start = 0; start < total && !stopped && failure === null && !req.signal.aborted; ) {
      const size = Math.min(waves === 0 ? Math.max(1, req.first) : Math.max(1, req.batch), total - start);
      const indices = Array.from({ length: size }, (_, j) => start + j);
      wave = new AbortController();
      const remaining = Math.max(1, req.settings.deadlineMs - (performance.now() - started));
      const fan = await fanOut({
        ...req,
        samples: size,
        indices,
        settings: { ...req.settings, deadlineMs: remaining },
        signal: wave.signal,
        onResult: land,
      });
      waves++;
      // Results fanOut settled without reporting them one by one (a whole n call failing, the deadline).
      for (const f of fan.failures) if (!settled.has(f.index)) land(f);
      await chain;
      calls.push(...fan.calls);
      if (waves === 1) mode = fan.mode;
      nFallback ||= fan.nFallback;
      model ??= fan.model;
      fingerprint ??= fan.systemFingerprint;
      start += size;
    }
    await chain;
  } finally {
    req.signal.removeEventListener('abort', onClientAbort);
  }
  if (failure !== null) throw failure;

  // Past the stop: what was cancelled (aborted in flight) is not a failure of the request.
  const kept: SampleFailure[] = [];
  for (const f of failures) if (f.index < stopIndex) kept.push(f);
  for (const [index, r] of settled) if (index >= stopIndex && !('choice' in r)) cancelled++;
  return {
    requested: total,
    samples: used,
    failures: kept,
    calls,
    mode,
    nFallback,
    model,
    systemFingerprint: fingerprint,
    drawn,
    cancelled,
    stopped,
    waves,
  };
}
