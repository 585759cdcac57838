import type { Aggregate, Cluster } from '../src/core/index.ts';
import { defineStrategy, type RankContext } from './define.ts';
import { minimumVotes } from './options.ts';
import { byVotes, rankDescending } from './rank.ts';

/**
 * Best-of-Majority (arXiv 2510.03199): keep the clusters with f_c ≥ α (and n_c ≥ min_votes), then
 * the top-k of those by R_c. Only surviving clusters are scored. No back-fill from below the floor,
 * as in the authors' code: fewer than k answers come back when fewer clear it. When none clears it
 * (the paper's code crashes there) we return majority order and set `fallback`.
 */
export const bestOfMajority = defineStrategy({
  name: 'best-of-majority',
  aliases: ['bom'],
  options: ['alpha', 'min_votes', 'aggregate', 'score_members', 'adaptive'],
  description: 'answers whose frequency clears alpha, ranked by aggregated reward; scores only those',
  rewards: 'filtered',
  async rank({ clustering, candidates, options, rewards, rewardsOfFirst, memberScores }) {
    const floor = minimumVotes(options, clustering.n);
    const survivors = candidates.filter((c) => c.count >= floor);
    const eligible = new Set(survivors.map((c) => c.id));
    if (survivors.length === 0) {
      return {
        order: byVotes(candidates),
        eligible,
        fallback: true,
        reason: `no answer reached ${floor} of ${clustering.n} votes; fell back to majority order`,
      };
    }
    const r =
      options.score_members === undefined
        ? await rewards(survivors)
        : await scoreSome(
            survivors,
            options.score_members,
            options.k,
            options.aggregate,
            rewardsOfFirst,
            memberScores,
          );
    const order = rankDescending(survivors, (c) => r.get(c.id)!);
    const reason =
      survivors.length < options.k && survivors.length < candidates.length
        ? `only ${survivors.length} answer${survivors.length === 1 ? '' : 's'} reached ${floor} of ${clustering.n} votes`
        : undefined;
    return reason ? { order, eligible, reason } : { order, eligible };
  },
});

// Experiment knobs (temporary).
const ENV = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
export const Z = Number(ENV['BOM_Z'] ?? '2');
const MODE = ENV['BOM_MODE'] ?? 'seq';
const PICK = ENV['BOM_PICK'] ?? 'lucb';
const PRIOR_DF = Number(ENV['BOM_PRIOR_DF'] ?? '1');
const ZERO = (ENV['BOM_ZERO'] ?? '1') === '1';
const CAPFRAC = Number(ENV['BOM_CAPFRAC'] ?? '0');
const FPC = (ENV['BOM_FPC'] ?? '1') === '1';

/** How many members of a cluster `score_members = m` may score. */
export function memberCap(m: number, count: number): number {
  return Math.min(count, Math.max(m, Math.ceil(CAPFRAC * count)));
}

async function scoreSome(
  survivors: readonly Cluster[],
  m: number,
  k: number,
  aggregate: Aggregate,
  rewardsOfFirst: RankContext['rewardsOfFirst'],
  memberScores: RankContext['memberScores'],
): Promise<ReadonlyMap<number, number>> {
  if (ZERO && survivors.length === 1) return new Map([[survivors[0]!.id, 0]]);
  const plan = (c: Cluster) => memberCap(m, c.count);
  if (aggregate !== 'mean') return rewardsOfFirst(survivors.map((c) => ({ cluster: c, count: plan(c) })));
  let r = await rewardsOfFirst(survivors.map((c) => ({ cluster: c, count: 1 })));
  if (MODE === 'bound') {
    for (;;) {
      const all = survivors.flatMap((c) => memberScores(c));
      const lo = Math.min(...all);
      const hi = Math.max(...all);
      const bounds = survivors.map((c) => {
        const xs = memberScores(c);
        const sum = xs.reduce((a, b) => a + b, 0);
        const left = plan(c) - xs.length;
        return { c, left, lower: (sum + left * lo) / plan(c), upper: (sum + left * hi) / plan(c) };
      });
      const kth = [...bounds].sort((a, b) => b.lower - a.lower)[Math.min(k, bounds.length) - 1]!.lower;
      const refine = bounds.filter((b) => b.left > 0 && b.upper > kth);
      if (refine.length === 0) return r;
      r = await rewardsOfFirst(refine.map((b) => ({ cluster: b.c, count: memberScores(b.c).length + 1 })));
      r = new Map(survivors.map((c) => [c.id, mean(memberScores(c))]));
    }
  }
  for (;;) {
    const refine = toRefine(
      survivors.map((c) => ({ id: c.id, size: c.count, scores: memberScores(c), cap: plan(c) })),
      k,
      Z,
    );
    if (refine.length === 0) return new Map(survivors.map((c) => [c.id, mean(memberScores(c))]));
    const ids = new Set(refine);
    await rewardsOfFirst(
      survivors.filter((c) => ids.has(c.id)).map((c) => ({ cluster: c, count: memberScores(c).length + 1 })),
    );
  }
}

export interface ScoredCluster {
  readonly id: number;
  readonly size: number;
  readonly scores: readonly number[];
  readonly cap: number;
}

/** Pooled within-cluster standard deviation, with the spread of all scores as a one-df prior. */
export function pooledSpread(clusters: readonly ScoredCluster[]): number {
  let ss = 0;
  let df = 0;
  const all: number[] = [];
  for (const c of clusters) {
    const mu = mean(c.scores);
    for (const x of c.scores) {
      ss += (x - mu) ** 2;
      all.push(x);
    }
    df += Math.max(0, c.scores.length - 1);
  }
  const grand = mean(all);
  const prior = all.length > 1 ? all.reduce((a, x) => a + (x - grand) ** 2, 0) / (all.length - 1) : 0;
  return Math.sqrt((ss + PRIOR_DF * prior) / (df + PRIOR_DF));
}

export function toRefine(clusters: readonly ScoredCluster[], k: number, z: number): number[] {
  const s = pooledSpread(clusters);
  const est = clusters.map((c) => {
    const mu = mean(c.scores);
    const w = (z * s) / Math.sqrt(c.scores.length);
    return { c, mu, lo: mu - w, hi: mu + w, open: c.scores.length < c.cap };
  });
  est.sort((a, b) => b.mu - a.mu || a.c.id - b.c.id);
  const out = new Set<number>();
  const boundaries = Math.min(k, est.length - 1);
  for (let j = 1; j <= boundaries; j++) {
    const inside = est.slice(0, j);
    const outside = est.slice(j);
    const maxHi = Math.max(...outside.map((e) => e.hi));
    const minLo = Math.min(...inside.map((e) => e.lo));
    if (PICK.startsWith('pair')) {
      // the most ambiguous insider–outsider pair by its standardised gap
      let worst: { i: (typeof est)[number]; o: (typeof est)[number]; g: number } | undefined;
      for (const i of inside)
        for (const o of outside) {
          if (!i.open && !o.open) continue;
          const f = (e: (typeof est)[number]) =>
            (1 / e.c.scores.length) * (FPC ? 1 - e.c.scores.length / e.c.size : 1);
          const se = s * Math.sqrt(f(i) + f(o));
          const g = se === 0 ? Number.POSITIVE_INFINITY : (i.mu - o.mu) / se;
          if (g < z && (worst === undefined || g < worst.g)) worst = { i, o, g };
        }
      if (!worst) continue;
      const { i, o } = worst;
      if (PICK === 'pair-both') {
        if (i.open) out.add(i.c.id);
        if (o.open) out.add(o.c.id);
      } else {
        const pickI = i.open && (!o.open || i.c.scores.length <= o.c.scores.length);
        out.add(pickI ? i.c.id : o.c.id);
      }
      continue;
    }
    if (minLo >= maxHi) continue;
    const inO = inside.filter((e) => e.lo < maxHi && e.open);
    const outO = outside.filter((e) => e.hi > minLo && e.open);
    if (PICK === 'all') {
      for (const e of [...inO, ...outO]) out.add(e.c.id);
    } else {
      const a = inO.reduce<(typeof est)[number] | undefined>((b, e) => (b === undefined || e.lo < b.lo ? e : b), undefined);
      const b = outO.reduce<(typeof est)[number] | undefined>((b2, e) => (b2 === undefined || e.hi > b2.hi ? e : b2), undefined);
      if (a) out.add(a.c.id);
      if (b) out.add(b.c.id);
    }
  }
  return [...out];
}

const mean = (xs: readonly number[]) =>
  xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
