// defineStrategy(): the shared frame every strategy runs in, so edge cases are decided once:
// option validation, abort, empty input, the "no answer" cluster, nesting, representatives, reports.
import { BomError, ScoresUnavailable, specificIssue, throwIfAborted } from '../src/core/index.ts';
import type {
  Aggregate,
  Cluster,
  ClusterReport,
  ConfidenceScorerSpec,
  Clustering,
  ScoreClusters,
  SelectedCluster,
  Selection,
} from '../src/core/index.ts';
import {
  type StrategyOptionName,
  type StrategyOptions,
  type StrategyOptionsInput,
  strategyOptionsSchema,
} from './options.ts';
import { aggregateRewards, byVotes, pickRepresentative, scoringPositions } from './rank.ts';

export interface SelectionInput {
  readonly clustering: Clustering;
  /** Lazy, memoised reward access: a strategy asks only for the clusters it needs. */
  readonly score: ScoreClusters;
  readonly signal?: AbortSignal;
}

/** What a strategy's ranking step sees: only clusters that have an answer. */
export interface RankContext {
  readonly clustering: Clustering;
  /** Clusters with an answer, in first-appearance order (never empty). */
  readonly candidates: readonly Cluster[];
  readonly options: StrategyOptions;
  /** Scores the given clusters (memoised); returns cluster reward R_c by cluster id. */
  readonly rewards: (clusters: readonly Cluster[]) => Promise<ReadonlyMap<number, number>>;
  /**
   * Scores the first `count` members of each cluster in scoring order (complete members first, so
   * the representative first; memoised) and returns R_c over the members scored so far.
   */
  readonly rewardsOfFirst: (
    requests: readonly { readonly cluster: Cluster; readonly count: number }[],
  ) => Promise<ReadonlyMap<number, number>>;
  /** The rewards of a cluster's members scored so far. */
  readonly memberScores: (cluster: Cluster) => readonly number[];
}

export interface RankResult {
  /** Every returnable cluster, best first; the frame keeps the first k. */
  readonly order: readonly Cluster[];
  /** Clusters that cleared the strategy's filter (default: all candidates). */
  readonly eligible?: ReadonlySet<number>;
  readonly fallback?: boolean;
  readonly reason?: string;
  /** `chosen[].confidence` by cluster id when the strategy has its own (default: the vote share). */
  readonly confidence?: ReadonlyMap<number, number>;
}

export interface Strategy {
  readonly name: string;
  /** Short names accepted wherever a strategy is named (model aliases, `selection.strategy`, specs). */
  readonly aliases: readonly string[];
  readonly description: string;
  /** The options it reads (strategies/options.ts); eval's shared flags apply only to these. */
  readonly options: readonly StrategyOptionName[];
  /** Which rewards it may ask for; lets callers skip loading a reward model. */
  readonly rewards: 'none' | 'filtered' | 'all';
  /** Set when the strategy fixes how member rewards combine (weighted majority sums). */
  readonly aggregate?: Aggregate;
  /**
   * The scorer this strategy needs for these options, when it fixes its own (deepconf: trace
   * confidence with its variant and window); null when it uses the request's `selection.scorer`.
   */
  scorerSpec(options?: StrategyOptionsInput): ConfidenceScorerSpec | null;
  /** Validates raw options (throws BomError naming the field) and selects. */
  select(input: SelectionInput, options?: StrategyOptionsInput): Promise<Selection>;
}

export interface StrategyDefinition {
  name: string;
  aliases: readonly string[];
  description: string;
  options: readonly StrategyOptionName[];
  rewards: Strategy['rewards'];
  /** Overrides the `aggregate` option (weighted majority always sums). */
  aggregate?: Aggregate;
  /** Set by strategies that fix their own scorer (see Strategy.scorerSpec). */
  scorer?: (options: StrategyOptions) => ConfidenceScorerSpec;
  /** Set when `chosen[].confidence` is not the vote share. */
  confidenceBasis?: Selection['confidenceBasis'];
  rank(ctx: RankContext): Promise<RankResult>;
}

export function parseStrategyOptions(raw: StrategyOptionsInput | undefined): StrategyOptions {
  const parsed = strategyOptionsSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const issue = first && specificIssue(first);
  const field = issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
  throw new BomError(
    `Invalid selection option${field ? ` '${field}'` : ''}: ${issue?.message ?? 'invalid'}`,
    {
      code: 'invalid_option',
      param: field || null,
    },
  );
}

export function defineStrategy(def: StrategyDefinition): Strategy {
  return {
    name: def.name,
    aliases: def.aliases,
    description: def.description,
    options: def.options,
    rewards: def.rewards,
    ...(def.aggregate ? { aggregate: def.aggregate } : {}),
    scorerSpec(rawOptions) {
      return def.scorer ? def.scorer(parseStrategyOptions(rawOptions)) : null;
    },
    async select(input, rawOptions) {
      const options = parseStrategyOptions(rawOptions);
      const aggregate = def.aggregate ?? options.aggregate;
      const { clustering, signal } = input;
      throwIfAborted(signal);

      // Member rewards aligned with cluster.members; undefined where a member was not scored.
      const memberRewards = new Map<number, (number | undefined)[]>();
      const complete = new Set<number>();
      const scoredOf = (id: number) =>
        (memberRewards.get(id) ?? []).filter((r): r is number => r !== undefined);
      const rewards = async (clusters: readonly Cluster[]) => {
        const missing = clusters.filter((c) => !complete.has(c.id));
        if (missing.length > 0) {
          const scored = await input.score(missing, signal);
          throwIfAborted(signal);
          missing.forEach((c, i) => {
            memberRewards.set(c.id, [...(scored[i] ?? [])]);
            complete.add(c.id);
          });
        }
        return new Map(clusters.map((c) => [c.id, aggregateRewards(scoredOf(c.id), aggregate)]));
      };
      const rewardsOfFirst = async (requests: readonly { cluster: Cluster; count: number }[]) => {
        const asks: { cluster: Cluster; positions: number[] }[] = [];
        for (const { cluster, count } of requests) {
          const have =
            memberRewards.get(cluster.id) ?? new Array<number | undefined>(cluster.count).fill(undefined);
          memberRewards.set(cluster.id, have);
          const order = scoringPositions(cluster, clustering.truncated).slice(0, count);
          const positions = order.filter((p) => have[p] === undefined);
          if (positions.length > 0) asks.push({ cluster, positions });
        }
        if (asks.length > 0) {
          const sub = asks.map(({ cluster, positions }) => ({
            ...cluster,
            members: positions.map((p) => cluster.members[p]!),
            count: positions.length,
          }));
          const scored = await input.score(sub, signal);
          throwIfAborted(signal);
          asks.forEach(({ cluster, positions }, i) => {
            const have = memberRewards.get(cluster.id)!;
            positions.forEach((p, j) => {
              have[p] = scored[i]?.[j];
            });
            if (have.every((r) => r !== undefined)) complete.add(cluster.id);
          });
        }
        return new Map(requests.map(({ cluster: c }) => [c.id, aggregateRewards(scoredOf(c.id), aggregate)]));
      };
      const memberScores = (c: Cluster) => scoredOf(c.id);

      const candidates = clustering.clusters.filter((c) => c.key !== null);
      let result: RankResult;
      if (clustering.n === 0) {
        result = { order: [], reason: 'no samples to select from' };
      } else if (candidates.length === 0) {
        // Every sample was unparseable: return the "no answer" cluster so the caller still has a response.
        result = {
          order: clustering.clusters.slice(0, 1),
          fallback: true,
          reason: 'no sample had an extractable answer',
        };
      } else {
        try {
          result = await def.rank({ clustering, candidates, options, rewards, rewardsOfFirst, memberScores });
        } catch (err) {
          if (!(err instanceof ScoresUnavailable)) throw err;
          // Rewards that mean nothing must not pick the answer silently: majority order, flagged.
          result = {
            order: byVotes(candidates),
            fallback: true,
            reason: `${err.message}; fell back to majority order`,
          };
        }
      }
      throwIfAborted(signal);

      const rewardOf = (id: number): number | null => {
        const r = scoredOf(id);
        return r.length === 0 ? null : aggregateRewards(r, aggregate);
      };
      const chosen: SelectedCluster[] = result.order.slice(0, options.k).map((cluster) => ({
        cluster,
        representative: pickRepresentative(cluster, memberRewards.get(cluster.id), clustering.truncated),
        votes: cluster.count,
        frequency: cluster.frequency,
        reward: rewardOf(cluster.id),
        confidence: result.confidence?.get(cluster.id) ?? cluster.frequency,
      }));
      const clusters: ClusterReport[] = clustering.clusters.map((c) => ({
        id: c.id,
        answer: c.answer,
        votes: c.count,
        frequency: c.frequency,
        reward: rewardOf(c.id),
        eligible: c.key !== null && (result.eligible?.has(c.id) ?? true),
        ...(options.score_members !== undefined ? { scored: scoredOf(c.id).length } : {}),
      }));
      let reason = result.reason ?? null;
      if (reason === null && chosen.length < options.k && clustering.n > 0) {
        reason = `only ${chosen.length} distinct answer${chosen.length === 1 ? '' : 's'} available for k=${options.k}`;
      }
      const confidenceBasis = result.confidence ? (def.confidenceBasis ?? 'vote_share') : 'vote_share';
      return {
        strategy: def.name,
        chosen,
        clusters,
        fallback: result.fallback ?? false,
        reason,
        confidenceBasis,
      };
    },
  };
}
