// One prompt's selection: fan out, enforce the quorum, run the pipeline. Shared by chat and completions,
// streaming or not.
import { getStrategy } from '../../strategies/index.ts';
import { BomError } from '../core/index.ts';
import { type PipelineResult, runPipeline } from '../selection/index.ts';
import type { ScorePrompt } from '../reward/index.ts';
import type { Scorer } from '../reward/index.ts';
import { type Endpoint, type FanOutResult, fanOut } from '../upstream/fanout.ts';
import type { Json } from '../upstream/types.ts';
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
}

/** Resolves the scorer a plan needs (null for strategies that never score); 400 when it is unknown. */
export function scorerFor(state: AppState, plan: SelectionPlan): Scorer | null {
  if (plan.strategy === 'none' || getStrategy(plan.strategy).rewards === 'none') return null;
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
    onSample?: (done: number, total: number) => void;
    /** For the prompt/response log line (`log.prompts`). */
    requestId?: string;
  },
): Promise<SelectRun> {
  const { metrics } = state;
  const { plan } = args;
  const t0 = performance.now();
  const fan = await fanOut({
    upstream: state.upstream,
    endpoint: args.endpoint,
    body: args.body,
    samples: plan.samples,
    settings: state.config.upstream,
    modes: state.modes,
    signal: args.signal,
    ...(args.onSample ? { onSample: args.onSample } : {}),
    onCall: ({ ok, ms, mode }) =>
      metrics.upstreamSeconds.observe({ outcome: ok ? 'ok' : 'error', mode }, ms / 1000),
  });
  const samplingMs = performance.now() - t0;
  metrics.samples.inc({ outcome: 'requested' }, fan.requested);
  metrics.samples.inc({ outcome: 'succeeded' }, fan.samples.length);
  metrics.samples.inc({ outcome: 'failed' }, fan.failures.length);
  if (fan.nFallback) metrics.nFallbacks.inc();
  if (args.signal.aborted) throw args.signal.reason ?? new Error('client went away');

  const needed = quorumNeeded(state, fan.requested);
  if (fan.samples.length < needed) {
    metrics.quorumFailures.inc();
    throw new ReplyError(quorumErrorReply(fan, needed));
  }
  const result = await runPipeline({
    samples: fan.samples,
    prompt: args.prompt,
    strategy: getStrategy(plan.strategy),
    options: { ...plan.options, k: plan.k },
    answers: state.answers,
    scorer: args.scorer,
    signal: args.signal,
  });
  metrics.selectionSeconds.observe(
    { strategy: plan.strategy },
    (result.timings.extract_ms + result.timings.select_ms) / 1000,
  );
  if (args.scorer && result.scored > 0)
    metrics.scoringSeconds.observe({ scorer: plan.scorer }, result.timings.score_ms / 1000);
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
  return { fan, result, scorerId: args.scorer ? plan.scorer : null, samplingMs };
}
