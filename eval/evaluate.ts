// `bom eval` without the CLI: records → prepared problems → resampling grid → summary with bootstrap
// CIs over problems, the policy's pass@k and the coverage ceiling (pass@N), and every problem that
// was skipped or could not be graded.
import type { Selection } from '../src/core/index.ts';
import { BomError, calibration } from '../src/core/index.ts';
import { passAtK } from './passk.ts';
import type { AnswerService } from '../src/selection/index.ts';
import { type AnswerMode, type PreparedProblem, prepareProblem } from './prepare.ts';
import { type Arm, type GridResult, clusteringOfDraw, rewardsFor, runGrid } from './grid.ts';
import { bootstrapCI, mean } from './stats.ts';
import type { ProblemRecord } from './store.ts';

export interface EvalOptions {
  readonly Ns: readonly number[];
  readonly ks: readonly number[];
  readonly trials: number;
  readonly seed: number;
  readonly mode: AnswerMode;
  /** The answer service for mode 'extract' (the server's extraction and equivalence). */
  readonly answers?: AnswerService;
  readonly bootstrap?: number;
  readonly level?: number;
  readonly onProblem?: (done: number, total: number) => void;
  /** Keep first-trial selections and clusterings (for `bom ab` and reports). */
  readonly keepSelections?: boolean;
}

export interface ResultRow {
  strategy: string;
  N: number;
  k: number;
  pass_at_k: number;
  ci: [number, number];
  problems: number;
  /** Mean reward-model calls per trial (the strategy's cost). */
  mean_scored: number;
  /** Trials where the strategy used its documented fallback. */
  fallbacks: number;
  /** Mean samples drawn per trial: N for a fixed arm, where the rule stopped for an adaptive one. */
  mean_samples: number;
  /** Mean completion tokens drawn per trial, when every sample records its count. */
  mean_tokens?: number;
  /** Adaptive arms: the fraction of trials stopped before N. */
  early_stop_rate?: number;
}

export interface OracleRow {
  N: number;
  k: number;
  /**
   * Pass@k of the policy (Codex estimator over the pool), k capped at N: what k samples submitted
   * without selection score. A baseline selection should beat, not a ceiling (that is `coverage`).
   */
  pass_at_k: number;
  /**
   * Fraction of problems whose N drawn samples contain a correct one, in expectation (pass@N): the
   * ceiling of every selector at this N.
   */
  coverage: number;
}

export interface EvalSummary {
  problems: number;
  graded: number;
  answers: AnswerMode;
  Ns: number[];
  ks: number[];
  trials: number;
  seed: number;
  results: ResultRow[];
  oracle: OracleRow[];
  /** Problems with fewer samples than N, per N: reported, excluded from that N only. */
  skipped: { N: number; count: number; ids: string[] }[];
  warnings: string[];
  /**
   * Calibration of `selection.confidence` (the first choice's) per strategy and N, over every trial:
   * the expected calibration error with 10 equal-width bins and the reliability diagram's bins.
   */
  calibration: CalibrationRow[];
  /** Selections at the largest N, when there is nothing to grade against. */
  selections?: { id: string; strategy: string; N: number; answers: (string | null)[] }[];
}

export interface CalibrationRow {
  strategy: string;
  N: number;
  /** What the confidence is: the vote share, or deepconf's confidence-weighted share. */
  basis: 'vote_share' | 'weighted_share';
  /** Trials (first choices) binned. */
  trials: number;
  ece: number;
  /** Accuracy of the first choice over all trials, and its mean confidence. */
  accuracy: number;
  mean_confidence: number;
  bins: { lo: number; hi: number; count: number; confidence: number; accuracy: number }[];
}

export interface EvalRun {
  readonly summary: EvalSummary;
  readonly grid: GridResult;
  readonly prepared: readonly PreparedProblem[];
  readonly arms: readonly Arm[];
}

export function prepareAll(
  records: readonly ProblemRecord[],
  mode: AnswerMode,
  answers: AnswerService | undefined,
): PreparedProblem[] {
  return records.map((r) => prepareProblem(r, answers ? { mode, answers } : { mode }));
}

export async function evaluate(
  records: readonly ProblemRecord[],
  requestedArms: readonly Arm[],
  options: EvalOptions,
): Promise<EvalRun> {
  const warnings: string[] = [];
  const Ns = [...new Set(options.Ns)].sort((a, b) => a - b);
  const ks = [...new Set(options.ks)].sort((a, b) => a - b);
  if (Ns.some((n) => !Number.isInteger(n) || n < 1) || ks.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new BomError('N and k must be positive integers', { code: 'invalid_option', param: 'N' });
  }
  const prepared = prepareAll(records, options.mode, options.answers);
  const graded = prepared.filter((p) => p.sampleCorrect !== null);
  const ungraded = prepared.length - graded.length;
  if (ungraded > 0) {
    warnings.push(
      graded.length === 0
        ? `Pass@k needs gold answers: none of the ${prepared.length} problems has one (selection still ran; see 'selections')`
        : `${ungraded} of ${prepared.length} problems have no gold answer and are left out of Pass@k`,
    );
  }
  const short = records.filter((r) => (r.missing?.length ?? 0) > 0).length;
  if (short > 0) {
    warnings.push(
      `${short} problems have incomplete pools (samples still missing); they count with the samples they have. Rerun 'bom sample' to top them up`,
    );
  }
  const inconsistent = prepared.reduce((s, p) => s + p.inconsistentClusters, 0);
  if (inconsistent > 0) {
    warnings.push(
      `${inconsistent} answer clusters mix correct and incorrect recorded grades; each submission is graded by its representative sample`,
    );
  }

  const arms = requestedArms.filter((arm) => {
    if (arm.strategy.rewards === 'none') return true;
    if (arm.strategy.scorerSpec({ ...arm.options, k: 1 })) {
      // Trace confidences come from the stored token confidences (the server computes them from the
      // upstream's top logprobs); without them the arm would only ever fall back.
      const without = prepared.filter((p) => !p.tokenConfidence).length;
      if (without === 0) return true;
      warnings.push(
        `${arm.label} needs token confidences but ${without} problems have samples without them; record them with 'bom sample --top-logprobs 20'. Left out.`,
      );
      return false;
    }
    const missing = prepared.filter((p) => p.rewards === null).length;
    if (missing === 0) return true;
    warnings.push(
      `${arm.label} needs reward scores but ${missing} problems have samples without one; run 'bom score' first. Left out.`,
    );
    return false;
  });

  const grid = await runGrid(graded, arms, {
    Ns,
    ks,
    trials: options.trials,
    seed: options.seed,
    ...(options.keepSelections ? { keepSelections: true } : {}),
    ...(options.onProblem ? { onProblem: options.onProblem } : {}),
  });

  const bootstrap = { resamples: options.bootstrap ?? 1000, level: options.level ?? 0.95 };
  const results: ResultRow[] = [];
  for (const cell of grid.cells) {
    ks.forEach((k, ki) => {
      const rates = cell.passRate[ki]!;
      if (rates.length === 0) return;
      results.push({
        strategy: cell.arm,
        N: cell.N,
        k,
        pass_at_k: mean(rates),
        // Same seed per N for every strategy and k: CIs of different rows resample the same problems.
        ci: bootstrapCI(rates, { ...bootstrap, seed: options.seed * 7919 + cell.N }),
        problems: rates.length,
        mean_scored: cell.meanScoredByK[ki] ?? cell.meanScored,
        fallbacks: cell.fallbacks,
        mean_samples: cell.meanSamples[ki] ?? cell.N,
        ...(cell.meanTokens[ki] != null ? { mean_tokens: cell.meanTokens[ki]! } : {}),
        ...(arms.find((a) => a.label === cell.arm)?.options.adaptive
          ? { early_stop_rate: cell.trials === 0 ? 0 : cell.earlyStops[ki]! / cell.trials }
          : {}),
        // deepconf online arms (`:warmup=W`) stop early too.
        ...(arms.find((a) => a.label === cell.arm)?.options.warmup !== undefined
          ? { early_stop_rate: cell.trials === 0 ? 0 : cell.earlyStops[ki]! / cell.trials }
          : {}),
      });
    });
  }

  const calibrationRows: CalibrationRow[] = grid.cells
    .filter((cell) => cell.calibration.length > 0)
    .map((cell) => {
      const c = calibration(cell.calibration);
      const pts = cell.calibration;
      const arm = arms.find((a) => a.label === cell.arm);
      return {
        strategy: cell.arm,
        N: cell.N,
        basis: arm?.strategy.scorerSpec({ ...arm.options, k: 1 }) ? 'weighted_share' : 'vote_share',
        trials: pts.length,
        ece: c.ece,
        accuracy: pts.filter((p) => p.correct).length / pts.length,
        mean_confidence: pts.reduce((s, p) => s + p.confidence, 0) / pts.length,
        bins: c.bins,
      };
    });

  const oracle: OracleRow[] = [];
  const skipped: EvalSummary['skipped'] = [];
  for (const n of Ns) {
    const inN = graded.filter((p) => p.size >= n);
    const short = prepared.filter((p) => p.size < n);
    if (short.length > 0) {
      skipped.push({ N: n, count: short.length, ids: short.slice(0, 20).map((p) => p.id) });
      warnings.push(`${short.length} problems have fewer than ${n} samples and are left out at N=${n}`);
    }
    if (inN.length === 0) continue;
    const coverage = mean(inN.map((p) => passAtK(p.size, p.correctCount, n)));
    for (const k of ks) {
      const pass = mean(inN.map((p) => passAtK(p.size, p.correctCount, Math.min(k, n))));
      oracle.push({ N: n, k, pass_at_k: pass, coverage });
    }
  }

  const summary: EvalSummary = {
    problems: prepared.length,
    graded: graded.length,
    answers: options.mode,
    Ns,
    ks,
    trials: options.trials,
    seed: options.seed,
    results,
    oracle,
    skipped,
    warnings,
    calibration: calibrationRows,
  };
  if (graded.length === 0) summary.selections = await selectUngraded(prepared, arms, Ns, ks);
  return { summary, grid, prepared, arms };
}

/** Without gold answers: what each strategy would submit from the first max-N samples, in order. */
async function selectUngraded(
  prepared: readonly PreparedProblem[],
  arms: readonly Arm[],
  Ns: readonly number[],
  ks: readonly number[],
): Promise<NonNullable<EvalSummary['selections']>> {
  const out: NonNullable<EvalSummary['selections']> = [];
  const k = Math.max(...ks);
  for (const p of prepared) {
    const n = Math.min(p.size, Math.max(...Ns));
    const clustering = clusteringOfDraw(
      p,
      Array.from({ length: n }, (_, i) => i),
    );
    for (const arm of arms) {
      const rewards = rewardsFor(p, arm);
      const selection: Selection = await arm.strategy.select(
        { clustering, score: async (cs) => cs.map((c) => c.members.map((i) => rewards?.[i] ?? Number.NaN)) },
        { ...arm.options, k },
      );
      out.push({
        id: p.id,
        strategy: arm.label,
        N: n,
        answers: selection.chosen.map((c) => c.cluster.answer),
      });
    }
  }
  return out;
}
