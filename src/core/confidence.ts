// Confidence from token logprobs (DeepConf, Fu et al. 2025; self-certainty, Kang et al. 2025): the pure
// math, in one place. It lives in the vocabulary layer because every layer that meets logprobs needs
// it — the fan-out (`toSample`) turns each token's top logprobs into C_t once, the scorers and the
// `deepconf` strategy turn C_t arrays into trace confidences, the online loop tracks windows as tokens
// stream in, `bom eval` reads the stored arrays — and src/core is the one layer all of them may import.
// See docs/confidence.md for the definitions and the choices made.

/** DeepConf's defaults: k = 20 top logprobs per token, windows of 2,048 tokens, bottom 10 % of windows. */
export const CONFIDENCE_DEFAULTS = { topLogprobs: 20, window: 2048, bottomFraction: 0.1 } as const;

export type ConfidenceVariant = 'lowest-window' | 'tail' | 'bottom-fraction' | 'mean';

export interface TraceConfidenceSettings {
  readonly variant: ConfidenceVariant;
  /** Window length in tokens (≥ 1). */
  readonly window: number;
  /** For `bottom-fraction`: the share of windows averaged (0 < f ≤ 1). */
  readonly fraction?: number;
}

/**
 * Token confidence C_t = −(1/k) Σ_{j ≤ k} log P_t(j) over the k top logprobs of one step. High when the
 * model is sure (the chosen token near 1, the alternatives far below). Non-finite logprobs (−Infinity
 * for a token of zero probability, as some servers send) are clamped to −100 so one entry cannot make
 * C_t infinite. An empty list has no confidence: NaN.
 */
export function tokenConfidence(topLogprobs: readonly number[]): number {
  if (topLogprobs.length === 0) return Number.NaN;
  let sum = 0;
  for (const lp of topLogprobs) sum += clampLogprob(lp);
  return -sum / topLogprobs.length;
}

/**
 * Token self-certainty over the top-k: KL(U_k ‖ p̂), with p̂ the top-k probabilities renormalised and U_k
 * uniform over the same k tokens: −log k − (1/k) Σ_j log p̂_j ≥ 0, 0 for a flat distribution. (Kang et al.
 * take the KL from uniform over the whole vocabulary; an OpenAI-compatible upstream returns at most 20
 * entries, so the divergence is taken over those.) One entry (k = 1) carries no spread: 0.
 */
export function tokenSelfCertainty(topLogprobs: readonly number[]): number {
  const k = topLogprobs.length;
  if (k === 0) return Number.NaN;
  let max = Number.NEGATIVE_INFINITY;
  for (const lp of topLogprobs) max = Math.max(max, clampLogprob(lp));
  let mass = 0;
  let sum = 0;
  for (const lp of topLogprobs) {
    const x = clampLogprob(lp);
    mass += Math.exp(x - max);
    sum += x;
  }
  const logZ = max + Math.log(mass);
  return Math.max(0, -Math.log(k) - sum / k + logZ);
}

function clampLogprob(lp: number): number {
  return Number.isFinite(lp) ? Math.min(0, lp) : lp > 0 ? 0 : -100;
}

/**
 * Means of every full window of w consecutive values (n − w + 1 of them), by prefix sums; a sequence
 * shorter than w has one "window", the whole sequence. Empty input: no windows.
 */
export function windowMeans(values: readonly number[], window: number): number[] {
  const n = values.length;
  if (n === 0) return [];
  const w = Math.max(1, Math.floor(window));
  if (n <= w) return [mean(values)];
  const out = new Array<number>(n - w + 1);
  let sum = 0;
  for (let i = 0; i < w; i++) sum += values[i]!;
  out[0] = sum / w;
  for (let i = w; i < n; i++) {
    sum += values[i]! - values[i - w]!;
    out[i - w + 1] = sum / w;
  }
  return out;
}

/**
 * A trace's confidence from its token confidences:
 * - `lowest-window`: the lowest window mean (DeepConf's "lowest group confidence");
 * - `tail`: the mean of the last w tokens;
 * - `bottom-fraction`: the mean of the lowest ⌈f · #windows⌉ window means (f = 0.1: "bottom 10 %");
 * - `mean`: the mean over the whole trace (the plain average, what self-certainty uses).
 * A trace shorter than w is one window, so every variant gives its mean. No tokens: NaN.
 */
export function traceConfidence(tokens: readonly number[], settings: TraceConfidenceSettings): number {
  if (tokens.length === 0) return Number.NaN;
  const w = Math.max(1, Math.floor(settings.window));
  switch (settings.variant) {
    case 'mean':
      return mean(tokens);
    case 'tail':
      return mean(tokens.length <= w ? tokens : tokens.slice(tokens.length - w));
    case 'lowest-window': {
      let low = Number.POSITIVE_INFINITY;
      for (const m of windowMeans(tokens, w)) low = Math.min(low, m);
      return low;
    }
    case 'bottom-fraction': {
      const means = windowMeans(tokens, w).sort((a, b) => a - b);
      const f = settings.fraction ?? CONFIDENCE_DEFAULTS.bottomFraction;
      const take = Math.max(1, Math.ceil(f * means.length - 1e-9));
      return mean(means.slice(0, take));
    }
  }
}

/**
 * The q-th percentile (0 ≤ q ≤ 100) with linear interpolation between order statistics — NumPy's default,
 * which DeepConf's reference code uses for its thresholds. NaN entries are ignored; none left: NaN.
 */
export function percentile(values: readonly number[], q: number): number {
  const xs = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const pos = (Math.min(100, Math.max(0, q)) / 100) * (xs.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (pos - lo);
}

/**
 * DeepConf's filter threshold: keep the traces at or above the (100 − keep)-th percentile, i.e. the
 * top `keep` % (keep = 10: DeepConf-low; 90: DeepConf-high).
 */
export function keepThreshold(confidences: readonly number[], keep: number): number {
  return percentile(confidences, 100 - keep);
}

/**
 * Sliding-window confidence as tokens arrive (online early termination): `push` adds one token's C_t
 * and returns the mean of the last w tokens once w have arrived (null before). A trace is stopped when
 * that value falls below the warm-up threshold; traces shorter than w are never stopped.
 */
export class WindowTracker {
  readonly #w: number;
  readonly #ring: Float64Array;
  #n = 0;
  #sum = 0;
  #lowest = Number.POSITIVE_INFINITY;

  constructor(window: number) {
    this.#w = Math.max(1, Math.floor(window));
    this.#ring = new Float64Array(this.#w);
  }

  push(c: number): number | null {
    const slot = this.#n % this.#w;
    if (this.#n >= this.#w) this.#sum -= this.#ring[slot]!;
    this.#ring[slot] = c;
    this.#sum += c;
    this.#n++;
    if (this.#n < this.#w) return null;
    const m = this.#sum / this.#w;
    this.#lowest = Math.min(this.#lowest, m);
    return m;
  }

  /** Tokens seen. */
  get tokens(): number {
    return this.#n;
  }

  /** The lowest full-window mean so far (Infinity before the first full window). */
  get lowest(): number {
    return this.#lowest;
  }
}

/** Rounds for storage: 3 decimals keep C_t to 0.001 nats, far below any threshold's resolution. */
export function roundConfidence(values: readonly number[], decimals = 3): number[] {
  const f = 10 ** decimals;
  return values.map((v) => Math.round(v * f) / f);
}

/**
 * Expected calibration error of confidences in [0, 1] against outcomes (1 correct, 0 not), with `bins`
 * equal-width bins: Σ_b (n_b / n) · |accuracy_b − mean confidence_b|. Also returns the bins (the
 * reliability diagram). Empty input: ece NaN.
 */
export function calibration(
  points: readonly { readonly confidence: number; readonly correct: boolean }[],
  bins = 10,
): { ece: number; bins: { lo: number; hi: number; count: number; confidence: number; accuracy: number }[] } {
  const acc = Array.from({ length: bins }, () => ({ count: 0, conf: 0, right: 0 }));
  for (const p of points) {
    const c = Math.min(1, Math.max(0, p.confidence));
    const b = Math.min(bins - 1, Math.floor(c * bins));
    acc[b]!.count++;
    acc[b]!.conf += c;
    if (p.correct) acc[b]!.right++;
  }
  const n = points.length;
  let ece = 0;
  const out = acc.map((a, b) => {
    const confidence = a.count === 0 ? 0 : a.conf / a.count;
    const accuracy = a.count === 0 ? 0 : a.right / a.count;
    if (n > 0) ece += (a.count / n) * Math.abs(accuracy - confidence);
    return { lo: b / bins, hi: (b + 1) / bins, count: a.count, confidence, accuracy };
  });
  return { ece: n === 0 ? Number.NaN : ece, bins: out };
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
