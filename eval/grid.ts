// The resampling engine behind `bom eval` and `bom ab`. For each problem and each N it draws N of the
// pool's samples without replacement (seeded per problem id and N, so every strategy sees the same
// draws and a subset of problems sees the same draws as the whole set), builds the trial's clusters
// from the pool-wide clustering by counting, and runs the real strategies once with k = max k: their
// outputs are nested, so the rank of the first correct answer gives Pass@k for every k at once.
import { parseStrategyOptions, type SelectionOptions, type Strategy } from '../strategies/index.ts';
import type { Cluster, Clustering, ScoreClusters, Selection } from '../src/core/index.ts';
import { ScoresUnavailable, traceConfidence } from '../src/core/index.ts';
import {
  type AdaptiveSettings,
  adaptiveSettings,
  type Criterion,
  criterionOf,
  cutPoint,
  decideStop,
  type OnlineRule,
  onlineRule,
  onlineStop,
  scoreTargets,
  voidsTruncated,
  warmupThreshold,
} from '../src/selection/index.ts';
import { firstCorrectRank } from './passk.ts';
import type { PoolClusters, PreparedProblem } from './prepare.ts';
import { createRng, drawInto } from '../src/core/index.ts';

export interface Arm {
  /** Name in reports: the strategy name, or name plus options for A/B of option sets. */
  readonly label: string;
  readonly strategy: Strategy;
  /** Strategy options except k (the grid sets k). */
  readonly options: SelectionOptions;
}

export interface GridOptions {
  readonly Ns: readonly number[];
  readonly ks: readonly number[];
  readonly trials: number;
  readonly seed: number;
  /** Called after each problem (progress). */
  readonly onProblem?: (done: number, total: number) => void;
  /** Keep the trial selections of the given problems (for `bom ab`'s disagreement report). */
  readonly keepSelections?: boolean;
}

/** One (arm, N) cell: per-problem Pass@k for every k, over the problems that have ≥ N samples. */
export interface GridCell {
  readonly arm: string;
  readonly N: number;
  /** Indices (into `problems`) of the problems included at this N. */
  readonly included: readonly number[];
  /** passRate[kIndex][j]: Pass@k of problem included[j], averaged over its trials. */
  readonly passRate: readonly Float64Array[];
  /** Mean number of samples whose reward the strategy asked for, per trial. */
  readonly meanScored: number;
  /** Per k: mean samples drawn per trial (N for fixed arms; where an adaptive arm stopped). */
  readonly meanSamples: readonly number[];
  /** Per k: mean completion tokens drawn per trial, when every sample records its count. */
  readonly meanTokens: readonly (number | null)[];
  /** Per k: mean reward-model calls per trial (adaptive arms: the stopping rule's reads included). */
  readonly meanScoredByK: readonly number[];
  /** Per k: trials an adaptive arm stopped before N. */
  readonly earlyStops: readonly number[];
  /** Trials in which the strategy fell back (e.g. nothing cleared BoM's floor). */
  readonly fallbacks: number;
  readonly trials: number;
  /** Every trial's first choice: its `confidence` and whether it is correct (calibration, ECE). */
  readonly calibration: readonly { readonly confidence: number; readonly correct: boolean }[];
}

export interface GridResult {
  readonly problems: readonly PreparedProblem[];
  readonly arms: readonly string[];
  readonly Ns: readonly number[];
  readonly ks: readonly number[];
  readonly cells: readonly GridCell[];
  /** First-trial selection per [arm][N][problem], when `keepSelections`. */
  readonly selections?: Map<string, Selection>;
  /** First-trial clustering per `selectionKey('', N, problem id)`, when `keepSelections`. */
  readonly firstDraws?: Map<string, Clustering>;
}

/** FNV-1a over the problem id, mixed with the seed and N: stable across subsets and orderings. */
export function trialSeed(seed: number, problemId: string, n: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < problemId.length; i++) h = Math.imul(h ^ problemId.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ n, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

export const selectionKey = (arm: string, n: number, problemId: string) =>
  `${arm}\u0000${n}\u0000${problemId}`;

/**
 * The clusters of one draw, in the draw's first-appearance order, from the pool-wide clustering of
 * the votes the voting rule (src/selection) gives this draw: truncated samples are voided while a
 * complete sample is drawn. Members are pool indices (so rewards and correctness are looked up
 * directly); `n` is the draw size.
 */
export function clusteringOfDraw(
  problem: PreparedProblem,
  order: ArrayLike<number>,
  scratch: Int32Array = new Int32Array(scratchSize(problem)),
): Clustering {
  let pool: PoolClusters = problem;
  const cut = problem.truncated;
  if (problem.voided && cut) {
    let truncated = 0;
    for (let i = 0; i < order.length; i++) if (cut.has(order[i]!)) truncated++;
    if (voidsTruncated(truncated, order.length)) pool = problem.voided;
  }
  const { clusterOf } = pool;
  // scratch[gid] = local cluster id + 1 for clusters seen in this draw (0 = not yet); reset on exit.
  const clusters: Cluster[] = [];
  const members: number[][] = [];
  for (let i = 0; i < order.length; i++) {
    const sample = order[i]!;
    const gid = clusterOf[sample]!;
    const seen = scratch[gid]!;
    if (seen === 0) {
      scratch[gid] = members.length + 1;
      members.push([sample]);
    } else {
      members[seen - 1]!.push(sample);
    }
  }
  const n = order.length;
  for (let id = 0; id < members.length; id++) {
    const m = members[id]!;
    const c = pool.clusters[clusterOf[m[0]!]!]!;
    clusters.push({ id, key: c.key, answer: c.answer, members: m, count: m.length, frequency: m.length / n });
  }
  for (let i = 0; i < order.length; i++) scratch[clusterOf[order[i]!]!] = 0;
  return cut ? { n, clusters, truncated: cut } : { n, clusters };
}

/** Scratch length `clusteringOfDraw` needs for a problem: its largest pool-wide clustering. */
export function scratchSize(problem: PreparedProblem): number {
  return Math.max(problem.clusters.length, problem.voided?.clusters.length ?? 0);
}

export async function runGrid(
  problems: readonly PreparedProblem[],
  arms: readonly Arm[],
  options: GridOptions,
): Promise<GridResult> {
  const { Ns, ks, trials, seed } = options;
  const maxK = Math.max(...ks);
  const cells: GridCell[] = [];
  const acc = arms.map(() =>
    Ns.map(() => ({
      included: [] as number[],
      rates: ks.map(() => [] as number[]),
      scored: 0,
      trials: 0,
      fallbacks: 0,
      samples: ks.map(() => 0),
      tokens: ks.map(() => 0),
      tokensKnown: true,
      scoredK: ks.map(() => 0),
      early: ks.map(() => 0),
      calibration: [] as { confidence: number; correct: boolean }[],
    })),
  );
  // Adaptive arms: the stopping rule of src/selection, applied to each trial's draw in order.
  const adaptive = arms.map((arm) => {
    const parsed = parseStrategyOptions({ ...arm.options, k: 1 });
    const criterion = criterionOf(arm.strategy, parsed);
    const settings = adaptiveSettings(parsed.adaptive, criterion);
    return settings ? { criterion, settings } : null;
  });
  // deepconf online arms (`:warmup=W`): the server's online rule on each trial's draw, in order.
  const online = arms.map((arm) => onlineRule(arm.strategy, parseStrategyOptions({ ...arm.options, k: 1 })));
  const selections = options.keepSelections ? new Map<string, Selection>() : undefined;
  const firstDraws = options.keepSelections ? new Map<string, Clustering>() : undefined;
  const optionSets = arms.map((a) => ({ ...a.options, k: maxK }));
  const hits = new Float64Array(ks.length);

  for (let p = 0; p < problems.length; p++) {
    const problem = problems[p]!;
    const correct = problem.sampleCorrect;
    if (!correct) continue;
    const scratch = new Int32Array(scratchSize(problem));
    let scoredNow = 0;
    // Precomputed rewards through the strategies' lazy interface; counts what each strategy asks for.
    // An arm whose strategy fixes its own scorer (deepconf) reads trace confidences computed from the
    // stored token confidences with its settings, as the server's scorer computes them.
    const armRewards = arms.map((arm) => rewardsFor(problem, arm));
    const scoreWith =
      (rewards: Float64Array | null): ScoreClusters =>
      async (clusters) =>
        clusters.map((c) => {
          scoredNow += c.members.length;
          return c.members.map((i) => rewardAt(rewards, i));
        });

    for (let ni = 0; ni < Ns.length; ni++) {
      const n = Ns[ni]!;
      if (problem.size < n) continue;
      // The paper's protocol when N is the whole pool: one trial, samples in recorded order.
      const t = problem.size === n ? 1 : trials;
      const rng = createRng(trialSeed(seed, problem.id, n));
      const pool = Int32Array.from({ length: problem.size }, (_, i) => i);
      const clusterings: Clustering[] = [];
      // The draws in order, for adaptive arms (prefixes) and token counts.
      const orders: Int32Array[] = [];
      const keepOrders = problem.tokens || adaptive.some((x) => x !== null) || online.some((x) => x !== null);
      for (let trial = 0; trial < t; trial++) {
        const order = problem.size === n ? pool : drawInto(pool, n, rng);
        clusterings.push(clusteringOfDraw(problem, order, scratch));
        if (keepOrders) orders.push(Int32Array.from(order));
      }
      firstDraws?.set(selectionKey('', n, problem.id), clusterings[0]!);
      const drawnTokens = (order: ArrayLike<number>, upTo: number) => {
        const tk = problem.tokens;
        if (!tk) return null;
        let sum = 0;
        for (let i = 0; i < upTo; i++) sum += tk[order[i]!]!;
        return sum;
      };
      for (let a = 0; a < arms.length; a++) {
        const arm = arms[a]!;
        const cell = acc[a]![ni]!;
        hits.fill(0);
        const rule = adaptive[a];
        const live = online[a];
        if (live) {
          for (let ki = 0; ki < ks.length; ki++) {
            for (let trial = 0; trial < t; trial++) {
              const run = await onlineTrial(
                problem,
                orders[trial]!,
                n,
                ks[ki]!,
                live,
                rule ?? null,
                scratch,
                arm,
                {
                  ...optionSets[a]!,
                },
                armRewards[a]!,
              );
              if (trial === 0 && selections && ki === ks.length - 1)
                selections.set(selectionKey(arm.label, n, problem.id), run.selection);
              if (run.selection.fallback && ki === 0) cell.fallbacks++;
              if (ki === 0) noteCalibration(cell.calibration, run.selection, correct);
              if (firstCorrectRank(run.selection, correct) < ks[ki]!) hits[ki]!++;
              cell.samples[ki]! += run.samples;
              cell.scoredK[ki]! += run.scored;
              if (run.early) cell.early[ki]!++;
              if (run.tokens === null) cell.tokensKnown = false;
              else cell.tokens[ki]! += run.tokens;
            }
          }
        } else if (rule) {
          for (let ki = 0; ki < ks.length; ki++) {
            const k = ks[ki]!;
            for (let trial = 0; trial < t; trial++) {
              const stop = await adaptiveTrial(
                problem,
                orders[trial]!,
                n,
                k,
                rule,
                scratch,
                arm,
                optionSets[a]!,
                armRewards[a]!,
              );
              if (trial === 0 && selections && ki === ks.length - 1)
                selections.set(selectionKey(arm.label, n, problem.id), stop.selection);
              if (stop.selection.fallback && ki === 0) cell.fallbacks++;
              if (ki === 0) noteCalibration(cell.calibration, stop.selection, correct);
              if (firstCorrectRank(stop.selection, correct) < k) hits[ki]!++;
              cell.samples[ki]! += stop.samples;
              cell.scoredK[ki]! += stop.scored;
              if (stop.early) cell.early[ki]!++;
              const tk = drawnTokens(orders[trial]!, stop.samples);
              if (tk === null) cell.tokensKnown = false;
              else cell.tokens[ki]! += tk;
            }
          }
        } else if (rankingDependsOnK(arm)) {
          // score_members refines until the top k are decided, so the first choice of a k = 2 selection
          // is not a k = 1 request's: select once per k, as the server would for each.
          for (let ki = 0; ki < ks.length; ki++) {
            const k = ks[ki]!;
            const before = scoredNow;
            for (let trial = 0; trial < t; trial++) {
              const selection = await arm.strategy.select(
                { clustering: clusterings[trial]!, score: scoreWith(armRewards[a]!) },
                { ...optionSets[a]!, k },
              );
              if (trial === 0 && selections && ki === ks.length - 1)
                selections.set(selectionKey(arm.label, n, problem.id), selection);
              if (ki === 0) {
                if (selection.fallback) cell.fallbacks++;
                noteCalibration(cell.calibration, selection, correct);
              }
              if (firstCorrectRank(selection, correct) < k) hits[ki]!++;
            }
            cell.scoredK[ki]! += scoredNow - before;
            cell.samples[ki]! += n * t;
            for (let trial = 0; trial < t; trial++) {
              const tk = drawnTokens(orders[trial]!, n);
              if (tk === null) cell.tokensKnown = false;
              else cell.tokens[ki]! += tk;
            }
          }
          // Counted per k above (each k made its own calls); meanScored is their mean, as for adaptive arms.
          scoredNow = 0;
        } else {
          for (let trial = 0; trial < t; trial++) {
            const selection = await arm.strategy.select(
              { clustering: clusterings[trial]!, score: scoreWith(armRewards[a]!) },
              optionSets[a],
            );
            if (trial === 0 && selections) selections.set(selectionKey(arm.label, n, problem.id), selection);
            if (selection.fallback) cell.fallbacks++;
            noteCalibration(cell.calibration, selection, correct);
            const rank = firstCorrectRank(selection, correct);
            for (let ki = 0; ki < ks.length; ki++) if (rank < ks[ki]!) hits[ki]!++;
          }
          for (let ki = 0; ki < ks.length; ki++) cell.samples[ki]! += n * t;
          if (!problem.tokens) cell.tokensKnown = false;
          else
            for (let trial = 0; trial < t; trial++) {
              const tk = drawnTokens(orders[trial]!, n) ?? 0;
              for (let ki = 0; ki < ks.length; ki++) cell.tokens[ki]! += tk;
            }
          for (let ki = 0; ki < ks.length; ki++) cell.scoredK[ki]! += scoredNow;
        }
        cell.included.push(p);
        for (let ki = 0; ki < ks.length; ki++) cell.rates[ki]!.push(hits[ki]! / t);
        cell.trials += t;
        cell.scored += scoredNow;
        scoredNow = 0;
      }
    }
    options.onProblem?.(p + 1, problems.length);
  }

  arms.forEach((arm, a) => {
    Ns.forEach((n, ni) => {
      const c = acc[a]![ni]!;
      const per = (x: number) => (c.trials === 0 ? 0 : x / c.trials);
      const meanScoredByK = c.scoredK.map(per);
      cells.push({
        arm: arm.label,
        N: n,
        included: c.included,
        passRate: c.rates.map((r) => Float64Array.from(r)),
        meanScored:
          adaptive[a] || rankingDependsOnK(arm)
            ? meanScoredByK.reduce((x, y) => x + y, 0) / ks.length
            : per(c.scored),
        meanSamples: c.samples.map(per),
        meanTokens: c.tokens.map((x) => (c.tokensKnown && c.trials > 0 ? x / c.trials : null)),
        meanScoredByK,
        earlyStops: c.early,
        fallbacks: c.fallbacks,
        trials: c.trials,
        calibration: c.calibration,
      });
    });
  });
  return {
    problems,
    arms: arms.map((a) => a.label),
    Ns,
    ks,
    cells,
    ...(selections ? { selections } : {}),
    ...(firstDraws ? { firstDraws } : {}),
  };
}

/**
 * One trial of an adaptive arm: the draw's samples in order, the stopping rule after each one (the
 * same `decideStop` the server's wave loop calls), then the strategy on the prefix where it stopped.
 * `scored` counts the distinct samples whose reward the rule or the strategy read.
 */
/** Whether an arm's top-k order depends on k (score_members refines until the top k are decided). */
function rankingDependsOnK(arm: Arm): boolean {
  return arm.options.score_members !== undefined;
}

export async function adaptiveTrial(
  problem: PreparedProblem,
  order: ArrayLike<number>,
  budget: number,
  k: number,
  rule: { criterion: Criterion; settings: AdaptiveSettings },
  scratch: Int32Array,
  arm: Arm,
  options: SelectionOptions & { k: number },
  rewards: Float64Array | null = problem.rewards,
): Promise<{ samples: number; early: boolean; scored: number; selection: Selection }> {
  const reward = rewards ? (id: number) => rewards[id] : undefined;
  const read = new Set<number>();
  const all = Int32Array.from(order as ArrayLike<number>);
  const prefix = new PrefixClustering(problem, all, scratch);
  let clustering: Clustering | undefined;
  let early = false;
  let t = 0;
  while (t < budget) {
    t++;
    clustering = prefix.next();
    if (rule.criterion.kind === 'reward')
      for (const id of scoreTargets(rule.criterion, clustering)) read.add(id);
    const d = decideStop(
      { clustering, order: all.subarray(0, t), budget, k, ...(reward ? { reward } : {}) },
      rule.criterion,
      rule.settings,
    );
    if (d.stop) {
      early = d.early;
      break;
    }
  }
  prefix.release();
  const score: ScoreClusters = async (clusters) =>
    clusters.map((c) =>
      c.members.map((i) => {
        read.add(i);
        return rewardAt(rewards, i);
      }),
    );
  const selection = await arm.strategy.select({ clustering: clustering!, score }, { ...options, k });
  return { samples: t, early, scored: read.size, selection };
}

/**
 * The clusterings of a draw's prefixes, one sample at a time: `next()` adds the next sample and returns
 * the clustering of the prefix — equal to `clusteringOfDraw(problem, order.subarray(0, t))` — in O(1)
 * amortised work per new sample plus O(clusters) for the returned objects. It is rebuilt only when the
 * voting rule switches the prefix to the voided clustering (at most once: from the first prefix holding
 * both a truncated and a complete sample on, it stays voided). Member arrays grow in place, so only the
 * last returned clustering stays valid; `release()` resets the scratch.
 */
export class PrefixClustering {
  private t = 0;
  private truncated = 0;
  private pool: PoolClusters;
  private voiding = false;
  private readonly members: number[][] = [];
  private readonly ids: number[] = [];

  constructor(
    private readonly problem: PreparedProblem,
    private readonly order: ArrayLike<number>,
    private readonly scratch: Int32Array,
  ) {
    this.pool = problem;
  }

  next(): Clustering {
    const { problem, order } = this;
    const sample = order[this.t]!;
    this.t++;
    if (problem.truncated?.has(sample)) this.truncated++;
    const voiding = problem.voided !== undefined && voidsTruncated(this.truncated, this.t);
    if (voiding !== this.voiding) {
      this.release();
      this.voiding = voiding;
      this.pool = voiding ? problem.voided! : problem;
      for (let i = 0; i < this.t; i++) this.add(order[i]!);
    } else this.add(sample);
    const n = this.t;
    const clusters: Cluster[] = [];
    for (let id = 0; id < this.members.length; id++) {
      const m = this.members[id]!;
      const c = this.pool.clusters[this.ids[id]!]!;
      clusters.push({
        id,
        key: c.key,
        answer: c.answer,
        members: m,
        count: m.length,
        frequency: m.length / n,
      });
    }
    const cut = problem.truncated;
    return cut ? { n, clusters, truncated: cut } : { n, clusters };
  }

  private add(sample: number) {
    const gid = this.pool.clusterOf[sample]!;
    const seen = this.scratch[gid]!;
    if (seen === 0) {
      this.scratch[gid] = this.members.length + 1;
      this.members.push([sample]);
      this.ids.push(gid);
    } else this.members[seen - 1]!.push(sample);
  }

  /** Resets the scratch (call once the prefix is done with). */
  release() {
    for (const gid of this.ids) this.scratch[gid] = 0;
    this.members.length = 0;
    this.ids.length = 0;
  }
}

/**
 * The per-sample rewards an arm reads: the stored rewards, or — for a strategy that fixes its own
 * scorer (deepconf) — each sample's trace confidence from its stored `token_confidence` with the arm's
 * settings (NaN where a sample has none: asking for it is ScoresUnavailable, as on the server).
 */
export function rewardsFor(problem: PreparedProblem, arm: Arm): Float64Array | null {
  const spec = arm.strategy.scorerSpec({ ...arm.options, k: 1 });
  if (!spec) return problem.rewards;
  const tc = problem.tokenConfidence;
  return Float64Array.from({ length: problem.size }, (_, i) => {
    const t = tc?.[i];
    return t && t.length > 0 ? traceConfidence(t, spec) : Number.NaN;
  });
}

function rewardAt(rewards: Float64Array | null, i: number): number {
  const r = rewards?.[i];
  if (r === undefined || Number.isNaN(r))
    throw new ScoresUnavailable(
      `sample ${i} has no recorded token confidences (record them with 'bom sample --top-logprobs 20')`,
      'logprobs_missing',
    );
  return r;
}

function noteCalibration(
  into: { confidence: number; correct: boolean }[],
  selection: Selection,
  correct: Uint8Array,
): void {
  const first = selection.chosen[0];
  if (!first) return;
  into.push({ confidence: first.confidence, correct: firstCorrectRank(selection, correct) === 0 });
}

/**
 * One trial of a deepconf online arm (src/selection/online.ts, as the server's streaming loop applies
 * it): the draw's first `warmup` samples set the threshold; each later sample, in order, is cut at its
 * first full window below it (its tokens up to the cut are spent, it does not vote); the draw stops at
 * consensus (or when the adaptive rule decides); the strategy chooses among the finished samples with
 * the warm-up threshold. `samples` counts the samples started, `tokens` the completion tokens spent.
 */
export async function onlineTrial(
  problem: PreparedProblem,
  order: ArrayLike<number>,
  budget: number,
  k: number,
  rule: OnlineRule,
  adaptive: { criterion: Criterion; settings: AdaptiveSettings } | null,
  scratch: Int32Array,
  arm: Arm,
  options: SelectionOptions & { k: number },
  rewards: Float64Array | null,
): Promise<{ samples: number; tokens: number | null; early: boolean; scored: number; selection: Selection }> {
  const tc = problem.tokenConfidence;
  const lengthOf = (i: number) => problem.tokens?.[i] ?? tc?.[i]?.length ?? null;
  const confidence = (i: number) => rewards?.[i] ?? Number.NaN;
  const warm = Math.min(rule.warmup, budget);
  const used: number[] = [];
  for (let p = 0; p < warm; p++) used.push(order[p]!);
  const threshold = warmupThreshold(
    used.map((i) => tc?.[i] ?? undefined),
    rule,
  );
  let drawn = warm;
  let early = false;
  let tokens: number | null = 0;
  const spend = (x: number | null) => {
    tokens = tokens === null || x === null ? null : tokens + x;
  };
  for (const i of used) spend(lengthOf(i));
  if (threshold === null) {
    // No token confidences in the warm-up: nothing to stop on; the rest is drawn whole.
    for (let p = warm; p < budget; p++) {
      used.push(order[p]!);
      spend(lengthOf(order[p]!));
    }
    drawn = budget;
  } else if (warm < budget) {
    const stopNow = () =>
      onlineStop(
        {
          clustering: clusteringOfDraw(problem, Int32Array.from(used), scratch),
          order: used,
          confidence,
          threshold,
          budget,
          k,
        },
        adaptive ?? undefined,
      ).stop;
    if (stopNow()) early = true;
    else
      for (let p = warm; p < budget; p++) {
        const i = order[p]!;
        drawn++;
        const cut = cutPoint(tc?.[i] ?? [], threshold, rule.window);
        if (cut >= 0) {
          spend(cut);
          continue;
        }
        spend(lengthOf(i));
        used.push(i);
        if (stopNow()) {
          early = p + 1 < budget;
          break;
        }
      }
  }
  const read = new Set<number>();
  const score: ScoreClusters = async (clusters) =>
    clusters.map((c) =>
      c.members.map((i) => {
        read.add(i);
        return rewardAt(rewards, i);
      }),
    );
  // The finished samples are a subset of the draw (cut ones left out): each cluster is labelled by its
  // first finished member's own answer, as the server labels it, not by the pool's first member.
  const drawnClusters = clusteringOfDraw(problem, Int32Array.from(used), scratch);
  const clustering = {
    ...drawnClusters,
    clusters: drawnClusters.clusters.map((c) =>
      c.key === null ? c : { ...c, answer: problem.sampleAnswers?.[c.members[0]!] ?? c.answer },
    ),
  };
  const selection = await arm.strategy.select(
    { clustering, score },
    { ...options, k, ...(threshold !== null && options.threshold === undefined ? { threshold } : {}) },
  );
  return { samples: drawn, tokens, early, scored: read.size, selection };
}
