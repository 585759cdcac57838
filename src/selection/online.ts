// deepconf's online rule (docs/confidence.md), pure: the warm-up threshold, where a trace is cut, and
// when sampling stops. The server's streaming loop (src/server/online.ts) and `bom eval`'s online arms
// (eval/grid.ts `onlineTrial`) both call it, on samples in draw order, so they stop the same traces and
// choose the same (test/selection/parity.test.ts).
import type { Strategy, StrategyOptions } from '../../strategies/index.ts';
import {
  CONFIDENCE_DEFAULTS,
  type Clustering,
  type ConfidenceScorerSpec,
  keepThreshold,
  traceConfidence,
  WindowTracker,
} from '../core/index.ts';
import { type AdaptiveSettings, type Criterion, decideStop } from './adaptive.ts';

/** DeepConf's consensus stop: the leader holds at least this share of the kept vote weight. */
export const ONLINE_CONSENSUS = 0.95;
/** DeepConf's warm-up: 16 traces. */
export const DEFAULT_WARMUP = 16;

export interface OnlineRule {
  readonly warmup: number;
  readonly keep: number;
  readonly window: number;
  /** How the final vote (and the consensus weights) read a trace: the request's variant. */
  readonly spec: ConfidenceScorerSpec;
}

/** The online rule a request's options stand for, or null (no `warmup`, or a strategy without a confidence scorer). */
export function onlineRule(strategy: Strategy, options: StrategyOptions): OnlineRule | null {
  const spec = strategy.scorerSpec(options);
  if (options.warmup === undefined || !spec) return null;
  return {
    warmup: options.warmup,
    keep: options.keep ?? 90,
    window: options.window ?? CONFIDENCE_DEFAULTS.window,
    spec,
  };
}

/**
 * The threshold from the warm-up traces' token confidences: the (100 − keep)-th percentile of their
 * lowest-window confidence (the quantity the stop compares, window by window). Null when none carries
 * token confidences.
 */
export function warmupThreshold(
  traces: readonly (readonly number[] | undefined)[],
  rule: OnlineRule,
): number | null {
  const lowest = traces
    .filter((t): t is readonly number[] => t !== undefined && t.length > 0)
    .map((t) => traceConfidence(t, { variant: 'lowest-window', window: rule.window }));
  return lowest.length === 0 ? null : keepThreshold(lowest, rule.keep);
}

/**
 * Where a trace is cut: the number of tokens read when the first full window's mean fell below the
 * threshold (its tokens so far are spent), or -1 when it never does (traces shorter than the window
 * never are). The streaming loop does the same token by token with a WindowTracker.
 */
export function cutPoint(tokens: readonly number[], threshold: number, window: number): number {
  const t = new WindowTracker(window);
  for (let i = 0; i < tokens.length; i++) {
    const m = t.push(tokens[i]!);
    if (m !== null && m < threshold) return i + 1;
  }
  return -1;
}

export interface OnlineState {
  /** The votes of the kept traces so far (warm-up and finished ones), members are sample ids. */
  readonly clustering: Clustering;
  /** Sample ids in draw order. */
  readonly order: ArrayLike<number>;
  /** A sample's trace confidence (the request's variant); NaN when it has none. */
  readonly confidence: (id: number) => number;
  readonly threshold: number;
  readonly budget: number;
  readonly k: number;
}

/**
 * Whether to stop drawing: the leader's share of the confidence weight of traces at or above the
 * threshold reaches 0.95 (k = 1), or — with `adaptive` — the adaptive rule on the summed confidences
 * decides. Either stop ends the draw.
 */
export function onlineStop(
  state: OnlineState,
  adaptive?: { criterion: Criterion; settings: AdaptiveSettings },
): { stop: boolean; reason: string | null } {
  let sum = 0;
  let best = 0;
  let leader: string | null = null;
  for (const c of state.clustering.clusters) {
    if (c.key === null) continue;
    let w = 0;
    for (const m of c.members) {
      const x = state.confidence(m);
      if (x >= state.threshold) w += x;
    }
    sum += w;
    if (w > best) {
      best = w;
      leader = c.answer;
    }
  }
  const share = sum > 0 ? best / sum : 0;
  if (state.k === 1 && share >= ONLINE_CONSENSUS) {
    return {
      stop: true,
      reason: `consensus: ${leader} holds ${Math.round(share * 1000) / 1000} of the kept confidence weight (≥ ${ONLINE_CONSENSUS})`,
    };
  }
  if (adaptive) {
    const d = decideStop(
      {
        clustering: state.clustering,
        order: state.order,
        budget: state.budget,
        k: state.k,
        reward: (id) => {
          const x = state.confidence(id);
          return Number.isNaN(x) ? undefined : x;
        },
      },
      adaptive.criterion,
      adaptive.settings,
    );
    if (d.stop && d.early) return { stop: true, reason: `adaptive: ${d.reason}` };
  }
  return { stop: false, reason: null };
}
