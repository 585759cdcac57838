// Turns stored records into what resampling needs, once per problem: a cluster id per sample (the
// clustering of the whole pool, from the same extraction/equivalence code as the server), the
// correctness of each sample, and its reward. Trials then only draw indices and count.
import { clusterByKey } from '../src/answers/cluster.ts';
import type { Answer, Clustering } from '../src/types.ts';
import type { ProblemRecord } from './store.ts';

/**
 * The answer code eval needs, injected so eval never copies it: `extract` and `cluster` are the
 * server's (src/answers), `isCorrect` grades one answer against a gold answer.
 */
export interface AnswerTools {
  readonly name: string;
  extract(text: string): Answer;
  cluster(answers: readonly Answer[]): Clustering;
  isCorrect(answer: Answer, gold: string): boolean;
}

/**
 * `recorded`: the file's own answers as exact strings (Qwen's rm_maj_eval rule) and its recorded
 * correctness; `extract`: re-extract every response and grade by equivalence with `AnswerTools`.
 */
export type AnswerMode = 'recorded' | 'extract';

export interface PreparedProblem {
  readonly id: string;
  /** Pool size: samples available to draw from. */
  readonly size: number;
  /** Pool-wide cluster id per sample (index into `clusters`). */
  readonly clusterOf: Int32Array;
  readonly clusters: readonly { readonly key: string | null; readonly answer: string | null }[];
  /** 1 when the sample's answer is correct; null when the problem cannot be graded (no gold). */
  readonly sampleCorrect: Uint8Array | null;
  /** Number of correct samples in the pool (c of the Codex estimator). */
  readonly correctCount: number;
  /** Per-sample rewards; null when any sample lacks one. */
  readonly rewards: Float64Array | null;
  /** Pool indices of samples cut off by the length limit. */
  readonly truncated: ReadonlySet<number> | undefined;
  /** Clusters whose members disagree on recorded correctness (kept: each sample keeps its own). */
  readonly inconsistentClusters: number;
}

export interface PrepareOptions {
  mode: AnswerMode;
  /** Required for mode 'extract'. */
  tools?: AnswerTools;
}

export function prepareProblem(record: ProblemRecord, options: PrepareOptions): PreparedProblem {
  const { samples } = record;
  const gold = record.gold ?? null;
  let answers: Answer[];
  let clustering: Clustering;
  if (options.mode === 'extract') {
    const tools = options.tools;
    if (!tools) throw new Error("answer mode 'extract' needs AnswerTools");
    answers = samples.map((s) => tools.extract(s.text));
    clustering = tools.cluster(answers);
  } else {
    // Exact string match of the recorded answer, as in Qwen2.5-Math's rm_maj_eval (no normalisation).
    answers = samples.map((s) =>
      s.answer === null || s.answer === undefined
        ? { value: null, key: null, rule: 'recorded-none' }
        : { value: s.answer, key: s.answer, rule: 'recorded' },
    );
    clustering = clusterByKey(answers);
  }

  const clusterOf = new Int32Array(samples.length).fill(-1);
  for (const c of clustering.clusters) for (const m of c.members) clusterOf[m] = c.id;
  if (clusterOf.includes(-1)) throw new Error(`clustering of problem ${record.id} left a sample unassigned`);

  let sampleCorrect: Uint8Array | null = null;
  let inconsistentClusters = 0;
  if (options.mode === 'extract') {
    if (gold !== null && options.tools) {
      const tools = options.tools;
      // Grade each cluster once, by its first member's answer: members are equivalent by construction.
      const verdict = clustering.clusters.map((c) => {
        const first = answers[c.members[0]!]!;
        return c.key !== null && first.value !== null && tools.isCorrect(first, gold);
      });
      sampleCorrect = Uint8Array.from(clusterOf, (id) => (verdict[id] ? 1 : 0));
    }
  } else if (samples.every((s) => typeof s.correct === 'boolean')) {
    sampleCorrect = Uint8Array.from(samples, (s) => (s.correct ? 1 : 0));
    for (const c of clustering.clusters) {
      const first = sampleCorrect[c.members[0]!];
      if (c.members.some((m) => sampleCorrect![m] !== first)) inconsistentClusters++;
    }
  } else if (gold !== null) {
    sampleCorrect = Uint8Array.from(answers, (a) => (a.value !== null && a.value === gold ? 1 : 0));
  }

  const rewards = samples.every((s) => typeof s.reward === 'number')
    ? Float64Array.from(samples, (s) => s.reward as number)
    : null;
  const cut = samples.flatMap((s, i) => (s.finish_reason === 'length' ? [i] : []));
  let correctCount = 0;
  if (sampleCorrect) for (const v of sampleCorrect) correctCount += v;
  return {
    id: record.id,
    size: samples.length,
    clusterOf,
    clusters: clustering.clusters.map((c) => ({ key: c.key, answer: c.answer })),
    sampleCorrect,
    correctCount,
    rewards,
    truncated: cut.length > 0 ? new Set(cut) : undefined,
    inconsistentClusters,
  };
}
