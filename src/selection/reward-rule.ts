// The stopping rule for the reward strategies (best-of-n, best-of-majority, weighted majority): an
// estimate, by a union over insider–challenger pairs, of the chance that the remaining samples change
// the top-k by the strategy's own criterion (mean, sum or max of the scored members). docs/adaptive.md.
import type { Aggregate, Cluster } from '../core/index.ts';
import { reachChance } from './tails.ts';
import { type Criterion, type Measured, round, scoreTargets, type StopState } from './stop-state.ts';

/** Aggregated reward of the scored members, or undefined when none is scored. */
function aggregateOf(values: readonly number[], how: Aggregate): number | undefined {
  if (values.length === 0) return undefined;
  let sum = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    sum += v;
    if (v > max) max = v;
  }
  return how === 'sum' ? sum : how === 'max' ? max : sum / values.length;
}

export function rewardRule(state: StopState, criterion: Criterion): Measured {
  if (criterion.kind !== 'reward') return { confidence: 0, why: 'not a reward criterion' };
  const { clustering, budget, k } = state;
  const t = clustering.n;
  const r = Math.max(0, budget - t);
  const targets = new Set(scoreTargets(criterion, clustering));
  const rewardOf = (id: number) => (targets.has(id) ? state.reward?.(id) : undefined);
  const pooled: number[] = [];
  for (let i = 0; i < state.order.length; i++) {
    const x = rewardOf(state.order[i]!);
    if (x !== undefined && Number.isFinite(x)) pooled.push(x);
  }
  const answered = clustering.clusters.filter((c) => c.key !== null);
  const scored = new Map<number, number[]>();
  for (const c of answered) {
    const xs: number[] = [];
    for (const m of c.members) {
      const x = rewardOf(m);
      if (x !== undefined && Number.isFinite(x)) xs.push(x);
    }
    scored.set(c.id, xs);
  }
  const value = (c: Cluster) => aggregateOf(scored.get(c.id)!, criterion.aggregate);
  const floorNow = criterion.floor?.(t) ?? 0;
  const eligible = answered.filter((c) => c.count >= floorNow && value(c) !== undefined);
  if (eligible.length < k)
    return {
      confidence: 0,
      why: criterion.floor
        ? `fewer than ${k} answer${k === 1 ? '' : 's'} reached ${floorNow} of ${t} votes`
        : `fewer than ${k} scored answers`,
    };
  const ranked = [...eligible].sort((a, b) => value(b)! - value(a)! || a.id - b.id);
  const top = ranked.slice(0, k);
  const inTop = new Set(top.map((c) => c.id));
  const outsiders = answered.filter((c) => !inTop.has(c.id));

  // Per-sample chances: Laplace for an existing answer, Good–Turing (add-one) for a new one.
  const singletons = answered.filter((c) => c.count === 1).length;
  const pNew = (singletons + 1) / (t + 2);
  const pOf = (c: Cluster) => (c.count + 1) / (t + 2);
  const m = pooled.length;
  // Best-of-majority: the floor at N, and the predictive chance an answer reaches it.
  const floorN = criterion.floor?.(budget) ?? 0;
  // An answer with n of t votes ends with n + X, X ~ BetaBinomial(r, n + 1, t − n + 1) (its share's
  // uniform-prior posterior, as the predictive rule reads votes); it is eligible at N iff n + X ≥ F(N).
  const clears = (count: number) =>
    floorN <= 1 ? 1 : reachChance(r, count + 1, t - count + 1, floorN - count);
  const scoredCount = (c: Cluster) => scored.get(c.id)!.length;

  // Mean criterion (docs/adaptive.md): each answer's value at N is the mean of its scored members then;
  // a swap needs an outsider's value to end above an insider's. For the difference's predictive gap g
  // and variance V, P ≈ exp(−g²/2V) when g > 0 (a sub-Gaussian tail, above the normal one).
  const meanThreat = (): number => {
    const meanVar = (xs: readonly number[]) => {
      const mu = xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
      const v = xs.length > 1 ? xs.reduce((a, b) => a + (b - mu) ** 2, 0) / (xs.length - 1) : 0;
      return { mu, v };
    };
    const all = meanVar(pooled);
    // No spread seen yet (one reward, or all equal): nothing says how far a newcomer's could land.
    if (!(all.v > 0)) return 1;
    // Within-answer spread, pooled over the scored answers, with one degree of freedom of prior at the
    // spread of all rewards (so two lone representatives never look exact).
    let ss = all.v;
    let df = 1;
    for (const c of answered) {
      const xs = scored.get(c.id)!;
      if (xs.length < 2) continue;
      const mu = xs.reduce((a, b) => a + b, 0) / xs.length;
      for (const x of xs) ss += (x - mu) ** 2;
      df += xs.length - 1;
    }
    const s2 = ss / df;
    // An answer not scored yet (or new) is valued like the rewards seen; its value is a mean over at
    // least max(1, F(N)) members, so its spread is the between-answer part of their variance plus
    // s²/max(1, F(N)). (Valuing newcomers like the answers outside the top-k only, or a normal tail in
    // place of the sub-Gaussian one below, stopped sooner and lost 0.4–1.3 points at N = 64.)
    const unscoredVar = Math.max(0, all.v - s2) + s2 / Math.max(1, floorN);
    // A scored answer's mean S over n members moves by j/(n + j)·(x̄_j − S) with j more: predictive
    // variance j·s²/(n(n + j)) (x̄_j's own error s²/j plus the unknown mean's s²/n); fixed once the
    // cap (score_members) is reached.
    const cap = criterion.scoreMembers ?? Number.POSITIVE_INFINITY;
    const spread = (c: Cluster) => {
      const n = scoredCount(c);
      // The members that will count at N and are not scored now: unscored members already drawn (the
      // rule may read fewer than the strategy will score) and the r·p_c expected joiners, up to the cap.
      const j = Math.max(0, Math.min(c.count + r * pOf(c), cap) - n);
      return n === 0 ? unscoredVar : (j * s2) / (n * (n + j));
    };
    // P(challenger ends above) for a predictive gap g (insider minus challenger) and variance v, by the
    // sub-Gaussian tail exp(−g²/2v) (1 when g ≤ 0); with v = 0 the gap is final (a tie stays with the
    // insider, who is ranked first).
    const above = (g: number, v: number) =>
      v <= 0 ? (g >= 0 ? 0 : 1) : g <= 0 ? 1 : Math.exp(-(g * g) / (2 * v));
    // New answers: one lumped challenger under a floor (its chance to clear it), else each of the
    // r·p_new expected is a challenger of its own.
    const newWeight = floorN > 1 ? clears(0) : Math.min(1, r * pNew);
    let sum = 0;
    for (const i of top) {
      const sI = value(i)!;
      const vI = spread(i);
      for (const b of outsiders) sum += clears(b.count) * above(sI - (value(b) ?? all.mu), vI + spread(b));
      if (r > 0) sum += newWeight * above(sI - all.mu, vI + unscoredVar);
    }
    return sum;
  };

  let bound = 0;
  let why = '';
  // Insiders dropping under the floor at N.
  if (floorN > 1)
    for (const c of top) bound += 1 - reachChance(r, c.count + 1, t - c.count + 1, floorN - c.count);

  if (criterion.aggregate === 'sum') {
    const pooledMean = m > 0 ? pooled.reduce((a, b) => a + b, 0) / m : 0;
    const meanOf = (c: Cluster) => {
      const xs = scored.get(c.id)!;
      return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : pooledMean;
    };
    const pooledSquare = m > 0 ? pooled.reduce((a, b) => a + b * b, 0) / m : 0;
    const squareOf = (c: Cluster) => {
      const xs = scored.get(c.id)!;
      return xs.length > 0 ? xs.reduce((a, b) => a + b * b, 0) / xs.length : pooledSquare;
    };
    // The difference walk D = S_I − S_B: each sample adds x (it joins I), −x (it joins B) or 0, with mean
    // (the drift) μ = p_I μ_I − p_B μ_B and variance σ² = p_I E[x_I²] + p_B E[x_B²] − μ², both estimated
    // from the t samples so far. Over r more samples the walk spreads by r·σ², and the drift's error
    // (a mean of t increments) adds r²·σ²/t, so P(D_N ≤ 0) ≈ exp(−(D + rμ)² / (2σ²(r + r²/t))). Without
    // the second term an early lead with a good estimated drift looked safe for the r ≫ t samples left
    // (weighted majority stopped 3.6 points below fixed N at N = 64 on simulated pools).
    const pair = (i: Cluster, sI: number, b: Cluster | null, sB: number) => {
      if (r === 0) return sI > sB ? 0 : 1;
      const pI = pOf(i);
      const pB = b ? pOf(b) : pNew;
      const muB = b ? meanOf(b) : pooledMean;
      const drift = pI * meanOf(i) - pB * muB;
      const variance = Math.max(
        1e-12,
        pI * squareOf(i) + pB * (b ? squareOf(b) : pooledSquare) - drift * drift,
      );
      const gap = sI - sB + r * drift;
      return gap <= 0 ? 1 : Math.exp(-(gap * gap) / (2 * variance * (r + (r * r) / Math.max(1, t))));
    };
    for (const i of top) {
      const sI = value(i)!;
      for (const b of outsiders) bound += clears(b.count) * pair(i, sI, b, value(b) ?? meanOf(b) * b.count);
      bound += clears(0) * pair(i, sI, null, 0);
    }
    why = `P(a change by sums over ${r} more samples) ≈ ${round(Math.min(1, bound))}`;
  } else if (criterion.aggregate === 'mean') {
    bound += meanThreat();
    why = `P(a change of the top ${k} over ${r} more samples) ≈ ${round(Math.min(1, bound))}`;
  } else {
    // Max criterion: a swap of an outsider above an insider needs, for any τ between the best outsider
    // θ' and the k-th value θ, the outsider to end above τ (insiders cannot fall): some joiner of it
    // above τ, r·p_B·q_B(> τ) by a union over the r samples.
    // Future rewards: a joiner of answer c is like c's scored members, with one pseudo-sample from a
    // prior: the rewards of the samples outside the top-k for outsiders and new answers, all rewards
    // for insiders; the prior's tails are Laplace-smoothed, (#{x > y} + 1)/(m + 2).
    const laplaceAbove = (xs: readonly number[]) => {
      const a = Float64Array.from(xs).sort();
      return (y: number) => (a.length - upperBound(a, y) + 1) / (a.length + 2);
    };
    const outsidePool: number[] = [];
    for (const c of outsiders) outsidePool.push(...scored.get(c.id)!);
    const outsideAbove = laplaceAbove(outsidePool);
    const allAbove = laplaceAbove(pooled);
    const tails = new Map<number, (y: number) => number>();
    for (const c of answered) {
      const own = Float64Array.from(scored.get(c.id)!).sort();
      const prior = inTop.has(c.id) ? allAbove : outsideAbove;
      tails.set(c.id, (y) => (own.length - upperBound(own, y) + prior(y)) / (own.length + 1));
    }
    const theta = value(top[k - 1]!)!;
    const scoredOut = outsiders.map(value).filter((v): v is number => v !== undefined);
    const thetaOut = scoredOut.length > 0 ? Math.max(...scoredOut) : Number.NEGATIVE_INFINITY;
    // Any τ in [θ', θ] gives a valid bound; the smallest over these candidates is used.
    const taus = new Set<number>([theta]);
    for (const x of pooled) if (x < theta && x >= thetaOut) taus.add(x);
    if (Number.isFinite(thetaOut)) taus.add((theta + thetaOut) / 2);
    const threatAt = (tau: number) => {
      let sum = 0;
      for (const b of outsiders) {
        const sB = value(b);
        const e = clears(b.count);
        if (sB === undefined) sum += e * outsideAbove(tau);
        else if (sB >= tau) sum += e;
        else if (r > 0) sum += e * Math.min(1, r * pOf(b) * tails.get(b.id)!(tau));
      }
      if (r > 0) sum += clears(0) * Math.min(1, r * pNew * outsideAbove(tau));
      return sum;
    };
    let best = Number.POSITIVE_INFINITY;
    for (const tau of taus) best = Math.min(best, threatAt(tau));
    bound += best;
    why = `bound ${round(Math.min(1, bound))} on a change of the top ${k} over ${r} more samples`;
  }
  return { confidence: Math.max(0, 1 - Math.min(1, bound)), why };
}

/** Number of entries ≤ y in an ascending array. */
function upperBound(a: Float64Array, y: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
