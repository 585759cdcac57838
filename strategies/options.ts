// Strategy options, validated once at the boundary (zod); strategies trust the parsed result.
import { z } from 'zod';

/**
 * Default frequency floor for best-of-majority when neither `alpha` nor `min_votes` is given.
 * The paper's α = 0.005 filters nothing at the N of online serving (8–64), so the default comes from
 * data instead (README, "Choosing α"): 0.1 equals best-of-n up to N = 10 and beats it from N = 16 on
 * the simulated benchmark at every k; 0.2 loses 8–16 points at k ≥ 2 because BoM never back-fills.
 */
export const DEFAULT_ALPHA = 0.1;

export const strategyOptionsSchema = z
  .object({
    /** Number of distinct answers to return (OpenAI's `n`). */
    k: z.number().int().min(1).max(1024).default(1),
    /** Frequency floor f_c ≥ α for best-of-majority (0 makes it best-of-n). */
    alpha: z.number().min(0).max(1).optional(),
    /** Integer form of the same floor: n_c ≥ min_votes. With `alpha`, both must hold. */
    min_votes: z.number().int().min(0).optional(),
    /** How member rewards combine into the cluster reward R_c. */
    aggregate: z.enum(['mean', 'max', 'sum']).default('mean'),
  })
  .strict();

export type StrategyOptionsInput = z.input<typeof strategyOptionsSchema>;
export type StrategyOptions = z.output<typeof strategyOptionsSchema>;

/**
 * The smallest cluster size that clears the floor at N samples. A count threshold avoids the float
 * trap of comparing n_c/N with α (1/200 vs 0.005); the 1e-9 slack keeps α·N = 3 from becoming 4.
 */
export function minimumVotes(options: StrategyOptions, n: number): number {
  const useDefault = options.alpha === undefined && options.min_votes === undefined;
  const alpha = useDefault ? DEFAULT_ALPHA : (options.alpha ?? 0);
  return Math.max(Math.ceil(alpha * n - 1e-9), options.min_votes ?? 0);
}
