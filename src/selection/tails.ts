// The probability tails the stopping rules are built from, exact up to rounding: binomial tails (the
// regularised incomplete Beta at integers), and the Pólya-urn (Dirichlet-multinomial) chances of the
// predictive, regret and best-of-majority floor computations. Pure functions of numbers, memoised.
// Derivations: docs/adaptive.md.

// Binomial tails: I_x(a, b) for integer a, b is one (I_x(a, b) = P(Bin(a + b − 1, x) ≥ a)).

/** P(X ≤ k) for X ~ Binomial(n, p), summed in log space from the smaller tail (exact up to rounding). */
export function binomialCdf(n: number, p: number, k: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  const lq = Math.log1p(-p);
  const lp = Math.log(p);
  const logTerm = (j: number, prev: number) => prev + Math.log((n - j + 1) / j) + lp - lq;
  // log C(n, j) p^j q^(n−j), walking j upward from 0.
  const terms: number[] = [];
  let lt = n * lq;
  terms.push(lt);
  for (let j = 1; j <= n; j++) {
    lt = logTerm(j, lt);
    terms.push(lt);
  }
  const lower = k + 1 <= n - k;
  const from = lower ? 0 : k + 1;
  const to = lower ? k : n;
  let max = Number.NEGATIVE_INFINITY;
  for (let j = from; j <= to; j++) max = Math.max(max, terms[j]!);
  let sum = 0;
  for (let j = from; j <= to; j++) sum += Math.exp(terms[j]! - max);
  const tail = Math.min(1, Math.exp(max + Math.log(sum)));
  return lower ? tail : Math.max(0, 1 - tail);
}

/** The regularised incomplete Beta I_x(a, b) for positive integers a, b. */
export function incompleteBetaInt(x: number, a: number, b: number): number {
  return 1 - binomialCdf(a + b - 1, x, a - 1);
}

/** Adaptive-Consistency's confidence that the answer with v1 votes leads the one with v2: 1 − I_½(v1+1, v2+1). */
export function betaLeadConfidence(v1: number, v2: number): number {
  return binomialCdf(v1 + v2 + 1, 0.5, v1);
}

// The predictive rule (docs/adaptive.md, "predictive"). Posterior on the answer shares: Dirichlet with
// mass v_c + 1 on each answered cluster c, v_0 on the no-answer cluster and 1 on "an answer not seen
// yet"; the r remaining samples are a Pólya urn over it. For a pair (insider i, challenger j) with
// masses a, b and the rest c = A − a − b: the number M of the r draws that land on i or j is
// BetaBinomial(r, a + b, c); given M = m, i's share of them is BetaBinomial(m, a, b), independently of
// the rest. j overtakes i iff X_j − X_i ≥ need (need = v_i − v_j, plus one when i wins ties by first
// appearance), i.e. X_i ≤ ⌊(m − need)/2⌋. The chance the top-k changes is at most the sum of these
// over insider–challenger pairs (the union bound), and exactly 0 when every need exceeds r.

/**
 * log P(M = m) for m = need..r (−∞ below), M ~ BetaBinomial(r, ab, c): how many of the r draws land on
 * the pair (mass ab) rather than the rest (mass c); M = r when c = 0. Walked from m = r downward.
 */
function landingLogs(ab: number, c: number, r: number, need: number): Float64Array {
  const logM = new Float64Array(r + 1).fill(Number.NEGATIVE_INFINITY);
  if (c <= 0) {
    logM[r] = 0;
    return logM;
  }
  // log P(M = r) = Σ_{i<r} log((ab + i)/(ab + c + i)); P(m − 1)/P(m) = m/(r − m + 1) · (r − m + c)/(m − 1 + ab).
  let l = 0;
  for (let i = 0; i < r; i++) l += Math.log((ab + i) / (ab + c + i));
  logM[r] = l;
  for (let m = r; m > Math.max(need, 0); m--) {
    l += Math.log((m / (r - m + 1)) * ((r - m + c) / (m - 1 + ab)));
    logM[m - 1] = l;
  }
  return logM;
}

/** Memo of `overtakeChance` (a pure function of integers); cleared when it grows large. */
const overtakeMemo = new Map<string, number>();

/**
 * P(X_j − X_i ≥ need) after r more draws, for Dirichlet masses a (i), b (j) and c (everything else).
 * Exact up to rounding: Σ_m P(M = m) · P(X_i ≤ ⌊(m − need)/2⌋ | M = m).
 */
export function overtakeChance(a: number, b: number, c: number, r: number, need: number): number {
  if (need > r) return 0;
  if (need <= 0) return 1;
  const key = `${a},${b},${c},${r},${need}`;
  const hit = overtakeMemo.get(key);
  if (hit !== undefined) return hit;
  let total = 0;
  const ab = a + b;
  const logM = landingLogs(ab, c, r, need);
  // log P(X_i = 0 | m) = Σ_{i<m} log((b + i)/(a + b + i)), grown with m.
  let log0 = 0;
  for (let m = 0; m <= r; m++) {
    if (m > 0) log0 += Math.log((b + m - 1) / (ab + m - 1));
    if (m < need || logM[m] === Number.NEGATIVE_INFINITY) continue;
    const top = Math.floor((m - need) / 2);
    // Σ_{x ≤ top} P(X_i = x | m); P(x + 1)/P(x) = (m − x)/(x + 1) · (x + a)/(m − x − 1 + b).
    let term = 1;
    let sum = 1;
    let scale = 0;
    for (let x = 0; x < top; x++) {
      term *= ((m - x) / (x + 1)) * ((x + a) / (m - x - 1 + b));
      sum += term;
      if (sum > 1e200) {
        term /= 1e200;
        sum /= 1e200;
        scale += 200 * Math.LN10;
      }
    }
    total += Math.exp(logM[m]! + log0 + scale + Math.log(sum));
  }
  const p = Math.min(1, Math.max(0, total));
  if (overtakeMemo.size > 200_000) overtakeMemo.clear();
  overtakeMemo.set(key, p);
  return p;
}

/** Memo of `regretChance`, as `overtakeMemo`. */
const regretMemo = new Map<string, number>();
/** P(p_j > p_i | votes) under uniform priors: the beta rule's quantity, memoised by (v_j, v_i). */
const largerMemo = new Map<number, number>();
function largerShare(vj: number, vi: number): number {
  const key = vj * 1_048_576 + vi;
  let p = largerMemo.get(key);
  if (p === undefined) {
    p = betaLeadConfidence(vj, vi);
    if (largerMemo.size > 200_000) largerMemo.clear();
    largerMemo.set(key, p);
  }
  return p;
}

/**
 * The expected accuracy lost by keeping insider i now rather than sampling on to N, counting only the
 * futures where challenger j overtakes i (masses a = v_i + 1, b = v_j + 1, rest c, as overtakeChance):
 * Σ over those futures of P(future) · (P(p_j > p_i | votes at N) − P(p_i > p_j | votes at N)). A swap
 * to an answer that is barely ahead at N gains little (it is nearly a coin toss which is truly larger);
 * a swap after a lead has been overturned gains nearly all of it. Never more than overtakeChance.
 */
export function regretChance(a: number, b: number, c: number, r: number, need: number): number {
  if (need > r) return 0;
  const key = `${a},${b},${c},${r},${need}`;
  const hit = regretMemo.get(key);
  if (hit !== undefined) return hit;
  const vi = a - 1;
  const vj = b - 1;
  const ab = a + b;
  const logM = landingLogs(ab, c, r, need);
  let total = 0;
  let log0 = 0;
  for (let m = 0; m <= r; m++) {
    if (m > 0) log0 += Math.log((b + m - 1) / (ab + m - 1));
    if (m < need || logM[m] === Number.NEGATIVE_INFINITY) continue;
    const top = Math.floor((m - need) / 2);
    // log P(X_i = x | m), X_i ~ BetaBinomial(m, a, b); P(x)/P(x − 1) = (m − x + 1)/x · (x − 1 + a)/(m − x + b).
    let lt = logM[m]! + log0;
    for (let x = 0; x <= top; x++) {
      if (x > 0) lt += Math.log(((m - x + 1) / x) * ((x - 1 + a) / (m - x + b)));
      total += Math.exp(lt) * (2 * largerShare(vj + m - x, vi + x) - 1);
    }
  }
  const p = Math.min(1, Math.max(0, total));
  if (regretMemo.size > 200_000) regretMemo.clear();
  regretMemo.set(key, p);
  return p;
}

/** P(X ≥ need) for X ~ BetaBinomial(r, a, b): 1 when need ≤ 0, 0 when need > r. */
export function reachChance(r: number, a: number, b: number, need: number): number {
  if (need <= 0) return 1;
  if (need > r) return 0;
  // log P(X = 0) = Σ_{i<r} log((b + i)/(a + b + i)); P(x + 1)/P(x) = (r − x)/(x + 1) · (x + a)/(r − x − 1 + b).
  let l = 0;
  for (let i = 0; i < r; i++) l += Math.log((b + i) / (a + b + i));
  let below = 0;
  for (let x = 0; x < need; x++) {
    below += Math.exp(l);
    l += Math.log(((r - x) / (x + 1)) * ((x + a) / (r - x - 1 + b)));
  }
  return Math.min(1, Math.max(0, 1 - below));
}
