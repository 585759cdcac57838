// deepconf's online mode (DeepConf, Fu et al. 2025, "online"; docs/confidence.md): `warmup` traces are
// drawn whole and set the threshold — the (100 − keep)-th percentile of their lowest-window confidence —
// then the remaining traces stream one by one (src/upstream/streamed.ts) and each is aborted as soon as a
// full window of its token confidences falls below the threshold (its tokens so far are billed; it does
// not vote). Sampling stops when the leading answer holds ≥ `consensus` of the kept confidence weight,
// or — when `adaptive` is requested too — when the adaptive rule decides (either stop ends the draw).
// The final choice is the deepconf strategy over the traces that finished, with the warm-up threshold.
import type { Strategy, StrategyOptions } from '../../strategies/index.ts';
import {
  CONFIDENCE_DEFAULTS,
  keepThreshold,
  tokenConfidence,
  traceConfidence,
  WindowTracker,
} from '../core/index.ts';
import {
  type AdaptiveSettings,
  type AnswerService,
  type Ballot,
  castVotes,
  type Criterion,
  decideStop,
  readBallot,
  truncatedPositions,
} from '../selection/index.ts';
import { type FanOutRequest, type FanOutResult, fanOut, type UpstreamSample } from '../upstream/fanout.ts';
import { type AbortedSample, drawStreamed } from '../upstream/streamed.ts';

/** DeepConf's consensus stop: the leader holds at least this share of the kept vote weight. */
export const ONLINE_CONSENSUS = 0.95;

export interface OnlineOutcome {
  readonly fan: FanOutResult;
  /** The warm-up threshold the final vote filters by (null: the warm-up carried no logprobs). */
  readonly threshold: number | null;
  readonly meta: Record<string, unknown>;
}

export interface OnlineArgs {
  fanout: Omit<FanOutRequest, 'samples' | 'indices' | 'onResult' | 'onSample'>;
  samples: number;
  k: number;
  strategy: Strategy;
  options: StrategyOptions;
  answers: AnswerService;
  /** Set when `adaptive` is requested too: its rule is a second stop. */
  adaptive?: { criterion: Criterion; settings: AdaptiveSettings } | undefined;
  onProgress?: (done: number, total: number, note: string) => void;
}

export async function sampleOnline(args: OnlineArgs): Promise<OnlineOutcome> {
  const { options } = args;
  const total = args.samples;
  const warmup = Math.min(options.warmup ?? 16, total);
  const keep = options.keep ?? 90;
  const window = options.window ?? CONFIDENCE_DEFAULTS.window;
  const spec = args.strategy.scorerSpec({ ...options });
  const conf = (s: UpstreamSample) =>
    s.tokenConfidence && s.tokenConfidence.length > 0 && spec
      ? traceConfidence(s.tokenConfidence, spec)
      : Number.NaN;

  const warm = await fanOut({ ...args.fanout, samples: warmup });
  const lowest = warm.samples
    .map((s) =>
      s.tokenConfidence?.length
        ? traceConfidence(s.tokenConfidence, { variant: 'lowest-window', window })
        : Number.NaN,
    )
    .filter((x) => !Number.isNaN(x));
  const promptTokens =
    warm.calls.length > 0
      ? Math.round(warm.calls[0]!.prompt_tokens / Math.max(1, warm.calls[0]!.samples.length))
      : 0;
  args.onProgress?.(warm.samples.length, total, 'warm-up done');

  if (lowest.length === 0 || warmup >= total) {
    // No logprobs in the warm-up (the upstream sent none): nothing to stop on. The rest is drawn
    // whole and the strategy falls back visibly (ScoresUnavailable), as without online mode.
    const rest =
      warmup < total
        ? await fanOut({ ...args.fanout, samples: total - warmup, indices: range(warmup, total) })
        : null;
    const fan = merge(warm, rest, total);
    return {
      fan,
      threshold: lowest.length === 0 ? null : keepThreshold(lowest, keep),
      meta: {
        warmup,
        threshold: lowest.length === 0 ? null : round(keepThreshold(lowest, keep)),
        streamed: 0,
        aborted: 0,
        aborted_tokens: 0,
        stopped_early: false,
        reason:
          lowest.length === 0
            ? 'the warm-up traces carried no top logprobs: no online termination'
            : 'the warm-up is the whole budget',
      },
    };
  }
  const threshold = keepThreshold(lowest, keep);

  const trackers = new Map<number, WindowTracker>();
  const ballots: Ballot[] = warm.samples.map((s) => readBallot(s, args.answers));
  const pool: UpstreamSample[] = [...warm.samples];
  let stopReason: string | null = null;

  const decideNow = (): boolean => {
    const truncated = truncatedPositions(ballots);
    const clustering = args.answers.cluster(castVotes(ballots), truncated ? { truncated } : {});
    const weights = pool.map(conf);
    let sum = 0;
    let best = 0;
    let leader: string | null = null;
    for (const c of clustering.clusters) {
      if (c.key === null) continue;
      let w = 0;
      for (const m of c.members) if (weights[m]! >= threshold) w += weights[m]!;
      sum += w;
      if (w > best) {
        best = w;
        leader = c.answer;
      }
    }
    const share = sum > 0 ? best / sum : 0;
    // The consensus stop decides one answer; for k > 1 only the budget (or the adaptive rule) stops.
    if (args.k === 1 && share >= ONLINE_CONSENSUS) {
      stopReason = `consensus: ${leader} holds ${round(share)} of the kept confidence weight (≥ ${ONLINE_CONSENSUS})`;
      return true;
    }
    if (args.adaptive) {
      const d = decideStop(
        {
          clustering,
          order: Array.from({ length: pool.length }, (_, i) => i),
          budget: total,
          k: args.k,
          reward: (p) => (Number.isNaN(weights[p]!) ? undefined : weights[p]),
        },
        args.adaptive.criterion,
        args.adaptive.settings,
      );
      if (d.stop && d.early) {
        stopReason = `adaptive: ${d.reason}`;
        return true;
      }
    }
    return false;
  };

  const streamed = await drawStreamed({
    upstream: args.fanout.upstream,
    body: args.fanout.body,
    indices: range(warmup, total),
    concurrency: args.fanout.settings.concurrency,
    sampleTimeoutMs: args.fanout.settings.sampleTimeoutMs,
    signal: args.fanout.signal,
    promptTokens,
    onToken: (index, top) => {
      let t = trackers.get(index);
      if (!t) {
        t = new WindowTracker(window);
        trackers.set(index, t);
      }
      const m = t.push(tokenConfidence(top));
      return m !== null && m < threshold;
    },
    decide: (done) => {
      const s = done[done.length - 1]!;
      pool.push(s);
      ballots.push(readBallot(s, args.answers));
      const stop = decideNow();
      args.onProgress?.(
        warm.samples.length + done.length,
        total,
        stop ? `stopped: ${stopReason}` : 'streaming',
      );
      return stop;
    },
  });

  const byConfidence = streamed.aborted.filter((a) => a.by === 'confidence');
  const fan: FanOutResult = {
    requested: total,
    samples: [...warm.samples, ...streamed.samples],
    failures: [...warm.failures, ...streamed.failures],
    calls: [...warm.calls, ...streamed.calls],
    mode: warm.mode,
    nFallback: warm.nFallback,
    model: warm.model ?? streamed.model,
    systemFingerprint: warm.systemFingerprint ?? streamed.systemFingerprint,
  };
  return {
    fan,
    threshold,
    meta: {
      warmup,
      threshold: round(threshold),
      keep,
      window,
      streamed: total - warmup - streamed.notStarted,
      aborted: byConfidence.length,
      aborted_samples: byConfidence.map((a: AbortedSample) => a.index),
      aborted_tokens: byConfidence.reduce((s, a) => s + a.tokens, 0),
      cancelled: streamed.aborted.length - byConfidence.length,
      not_started: streamed.notStarted,
      stopped_early: streamed.stopped,
      reason: stopReason ?? 'the budget ran out before a consensus',
    },
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function merge(a: FanOutResult, b: FanOutResult | null, total: number): FanOutResult {
  if (!b) return { ...a, requested: total };
  return {
    ...a,
    requested: total,
    samples: [...a.samples, ...b.samples],
    failures: [...a.failures, ...b.failures],
    calls: [...a.calls, ...b.calls],
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
