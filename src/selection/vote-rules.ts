// The stopping rules for majority: beta (Adaptive-Consistency), predictive and regret (budget-aware,
// on the Pólya urn of tails.ts), and window (Early-Stopping Self-Consistency). docs/adaptive.md.
import { betaLeadConfidence, overtakeChance, regretChance } from './tails.ts';
import { byVotes, type Measured, round, type StopState } from './stop-state.ts';

export function betaRule(state: StopState): Measured {
  const ranked = byVotes(state.clustering);
  const vk = ranked[state.k - 1]?.count ?? 0;
  const vnext = ranked[state.k]?.count ?? 0;
  return {
    confidence: betaLeadConfidence(vk, vnext),
    why: `${state.k === 1 ? 'leader' : `answer ${state.k}`} ${vk} votes vs ${vnext}`,
  };
}

export function predictiveRule(state: StopState, regret: boolean): Measured {
  const { clustering, budget, k } = state;
  const r = Math.max(0, budget - clustering.n);
  const ranked = byVotes(clustering);
  const none = clustering.clusters.find((c) => c.key === null)?.count ?? 0;
  // Total Dirichlet mass: answered v_c + 1 each, the no-answer votes, 1 for a new answer.
  let mass = none + 1;
  for (const c of ranked) mass += c.count + 1;
  const insiders = ranked.slice(0, k);
  const label = `${k === 1 ? 'leader' : `answer ${k}`} ${insiders[k - 1]?.count ?? 0} votes vs ${ranked[k]?.count ?? 0}`;
  if (insiders.length < k) {
    // Fewer than k answers so far: the top-k is not yet formed (new answers must fill it).
    return { confidence: 0, why: `fewer than ${k} answers; ${r} samples left` };
  }
  let threat = 0;
  // Challengers with the same votes and the same side of the tie-break pose the same threat.
  const seen = new Map<string, number>();
  for (const i of insiders) {
    const a = i.count + 1;
    const pair = (bCount: number, bMass: number, winsTies: boolean, rest: number) => {
      const need = i.count - bCount + (winsTies ? 0 : 1);
      const key = `${a},${bMass},${need},${rest}`;
      let p = seen.get(key);
      if (p === undefined) {
        p = regret ? regretChance(a, bMass, rest, r, need) : overtakeChance(a, bMass, rest, r, need);
        seen.set(key, p);
      }
      threat += p;
    };
    for (const j of ranked.slice(k)) pair(j.count, j.count + 1, j.id < i.id, mass - a - (j.count + 1));
    // Every answer not seen yet, lumped into one (stronger) challenger; it loses ties (appears later).
    pair(0, 1, false, mass - a - 1);
  }
  const confidence = Math.max(0, 1 - Math.min(1, threat));
  const why =
    threat === 0
      ? `${label}, unbeatable with ${r} sample${r === 1 ? '' : 's'} left`
      : regret
        ? `${label}, expected accuracy lost by stopping before ${r} more samples ≤ ${round(Math.min(1, threat))}`
        : `${label}, P(overturned in ${r} more samples) ≤ ${round(Math.min(1, threat))}`;
  return { confidence, why };
}

export function windowRule(state: StopState, w: number): Measured {
  const ranked = byVotes(state.clustering);
  const { k, order } = state;
  if (ranked.length < k) return { confidence: 0, why: `fewer than ${k} answers` };
  const clusterOf = new Map<number, number>();
  for (const c of state.clustering.clusters) for (const m of c.members) clusterOf.set(m, c.id);
  // The top-k set changes only at its boundary: the k-th answer against everything below it. So the
  // window reads the votes that do not go to the top k − 1 (k = 1: every vote, Li et al.'s rule) and
  // counts the trailing run of them for the k-th answer; a vote for an outsider, a new answer or no
  // answer breaks it. (A run of votes merely inside the top-k says nothing about the k-th place: with
  // four votes for the leader the runner-up's single vote would look settled.)
  const above = new Set(ranked.slice(0, k - 1).map((c) => c.id));
  const kth = ranked[k - 1]!.id;
  let run = 0;
  for (let i = order.length - 1; i >= 0; i--) {
    const id = clusterOf.get(order[i]!);
    if (id !== undefined && above.has(id)) continue;
    if (id !== kth) break;
    run++;
  }
  // Reported as the Beta rule reads a unanimous run, evidence (run, 0); it stops at run ≥ w.
  return {
    confidence: betaLeadConfidence(run, 0),
    decided: run >= w,
    why:
      k === 1
        ? `last ${run} votes unanimous (window ${w})`
        : `last ${run} votes below the top ${k - 1} all for answer ${k} (window ${w})`,
  };
}
