// Core vocabulary shared by the server, the offline tools and the strategies: a sample is one upstream
// completion, an answer what extraction finds in it, a cluster the samples with equivalent answers,
// a selection what a strategy returns.
// Pure types only: strategies/ may import this file and nothing with I/O.

/** Why a completion stopped, as OpenAI reports it; `null` when the upstream did not say. */
export type FinishReason =
  | 'stop'
  | 'length'
  | 'content_filter'
  | 'tool_calls'
  | 'function_call'
  | (string & {});

/** One upstream completion. */
export interface Sample {
  /** Position in the fan-out (0..N-1); stable identity used everywhere else. */
  readonly index: number;
  /** The full response text returned to users when this sample represents a cluster. */
  readonly text: string;
  /** Separate reasoning (`reasoning_content`) when the upstream sends one. */
  readonly reasoning?: string;
  readonly finishReason: FinishReason | null;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  /** Per-token log-probabilities, when the upstream returned them. */
  readonly logprobs?: readonly number[];
  /**
   * Per-token confidence C_t = −mean of the token's top logprobs (src/core/confidence.ts), computed
   * once where top logprobs arrive (fan-out, replay, the local model through the fan-out); what every
   * confidence computation reads and what the sample store keeps (`token_confidence`).
   */
  readonly tokenConfidence?: readonly number[];
  /** Per-token self-certainty over the top-k (KL from uniform), alongside `tokenConfidence`. */
  readonly tokenSelfCertainty?: readonly number[];
}

/** What extraction found in a sample. `value === null` means no answer could be found. */
export interface Answer {
  /** The answer as written (e.g. `\frac12`), or null when none was found. */
  readonly value: string | null;
  /** Canonical key: equal keys mean equivalent answers (the clustering fast path). */
  readonly key: string | null;
  /** Which extraction rule fired (`boxed`, `phrase`, `last-number`, …) or why nothing was found. */
  readonly rule: string;
}

/**
 * A set of samples whose answers are equivalent. Clusters are numbered by first appearance,
 * and that order is the tie-break for every strategy.
 */
export interface Cluster {
  /** 0-based rank of first appearance among the clusters of one request. */
  readonly id: number;
  /** Canonical key of the cluster's answer; null for the "no answer" cluster. */
  readonly key: string | null;
  /** The answer as written by the first member; null for the "no answer" cluster. */
  readonly answer: string | null;
  /** Sample indices in first-appearance order (never empty). */
  readonly members: readonly number[];
  readonly count: number;
  /** count / N, where N includes unparseable samples. */
  readonly frequency: number;
}

/** All clusters of one request, computed once and shared by every strategy. */
export interface Clustering {
  /** Number of samples N (parseable or not). */
  readonly n: number;
  /** Clusters in first-appearance order: `clusters[i].id === i`. */
  readonly clusters: readonly Cluster[];
  /** Truncated samples (finish_reason `length`): representatives avoid them when a complete member exists. */
  readonly truncated?: ReadonlySet<number>;
  /** Why some answers were only compared by key or as strings (budgets, unparsed); empty when none. */
  readonly degraded?: readonly string[];
}

/** How the member rewards of a cluster become one number R_c. */
export type Aggregate = 'mean' | 'max' | 'sum';

/**
 * Lazy reward access handed to strategies. Given clusters, it resolves to the rewards of their
 * members (one array per cluster, in member order). Implementations score each sample at most
 * once, so asking twice is free; asking for nothing costs nothing.
 */
export type ScoreClusters = (
  clusters: readonly Cluster[],
  signal?: AbortSignal,
) => Promise<readonly (readonly number[])[]>;

/** One chosen cluster in a selection result. */
export interface SelectedCluster {
  readonly cluster: Cluster;
  /** Sample index whose full text answers the user (rule: see strategies/representative.ts). */
  readonly representative: number;
  readonly votes: number;
  readonly frequency: number;
  /** Aggregated reward R_c when this cluster was scored, else null. */
  readonly reward: number | null;
  /**
   * How sure the selection is of this answer, in [0, 1]: its vote share n_c / N for every strategy
   * but deepconf, whose value is the confidence-weighted share of the kept traces (`Selection.confidenceBasis`).
   */
  readonly confidence: number;
}

/**
 * What a strategy needs scored and how, when it fixes its own scorer from its options (deepconf reads
 * trace confidences with its `variant`/`window`): the server builds that scorer for the request instead
 * of `selection.scorer`, and `bom eval` computes the same values from the stored token confidences.
 */
export interface ConfidenceScorerSpec {
  readonly kind: 'confidence';
  readonly variant: 'lowest-window' | 'tail' | 'bottom-fraction' | 'mean';
  readonly window: number;
  readonly fraction: number;
  readonly topLogprobs: number;
}

/** Per-cluster figures for metadata: every cluster, chosen or not. */
export interface ClusterReport {
  readonly id: number;
  readonly answer: string | null;
  readonly votes: number;
  readonly frequency: number;
  readonly reward: number | null;
  /** Whether this cluster cleared the strategy's filter (always true for strategies without one). */
  readonly eligible: boolean;
  /** Members scored, when the strategy scores only some (best-of-majority's `score_members`). */
  readonly scored?: number;
}

/** The outcome of a strategy: at most k distinct clusters, best first. */
export interface Selection {
  readonly strategy: string;
  readonly chosen: readonly SelectedCluster[];
  readonly clusters: readonly ClusterReport[];
  /** True when the strategy could not apply its own rule and used a documented fallback. */
  readonly fallback: boolean;
  /** Human-readable reason for the fallback or for returning fewer than k clusters; null otherwise. */
  readonly reason: string | null;
  /** What `chosen[].confidence` is: the vote share, or deepconf's confidence-weighted share. */
  readonly confidenceBasis: 'vote_share' | 'weighted_share';
}
