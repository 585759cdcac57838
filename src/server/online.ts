// deepconf's online mode (DeepConf, Fu et al. 2025, "online"; docs/confidence.md): `warmup` traces are
// drawn whole and set the threshold — the (100 − keep)-th percentile of their lowest-window confidence —
// then the remaining traces stream one by one (src/upstream/streamed.ts) and each is aborted as soon as a
// full window of its token confidences falls below the threshold (its tokens so far are billed; it does
// not vote). Sampling stops when the leading answer holds ≥ `consensus` of the kept confidence weight,
// or — when `adaptive` is requested too — when the adaptive rule decides (either stop ends the draw).
// The final choice is the deepconf strategy over the traces that finished, with the warm-up threshold.
import { Counter, type Registry } from 'prom-client';
import type { Strategy, StrategyOptions } from '../../strategies/index.ts';
import { tokenConfidence, traceConfidence, WindowTracker } from '../core/index.ts';
import {
  type AdaptiveSettings,
  type AnswerService,
  type Ballot,
  castVotes,
  type Criterion,
  DEFAULT_WARMUP,
  type OnlineRule,
  onlineStop,
  readBallot,
  truncatedPositions,
  warmupThreshold,
} from '../selection/index.ts';
import { type FanOutRequest, type FanOutResult, fanOut, type UpstreamSample } from '../upstream/index.ts';
import { type AbortedSample, drawStreamed } from '../upstream/index.ts';

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
  rule: OnlineRule;
  answers: AnswerService;
  /** Set when `adaptive` is requested too: its rule is a second stop. */
  adaptive?: { criterion: Criterion; settings: AdaptiveSettings } | undefined;
  onProgress?: (done: number, total: number, note: string) => void;
}

export async function sampleOnline(args: OnlineArgs): Promise<OnlineOutcome> {
  const { rule } = args;
  const total = args.samples;
  const warmup = Math.min(rule.warmup ?? DEFAULT_WARMUP, total);
  const { keep, window } = rule;
  const conf = (s: UpstreamSample) =>
    s.tokenConfidence && s.tokenConfidence.length > 0
      ? traceConfidence(s.tokenConfidence, rule.spec)
      : Number.NaN;

  const started = performance.now();
  const warm = await fanOut({ ...args.fanout, samples: warmup });
  const threshold = warmupThreshold(
    warm.samples.map((s) => s.tokenConfidence),
    rule,
  );
  const first = warm.calls[0];
  const promptTokens = first ? Math.round(first.prompt_tokens / Math.max(1, first.samples.length)) : 0;
  args.onProgress?.(warm.samples.length, total, 'warm-up done');

  const ballots: Ballot[] = warm.samples.map((s) => readBallot(s, args.answers));
  const pool: UpstreamSample[] = [...warm.samples];
  let stopReason: string | null = null;
  const decideNow = (): boolean => {
    const truncated = truncatedPositions(ballots);
    const clustering = args.answers.cluster(castVotes(ballots), truncated ? { truncated } : {});
    const weights = pool.map(conf);
    const d = onlineStop(
      {
        clustering,
        order: Array.from({ length: pool.length }, (_, i) => i),
        confidence: (p) => weights[p]!,
        threshold: threshold!,
        budget: total,
        k: args.k,
      },
      args.adaptive,
    );
    stopReason = d.reason;
    return d.stop;
  };

  if (threshold === null || warmup >= total || decideNow()) {
    // No logprobs in the warm-up (the upstream sent none): nothing to stop on, so the rest is drawn
    // whole and the strategy falls back visibly (ScoresUnavailable), as without online mode.
    const rest =
      threshold === null && warmup < total
        ? await fanOut({ ...args.fanout, samples: total - warmup, indices: range(warmup, total) })
        : null;
    return {
      fan: merge(warm, rest, total),
      threshold,
      meta: {
        warmup,
        threshold: threshold === null ? null : round(threshold),
        keep,
        window,
        streamed: 0,
        aborted: 0,
        aborted_samples: [],
        aborted_tokens: 0,
        cancelled: 0,
        not_started: threshold !== null && warmup < total ? total - warmup : 0,
        stopped_early: threshold !== null && warmup < total,
        reason:
          threshold === null
            ? 'the warm-up traces carried no top logprobs: no online termination'
            : warmup >= total
              ? 'the warm-up is the whole budget'
              : stopReason,
      },
    };
  }

  const trackers = new Map<number, WindowTracker>();
  const streamed = await drawStreamed({
    upstream: args.fanout.upstream,
    body: args.fanout.body,
    indices: range(warmup, total),
    concurrency: args.fanout.settings.concurrency,
    sampleTimeoutMs: args.fanout.settings.sampleTimeoutMs,
    deadlineMs: Math.max(1, args.fanout.settings.deadlineMs - (performance.now() - started)),
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

/** deepconf's online counters, registered once on each metrics registry. */
const counters = new WeakMap<Registry, { aborted: Counter<'strategy'>; tokens: Counter<'strategy'> }>();

export function onlineMetrics(registry: Registry) {
  let c = counters.get(registry);
  if (!c) {
    c = {
      aborted: new Counter({
        name: 'bom_online_aborted_samples_total',
        help: 'Samples deepconf online mode stopped mid-stream because a window of token confidence fell below the warm-up threshold',
        labelNames: ['strategy'],
        registers: [registry],
      }),
      tokens: new Counter({
        name: 'bom_online_aborted_tokens_total',
        help: 'Completion tokens the aborted samples had produced when they were stopped (billed, not voting)',
        labelNames: ['strategy'],
        registers: [registry],
      }),
    };
    counters.set(registry, c);
  }
  return c;
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
