// Turns stored records into what resampling needs, once per problem: each sample's ballot under the
// server's voting rule (src/selection), the pool-wide clustering of those votes, the correctness of
// each sample, and its reward. Trials then only draw indices and count.
import { clusterByKey } from '../src/answers/index.ts';
import type { Answer, Clustering } from '../src/core/index.ts';
import { type AnswerService, type Ballot, castVotes, readBallot } from '../src/selection/index.ts';
import { promptText } from '../src/reward/index.ts';
import type { ProblemRecord } from './store.ts';

/**
 * `recorded`: the file's own answers as exact strings (Qwen's rm_maj_eval rule) and its recorded
 * correctness; `extract`: re-extract every response and grade by equivalence with the answer service.
 */
export type AnswerMode = 'recorded' | 'extract';

/** A pool-wide clustering as a lookup: cluster id per sample, and each cluster's key and answer. */
export interface PoolClusters {
  /** Pool-wide cluster id per sample (index into `clusters`). */
  readonly clusterOf: Int32Array;
  readonly clusters: readonly { readonly key: string | null; readonly answer: string | null }[];
}

export interface PreparedProblem extends PoolClusters {
  readonly id: string;
  /** Pool size: samples available to draw from. */
  readonly size: number;
  /**
   * The clustering of the votes when truncated samples are voided (the voting rule: a draw with at
   * least one complete and one truncated sample). Absent when no sample, or every sample, was cut.
   */
  readonly voided?: PoolClusters;
  /** 1 when the sample's own answer is correct; null when the problem cannot be graded (no gold). */
  readonly sampleCorrect: Uint8Array | null;
  /** Number of correct samples in the pool (c of the Codex estimator). */
  readonly correctCount: number;
  /** Per-sample rewards; null when any sample lacks one. */
  readonly rewards: Float64Array | null;
  /** Each sample's own answer as written (online arms label a subset's clusters by its first member). */
  readonly sampleAnswers?: readonly (string | null)[];
  /** Per-sample token confidences C_t (the store's `token_confidence`); null where a sample has none. */
  readonly tokenConfidence?: readonly (readonly number[] | null)[];
  /** Per-sample completion tokens; null when any sample lacks the count. */
  readonly tokens?: Float64Array | null;
  /** Pool indices of samples cut off by the length limit. */
  readonly truncated: ReadonlySet<number> | undefined;
  /** Clusters whose members disagree on recorded correctness (kept: each sample keeps its own). */
  readonly inconsistentClusters: number;
}

export interface PrepareOptions {
  mode: AnswerMode;
  /** Required for mode 'extract'. */
  answers?: AnswerService;
}

function lookup(clustering: Clustering, id: string): PoolClusters {
  const clusterOf = new Int32Array(clustering.n).fill(-1);
  for (const c of clustering.clusters) for (const m of c.members) clusterOf[m] = c.id;
  if (clusterOf.includes(-1)) throw new Error(`clustering of problem ${id} left a sample unassigned`);
  return { clusterOf, clusters: clustering.clusters.map((c) => ({ key: c.key, answer: c.answer })) };
}

export function prepareProblem(record: ProblemRecord, options: PrepareOptions): PreparedProblem {
  const { samples } = record;
  // A blank gold is no gold: graded against '' every sample would be wrong, counted as a failure.
  const gold = record.gold?.trim() ? record.gold : null;
  const service = options.mode === 'extract' ? options.answers : undefined;
  if (options.mode === 'extract' && !service)
    throw new Error("answer mode 'extract' needs an answer service");
  const ballots: Ballot[] = samples.map((s) => {
    const finishReason = s.finish_reason ?? null;
    if (service) return readBallot({ text: s.text, reasoning: s.reasoning_content, finishReason }, service);
    // Exact string match of the recorded answer, as in Qwen2.5-Math's rm_maj_eval (no normalisation).
    const answer: Answer =
      s.answer === null || s.answer === undefined
        ? { value: null, key: null, rule: 'recorded-none' }
        : { value: s.answer, key: s.answer, rule: 'recorded' };
    return { answer, truncated: finishReason === 'length' };
  });
  // The question as the answer service reads it (rounding instructions live there): the text a scorer
  // reads as the prompt.
  const problem = promptText(record);
  const cluster = (answers: readonly Answer[]) =>
    service ? service.cluster(answers, { problem }) : clusterByKey(answers);
  const own = ballots.map((b) => b.answer);
  const pool = lookup(cluster(own), record.id);
  const votes = castVotes(ballots);
  const voided = votes.some((v, i) => v !== own[i]) ? lookup(cluster(votes), record.id) : undefined;

  let sampleCorrect: Uint8Array | null = null;
  let inconsistentClusters = 0;
  if (options.mode === 'extract') {
    if (gold !== null && service) {
      // Each sample is graded by its own answer (the representative's text is what a client gets);
      // equal answers are graded once.
      const verdicts = new Map<string, boolean>();
      sampleCorrect = Uint8Array.from(own, (a) => {
        if (a.value === null) return 0;
        let v = verdicts.get(a.value);
        if (v === undefined) {
          v = service.isCorrect(a, gold, { problem });
          verdicts.set(a.value, v);
        }
        return v ? 1 : 0;
      });
    }
  } else if (samples.every((s) => typeof s.correct === 'boolean')) {
    const recorded = Uint8Array.from(samples, (s) => (s.correct ? 1 : 0));
    sampleCorrect = recorded;
    const first = new Map<number, number>();
    const mixed = new Set<number>();
    pool.clusterOf.forEach((c, i) => {
      const seen = first.get(c);
      if (seen === undefined) first.set(c, recorded[i]!);
      else if (seen !== recorded[i]) mixed.add(c);
    });
    inconsistentClusters = mixed.size;
  } else if (gold !== null) {
    sampleCorrect = Uint8Array.from(own, (a) => (a.value !== null && a.value === gold ? 1 : 0));
  }

  const rewards = samples.every((s) => typeof s.reward === 'number')
    ? Float64Array.from(samples, (s) => s.reward as number)
    : null;
  const tokens = samples.every((s) => typeof s.completion_tokens === 'number')
    ? Float64Array.from(samples, (s) => s.completion_tokens as number)
    : null;
  const cut = ballots.flatMap((b, i) => (b.truncated ? [i] : []));
  let correctCount = 0;
  if (sampleCorrect) for (const v of sampleCorrect) correctCount += v;
  return {
    id: record.id,
    size: samples.length,
    ...pool,
    ...(voided ? { voided } : {}),
    sampleCorrect,
    correctCount,
    rewards,
    tokens,
    sampleAnswers: own.map((a) => a.value),
    ...(samples.some((s) => s.token_confidence)
      ? { tokenConfidence: samples.map((s) => s.token_confidence ?? null) }
      : {}),
    truncated: cut.length > 0 ? new Set(cut) : undefined,
    inconsistentClusters,
  };
}
