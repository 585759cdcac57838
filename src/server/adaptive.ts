// One prompt's adaptive sampling: draw in waves (src/upstream/waves.ts), and after each sample, in
// fan-out order, apply the stopping rule of src/selection/adaptive.ts to the votes so far — the same
// `decideStop` that `bom eval` applies to a draw's prefix. A sample the rule (and later the strategy)
// needs a reward for is scored as it arrives, through the lazy scores the pipeline then reuses.
import { Counter, type Registry } from 'prom-client';
import type { Strategy, StrategyOptions } from '../../strategies/index.ts';
import type { Cluster } from '../core/index.ts';
import type { ScorePrompt, Scorer } from '../reward/index.ts';
import {
  type AdaptiveSettings,
  type AnswerService,
  type Ballot,
  castVotes,
  type Criterion,
  decideStop,
  type LazyScores,
  lazyScores,
  readBallot,
  type StopDecision,
  scoreTargets,
  truncatedPositions,
} from '../selection/index.ts';
import type { FanOutRequest, UpstreamSample } from '../upstream/index.ts';
import { drawInWaves, type WaveResult } from '../upstream/index.ts';

export interface AdaptiveOutcome {
  readonly settings: AdaptiveSettings;
  /** The rule's last decision (at the stop, or when the samples ran out). */
  readonly decision: StopDecision | null;
  readonly waves: WaveResult;
  /** Rewards computed while sampling, reused by the pipeline. */
  readonly scores: LazyScores;
  /** Milliseconds spent scoring while sampling. */
  readonly scoreMs: number;
}

export interface AdaptiveArgs {
  fanout: Omit<FanOutRequest, 'samples' | 'indices' | 'onResult' | 'onSample'>;
  samples: number;
  k: number;
  strategy: Strategy;
  options: StrategyOptions;
  criterion: Criterion;
  settings: AdaptiveSettings;
  answers: AnswerService;
  scorer: Scorer | null;
  prompt: ScorePrompt;
  /** Progress: samples used so far, N, and a note such as `leader 4 votes`. */
  onProgress?: (done: number, total: number, note: string) => void;
}

export async function sampleAdaptively(args: AdaptiveArgs): Promise<AdaptiveOutcome> {
  const ballots: Ballot[] = [];
  let samples: readonly UpstreamSample[] = [];
  let scoreMs = 0;
  const scores = lazyScores(async (positions, signal) => {
    if (!args.scorer) throw new Error('no scorer');
    const t = performance.now();
    try {
      return await args.scorer.score(
        args.prompt,
        positions.map((p) => samples[p]!),
        signal,
      );
    } finally {
      scoreMs += performance.now() - t;
    }
  }, args.scorer?.id);
  const rewards = new Map<number, number>();
  let decision: StopDecision | null = null;

  const decide = async (prefix: readonly UpstreamSample[]) => {
    samples = prefix;
    const t = prefix.length;
    ballots.push(readBallot(prefix[t - 1]!, args.answers));
    const truncated = truncatedPositions(ballots);
    const clustering = args.answers.cluster(castVotes(ballots), truncated ? { truncated } : {});
    if (args.criterion.kind === 'reward' && args.scorer) {
      const wanted = scoreTargets(args.criterion, clustering).filter((p) => !rewards.has(p));
      if (wanted.length > 0) {
        const batch: Cluster = {
          id: -1,
          key: null,
          answer: null,
          members: wanted,
          count: wanted.length,
          frequency: 0,
        };
        const [got] = await scores.scoreClusters([batch], args.fanout.signal);
        wanted.forEach((p, i) => {
          rewards.set(p, got![i]!);
        });
      }
    }
    decision = decideStop(
      {
        clustering,
        order: Array.from({ length: t }, (_, i) => i),
        budget: args.samples,
        k: args.k,
        reward: (p) => rewards.get(p),
      },
      args.criterion,
      args.settings,
    );
    const leader = clustering.clusters
      .filter((c) => c.key !== null)
      .reduce<Cluster | null>((best, c) => (best === null || c.count > best.count ? c : best), null);
    args.onProgress?.(
      t,
      args.samples,
      decision.stop && decision.early
        ? `stopped: ${decision.reason}`
        : `leader ${leader?.count ?? 0} vote${leader?.count === 1 ? '' : 's'}`,
    );
    return decision.stop;
  };

  const waves = await drawInWaves({
    ...args.fanout,
    samples: args.samples,
    first: Math.max(args.settings.minSamples, args.settings.batch),
    batch: args.settings.batch,
    decide,
  });
  return { settings: args.settings, decision, waves, scores, scoreMs };
}

/** The adaptive counters, registered once on each metrics registry. */
const counters = new WeakMap<
  Registry,
  { stops: Counter<'strategy' | 'outcome'>; saved: Counter<'strategy'> }
>();

export function adaptiveMetrics(registry: Registry) {
  let c = counters.get(registry);
  if (!c) {
    c = {
      stops: new Counter({
        name: 'bom_adaptive_runs_total',
        help: 'Adaptive selections by outcome: early (the rule stopped before N), budget (N drawn)',
        labelNames: ['strategy', 'outcome'],
        registers: [registry],
      }),
      saved: new Counter({
        name: 'bom_adaptive_samples_saved_total',
        help: 'Samples an adaptive selection did not draw because the answer was decided',
        labelNames: ['strategy'],
        registers: [registry],
      }),
    };
    counters.set(registry, c);
  }
  return c;
}

/** The `selection.stop` metadata of an adaptive run. */
export function stopMeta(outcome: AdaptiveOutcome, used: number): Record<string, unknown> {
  const d = outcome.decision;
  const requested = outcome.waves.requested;
  return {
    rule: outcome.settings.rule,
    confidence: d ? Math.round(d.confidence * 1e6) / 1e6 : 0,
    threshold: outcome.settings.confidence,
    ...(outcome.settings.rule === 'window' ? { window: outcome.settings.window } : {}),
    min_samples: outcome.settings.minSamples,
    batch: outcome.settings.batch,
    samples_used: used,
    samples_saved: outcome.waves.stopped ? requested - used : 0,
    drawn: outcome.waves.drawn,
    cancelled: outcome.waves.cancelled,
    waves: outcome.waves.waves,
    reason: outcome.waves.stopped
      ? (d?.reason ?? 'decided')
      : d?.stop
        ? d.reason
        : `the samples ran out before the answer was decided (${outcome.waves.failures.length} failed${d ? `; ${d.reason}` : ''})`,
  };
}
