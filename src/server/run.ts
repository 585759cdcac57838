// One prompt's selection: fan out, enforce the quorum, run the pipeline. Shared by chat and completions,
// streaming or not.
import { getStrategy, parseStrategyOptions } from '../../strategies/index.ts';
import { abortError, BomError } from '../core/index.ts';
import {
  adaptiveSettings,
  criterionOf,
  onlineRule,
  type PipelineResult,
  runPipeline,
} from '../selection/index.ts';
import { type AdaptiveOutcome, adaptiveMetrics, sampleAdaptively } from './adaptive.ts';
import { type OnlineOutcome, onlineMetrics, sampleOnline } from './online.ts';
import type { ScorePrompt } from '../reward/index.ts';
import { ConfidenceScorer, type Scorer } from '../reward/index.ts';
import { type Endpoint, type FanOutResult, fanOut } from '../upstream/index.ts';
import type { Json } from '../upstream/index.ts';
import type { AppState } from './deps.ts';
import { type ErrorReply, quorumErrorReply } from './errors.ts';
import type { SelectionPlan } from './request.ts';

/** An error that already knows its HTTP reply. */
export class ReplyError extends Error {
  constructor(readonly reply: ErrorReply) {
    super(reply.body.error.message);
  }
}

export interface SelectRun {
  fan: FanOutResult;
  result: PipelineResult;
  /** The scorer as the client names it (`selection.scorer`), when the strategy could score. */
  scorerId: string | null;
  samplingMs: number;
  /** Set when the request sampled adaptively (`selection.adaptive`). */
  adaptive?: AdaptiveOutcome;
  /** Set when deepconf ran online (`selection.warmup`): warm-up, threshold, aborted traces. */
  online?: OnlineOutcome;
}

/**
 * Resolves the scorer a plan needs (null for strategies that never score); 400 when it is unknown.
 * A strategy that fixes its own scorer from its options (deepconf: trace confidence with this
 * request's variant and window) gets that scorer, built for the request; `selection.scorer` is then
 * not consulted.
 */
export function scorerFor(state: AppState, plan: SelectionPlan): Scorer | null {
  if (plan.strategy === 'none' || getStrategy(plan.strategy).rewards === 'none') return null;
  const spec = getStrategy(plan.strategy).scorerSpec({ ...plan.options, k: plan.k });
  if (spec) return new ConfidenceScorer(spec);
  const scorer = state.scorers.get(plan.scorer);
  if (!scorer) {
    throw new BomError(
      `Unknown scorer '${plan.scorer}'; this server has: ${state.scorers.ids().join(', ') || 'none'}`,
      { code: 'unknown_scorer', param: 'selection.scorer' },
    );
  }
  return scorer;
}

export function quorumNeeded(state: AppState, requested: number): number {
  return Math.max(1, Math.ceil(state.config.upstream.quorum * requested - 1e-9));
}

export async function sampleAndSelect(
  state: AppState,
  args: {
    endpoint: Endpoint;
    body: Json;
    plan: SelectionPlan;
    scorer: Scorer | null;
    prompt: ScorePrompt;
    signal: AbortSignal;
    onSample?: (done: number, total: number, note?: string) => void;
    /** For the prompt/response log line (`log.prompts`). */
    requestId?: string;
  },
): Promise<SelectRun> {
  const { metrics } = state;
  const { plan } = args;
  const t0 = performance.now();
  const strategy = getStrategy(plan.strategy);
  const parsedOptions = parseStrategyOptions({ ...plan.options, k: plan.k });
  const criterion = criterionOf(strategy, parsedOptions);
  const settings = adaptiveSettings(parsedOptions.adaptive, criterion);
  const fanout = {
    upstream: state.upstream,
    endpoint: args.endpoint,
    body: args.body,
    settings: state.config.upstream,
    modes: state.modes,
    signal: args.signal,
    onCall: ({ ok, ms, mode }: { ok: boolean; ms: number; mode: string }) =>
      metrics.upstreamSeconds.observe({ outcome: ok ? 'ok' : 'error', mode }, ms / 1000),
  };
  let adaptive: AdaptiveOutcome | undefined;
  let online: OnlineOutcome | undefined;
  let fan: FanOutResult;
  // deepconf's online mode streams chat samples (completions keep the offline rule).
  const rule = onlineRule(strategy, parsedOptions);
  if (rule && args.endpoint === 'chat') {
    online = await sampleOnline({
      rule,
      fanout,
      samples: plan.samples,
      k: plan.k,
      strategy,
      options: parsedOptions,
      answers: state.answers,
      adaptive: settings ? { criterion, settings } : undefined,
      ...(args.onSample ? { onProgress: args.onSample } : {}),
    });
    fan = online.fan;
    const aborted = online.meta['aborted'];
    if (typeof aborted === 'number' && aborted > 0) {
      const c = onlineMetrics(metrics.registry);
      c.aborted.inc({ strategy: plan.strategy }, aborted);
      const tokens = online.meta['aborted_tokens'];
      if (typeof tokens === 'number') c.tokens.inc({ strategy: plan.strategy }, tokens);
    }
  } else if (settings) {
    adaptive = await sampleAdaptively({
      fanout,
      samples: plan.samples,
      k: plan.k,
      strategy,
      options: parsedOptions,
      criterion,
      settings,
      answers: state.answers,
      scorer: args.scorer,
      prompt: args.prompt,
      ...(args.onSample ? { onProgress: args.onSample } : {}),
    });
    fan = adaptive.waves;
    const counters = adaptiveMetrics(metrics.registry);
    const saved = adaptive.waves.stopped ? plan.samples - fan.samples.length : 0;
    counters.stops.inc({ strategy: plan.strategy, outcome: adaptive.waves.stopped ? 'early' : 'budget' });
    if (saved > 0) counters.saved.inc({ strategy: plan.strategy }, saved);
  } else {
    fan = await fanOut({
      ...fanout,
      samples: plan.samples,
      ...(args.onSample ? { onSample: args.onSample } : {}),
    });
  }
  const samplingMs = performance.now() - t0;
  metrics.samples.inc({ outcome: 'requested' }, fan.requested);
  metrics.samples.inc({ outcome: 'succeeded' }, fan.samples.length);
  metrics.samples.inc({ outcome: 'failed' }, fan.failures.length);
  if (fan.nFallback) metrics.nFallbacks.inc();
  // Node's server aborts with a string reason; only an Error reaches Hono's error funnel.
  if (args.signal.aborted) throw abortError(args.signal);

  // Adaptive and online runs: the quorum is of the samples attempted (and not aborted) before the stop.
  const needed = quorumNeeded(
    state,
    adaptive || online ? fan.samples.length + fan.failures.length : fan.requested,
  );
  if (fan.samples.length < needed) {
    metrics.quorumFailures.inc();
    throw new ReplyError(quorumErrorReply(fan, needed));
  }
  const result = await runPipeline({
    samples: fan.samples,
    prompt: args.prompt,
    strategy,
    // Online: the final vote filters by the warm-up threshold (the traces it did not stop).
    options: {
      ...plan.options,
      k: plan.k,
      ...(online?.threshold != null && plan.options.threshold === undefined
        ? { threshold: online.threshold }
        : {}),
    },
    answers: state.answers,
    scorer: args.scorer,
    signal: args.signal,
    ...(adaptive ? { scores: adaptive.scores } : {}),
  });
  metrics.selectionSeconds.observe(
    { strategy: plan.strategy },
    (result.timings.extract_ms + result.timings.select_ms) / 1000,
  );
  const scorerId = args.scorer ? (strategy.scorerSpec(parsedOptions) ? args.scorer.id : plan.scorer) : null;
  if (args.scorer && result.scored > 0)
    metrics.scoringSeconds.observe({ scorer: scorerId ?? plan.scorer }, result.timings.score_ms / 1000);
  metrics.clusters.observe(result.clustering.clusters.length);
  for (const reason of result.clustering.degraded ?? []) metrics.clusterDegraded.inc({ reason });
  const first = result.selection.chosen[0];
  if (first) metrics.winnerShare.observe({ strategy: plan.strategy }, first.frequency);
  if (result.selection.fallback) metrics.fallbacks.inc({ strategy: plan.strategy });
  // Prompts and answers can be personal data: they reach the logs only when the operator opts in.
  if (state.config.log.prompts) {
    state.logger.info(
      {
        requestId: args.requestId,
        prompt: args.prompt,
        responses: result.selection.chosen.map((c) => fan.samples[c.representative]?.text ?? ''),
      },
      'selection texts',
    );
  }
  return {
    fan,
    result,
    scorerId,
    samplingMs,
    ...(adaptive ? { adaptive } : {}),
    ...(online ? { online } : {}),
  };
}
