// Adaptive sampling: when to stop drawing samples because the answer is decided. Pure (no I/O): the
// server's wave loop (src/server/adaptive.ts) and eval's grid (eval/grid.ts) call the same
// `decideStop` on the samples drawn so far, in draw order, so both stop at the same sample.
// The rules and their derivations: docs/adaptive.md. This file: the settings and the one decision;
// vote-rules.ts (majority), reward-rule.ts (the reward strategies), tails.ts (the probabilities they
// are built from), stop-state.ts (what they read).
//
// - `beta` (Adaptive-Consistency, Aggarwal et al. 2023): with v_k ≥ v_{k+1} the k-th and (k+1)-th
//   largest answered vote counts, stop when P(p_k > p_{k+1} | votes) = 1 − I_{1/2}(v_k + 1, v_{k+1} + 1) ≥ C.
// - `predictive` (budget-aware majority): the posterior predictive probability, over the r = N − t samples
//   still to come, that the top-k at N is the current one (Dirichlet-multinomial, a union over the
//   challengers); exactly 1 once no challenger can catch up even with every remaining vote.
// - `regret` (the majority default): the same urn, each overturning future weighted by the accuracy it
//   wins back (P(the new answer is truly larger) − P(the old one is)); 1 − C bounds the expected
//   accuracy given up by stopping.
// - `window` (Early-Stopping Self-Consistency, Li et al. 2024): stop when the last w votes are
//   unanimous (k > 1: the last w votes that do not go to the top k − 1 all go to the k-th answer).
// - `reward` (best-of-n, best-of-majority, weighted majority): an estimate, by a union over pairs, of
//   the chance that the remaining N − t samples change the top-k by the strategy's own criterion.
//
// What votes is the voting rule's business (votes.ts): the clustering handed in is of the votes cast, so
// truncated samples outvoted by complete ones sit in the "no answer" cluster, which never leads.
import type { Strategy, StrategyOptions } from '../../strategies/index.ts';
import { minimumVotes } from '../../strategies/index.ts';
import { rewardRule } from './reward-rule.ts';
import { type Criterion, round, type StopState } from './stop-state.ts';
import { betaLeadConfidence } from './tails.ts';
import { betaRule, predictiveRule, windowRule } from './vote-rules.ts';

// The parts, re-exported: this module is the stopping rules' one entry point.
export {
  type Criterion,
  type Measured,
  READS_PER_CLUSTER,
  scoreTargets,
  scoringOrder,
  type StopState,
} from './stop-state.ts';
export {
  betaLeadConfidence,
  binomialCdf,
  incompleteBetaInt,
  overtakeChance,
  reachChance,
  regretChance,
} from './tails.ts';

export type AdaptiveRule = 'beta' | 'predictive' | 'regret' | 'window' | 'reward';

export interface AdaptiveSettings {
  readonly rule: AdaptiveRule;
  /** C: the confidence at which the answer counts as decided. */
  readonly confidence: number;
  /** Never stop before this many samples (at most N). */
  readonly minSamples: number;
  /** Samples per wave after the first (the first wave is max(min_samples, batch)). */
  readonly batch: number;
  /** Window length w of the `window` rule. */
  readonly window: number;
}

/** Defaults, chosen by measurement (docs/adaptive.md, bench/adaptive.ts). */
export const ADAPTIVE_DEFAULTS = {
  rule: 'regret',
  /** C for the rules that bound a probability of change (beta, predictive, window, reward). */
  confidence: 0.95,
  /** C for the regret rule, which bounds an expected accuracy loss (a smaller quantity). */
  regretConfidence: 0.98,
  min_samples: 3,
  batch: 2,
} as const satisfies {
  rule: AdaptiveRule;
  confidence: number;
  regretConfidence: number;
  min_samples: number;
  batch: number;
};

/** The smallest window whose unanimity, read as votes (w, 0), meets the Beta rule at C. */
export function windowFor(confidence: number): number {
  let w = 1;
  while (betaLeadConfidence(w, 0) < confidence && w < 1024) w++;
  return w;
}

export function criterionOf(strategy: Strategy, options: StrategyOptions): Criterion {
  if (strategy.rewards === 'none') return { kind: 'votes' };
  const aggregate = strategy.aggregate ?? options.aggregate;
  if (strategy.rewards === 'all') return { kind: 'reward', aggregate };
  return {
    kind: 'reward',
    aggregate,
    floor: (n: number) => minimumVotes(options, n),
    ...(options.score_members !== undefined ? { scoreMembers: options.score_members } : {}),
  };
}

/** The adaptive settings a request's `adaptive` option stands for, or null when it is off. */
export function adaptiveSettings(
  option: StrategyOptions['adaptive'],
  criterion: Criterion,
): AdaptiveSettings | null {
  if (option === undefined || option === false) return null;
  const o = option === true ? {} : option;
  const rule: AdaptiveRule =
    criterion.kind === 'reward'
      ? 'reward'
      : o.rule === 'window' || o.rule === 'beta' || o.rule === 'predictive' || o.rule === 'regret'
        ? o.rule
        : ADAPTIVE_DEFAULTS.rule;
  const confidence =
    o.confidence ?? (rule === 'regret' ? ADAPTIVE_DEFAULTS.regretConfidence : ADAPTIVE_DEFAULTS.confidence);
  return {
    rule,
    confidence,
    minSamples: o.min_samples ?? ADAPTIVE_DEFAULTS.min_samples,
    batch: o.batch ?? ADAPTIVE_DEFAULTS.batch,
    window: o.window ?? windowFor(confidence),
  };
}

export interface StopDecision {
  readonly stop: boolean;
  /** Stopped before the budget ran out. */
  readonly early: boolean;
  readonly rule: AdaptiveRule;
  /** The rule's confidence that the top-k is decided. */
  readonly confidence: number;
  /** Samples drawn (t). */
  readonly samples: number;
  /** Why it stopped, or why it could not decide. */
  readonly reason: string;
}

export function decideStop(state: StopState, criterion: Criterion, settings: AdaptiveSettings): StopDecision {
  const t = state.clustering.n;
  const measured =
    settings.rule === 'beta'
      ? betaRule(state)
      : settings.rule === 'predictive' || settings.rule === 'regret'
        ? predictiveRule(state, settings.rule === 'regret')
        : settings.rule === 'window'
          ? windowRule(state, settings.window)
          : rewardRule(state, criterion);
  const base = { rule: settings.rule, confidence: measured.confidence, samples: t };
  const decided = measured.decided ?? measured.confidence >= settings.confidence;
  if (t >= state.budget) {
    return {
      ...base,
      stop: true,
      early: false,
      reason: decided
        ? `decided at the budget of ${state.budget} samples`
        : `the budget of ${state.budget} samples ran out before the answer was decided (${settings.rule} rule at confidence ${round(measured.confidence)}, needs ${settings.confidence}; ${measured.why})`,
    };
  }
  if (t < Math.min(settings.minSamples, state.budget))
    return { ...base, stop: false, early: false, reason: `fewer than min_samples=${settings.minSamples}` };
  if (decided) {
    return {
      ...base,
      stop: true,
      early: true,
      reason: `decided after ${t} of ${state.budget} samples (${measured.why})`,
    };
  }
  return { ...base, stop: false, early: false, reason: measured.why };
}
