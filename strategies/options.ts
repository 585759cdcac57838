// The one selection-options schema. Every option is declared once, here, with its type, meaning,
// default and the CLI flag it becomes; what each strategy takes is declared with the strategy
// (`options` in defineStrategy). Derived from these fields, and nowhere else:
// - `strategyOptionsSchema`: what Strategy.select validates (k plus the strategy options);
// - `selectionRequestSchema`: the request body's `selection` field (every field optional);
// - `selectionConfigSchema`: the config file's `selection` defaults;
// - the per-arm flags of `bom eval` / `bom ab` (`--alpha`, `--min-votes`, `--aggregate`, and
//   `name:key=value` specs): see `optionFlags` / `parseOptionValue`.
// Adding an option: one entry in `strategyOptionFields`, its name in the strategies that take it,
// and its use in their rank().
import { z } from 'zod';
import { type IssueLike, specificIssue } from '../src/core/index.ts';

/**
 * Default frequency floor for best-of-majority when neither `alpha` nor `min_votes` is given.
 * The paper's α = 0.005 filters nothing at the N of online serving (8–64), so the default comes from
 * data instead (README, "Choosing α"): 0.1 equals best-of-n up to N = 10 and beats it from N = 16 on
 * the simulated benchmark at every k; 0.2 loses 8–16 points at k ≥ 2 because BoM never back-fills.
 */
export const DEFAULT_ALPHA = 0.1;

interface Field<T extends z.ZodType = z.ZodType> {
  readonly schema: T;
  readonly description: string;
  /**
   * How a command-line value is read before validation. `object`: `true`/`false`, or a number that
   * sets the field's `shorthand` key (`adaptive=0.9` is `{confidence: 0.9}`); one key at a time is
   * set with `name_key=value` (`adaptive_rule=window`).
   */
  readonly cli: 'number' | 'string' | 'object';
  readonly shorthand?: string;
  /** The keys of an `object` option that `name_key=value` may set. */
  readonly keys?: readonly string[];
  /** Filled in when nobody set the option (strategy input and config alike). */
  readonly default?: z.output<T>;
  /**
   * Options that together form one setting: when a request sets any of them, the server's defaults
   * for the others do not apply (a request's `min_votes` is not combined with the config's `alpha`).
   */
  readonly group?: string;
}

const field = <const F extends Field>(f: F): F => f;

/** Adaptive sampling's settings; each unset key takes its measured default (src/selection/adaptive.ts). */
export const adaptiveSettingsSchema = z
  .object({
    rule: z.enum(['beta', 'predictive', 'regret', 'window', 'reward']).optional(),
    confidence: z.number().gt(0.5).lt(1).optional(),
    min_samples: z.number().int().min(1).optional(),
    batch: z.number().int().min(1).optional(),
    window: z.number().int().min(1).optional(),
  })
  .strict();

/** Options a strategy may take (which ones: each strategy's `options`). */
export const strategyOptionFields = {
  alpha: field({
    schema: z.number().min(0).max(1),
    description: `best-of-majority frequency floor: keep answers with f_c ≥ alpha (0 makes it best-of-n; default ${DEFAULT_ALPHA} when min_votes is unset too)`,
    cli: 'number',
    group: 'floor',
  }),
  min_votes: field({
    schema: z.number().int().min(0),
    description: 'integer form of the same floor: n_c ≥ min_votes (with alpha, both must hold)',
    cli: 'number',
    group: 'floor',
  }),
  aggregate: field({
    schema: z.enum(['mean', 'max', 'sum']),
    description: 'how member rewards combine into the cluster reward R_c: mean | max | sum',
    cli: 'string',
    default: 'mean' as const,
  }),
  adaptive: field({
    schema: z.union([z.boolean(), adaptiveSettingsSchema]),
    description:
      'stop sampling once the answer is decided: true, or {rule: regret|predictive|beta|window|reward, confidence, min_samples, batch, window}; samples stays the maximum N',
    cli: 'object',
    shorthand: 'confidence',
    keys: Object.keys(adaptiveSettingsSchema.shape),
  }),
  score_members: field({
    schema: z.number().int().min(1),
    description:
      'best-of-majority scores at most this many members per eligible cluster (representative first; none when one cluster is eligible) and, with the mean, only until the top-k order is decided (a z = 2.5 test on the pooled reward spread); R_c is the mean of those scored. 32 measured: ~0.23x the reward calls of best-of-n at N = 32 (0.16x at 64), 0.1-0.25 point below scoring every member (docs/adaptive.md)',
    cli: 'number',
  }),
  // deepconf (docs/confidence.md)
  variant: field({
    schema: z.enum(['lowest-window', 'tail', 'bottom-fraction']),
    description:
      'deepconf trace confidence: lowest-window (lowest sliding-window mean of C_t, default) | tail (last window) | bottom-fraction (mean of the lowest 10 % of windows)',
    cli: 'string',
  }),
  window: field({
    schema: z.number().int().min(1),
    description: 'deepconf window length in tokens (default 2048; shorter traces are one window)',
    cli: 'number',
  }),
  keep: field({
    schema: z.number().gt(0).max(100),
    description:
      'deepconf keeps the top keep % of traces by confidence before the confidence-weighted vote (η; default 90, the paper also uses 10)',
    cli: 'number',
  }),
  top_logprobs: field({
    schema: z.number().int().min(1).max(20),
    description: 'deepconf asks the upstream for this many top logprobs per token (k in C_t; default 20)',
    cli: 'number',
  }),
  warmup: field({
    schema: z.number().int().min(1),
    description:
      'deepconf online mode: the first warmup traces set the threshold (their (100 − keep)-th percentile); later traces stream and stop once a window falls below it',
    cli: 'number',
  }),
  threshold: field({
    schema: z.number(),
    description:
      'deepconf: keep traces whose confidence is at least this (instead of the top keep %); online mode sets it from the warm-up',
    cli: 'number',
  }),
};

/** The selection as a whole: which strategy, how many samples, which scorer, plus the strategy options. */
export const selectionFields = {
  strategy: field({
    schema: z.string().min(1),
    description: 'strategy name or short name; `none` passes the request through untouched',
    cli: 'string',
    default: 'majority',
  }),
  samples: field({
    schema: z.number().int().min(1),
    description: 'sample budget N',
    cli: 'number',
    default: 8,
  }),
  scorer: field({
    schema: z.string().min(1),
    description: 'scorer id the reward strategies use',
    cli: 'string',
    default: 'logprob',
  }),
  min_agreement: field({
    schema: z.number().min(0).max(1),
    description:
      "abstain when the winner's selection.confidence is below this: the choice says so (finish_reason 'abstained', docs/confidence.md)",
    cli: 'number',
  }),
  ...strategyOptionFields,
};

export type StrategyOptionName = keyof typeof strategyOptionFields;
export const strategyOptionNames = Object.keys(strategyOptionFields) as StrategyOptionName[];

type Fields = Record<string, Field>;
type Optional<F extends Fields> = { [K in keyof F]: z.ZodOptional<F[K]['schema']> };
type Defaulted<F extends Fields> = {
  [K in keyof F]: F[K] extends { default: unknown }
    ? z.ZodDefault<F[K]['schema']>
    : z.ZodOptional<F[K]['schema']>;
};

function optionalShape<F extends Fields>(fields: F): Optional<F> {
  return Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.schema.optional()])) as Optional<F>;
}

function defaultedShape<F extends Fields>(fields: F): Defaulted<F> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, f]) => [
      k,
      f.default === undefined ? f.schema.optional() : (f.schema as z.ZodType<unknown>).default(f.default),
    ]),
  ) as Defaulted<F>;
}

export const strategyOptionsSchema = z
  .object({
    /** Number of distinct answers to return (OpenAI's `n`). */
    k: z.number().int().min(1).max(1024).default(1),
    ...defaultedShape(strategyOptionFields),
  })
  .strict();

/** The request body's `selection` field: anything unset falls back to the server's defaults. */
export const selectionRequestSchema = z.object(optionalShape(selectionFields)).strict();

/** The config file's `selection` section: the server's defaults. */
export const selectionConfigSchema = z.object(defaultedShape(selectionFields)).strict();

export type StrategyOptionsInput = z.input<typeof strategyOptionsSchema>;
export type StrategyOptions = z.output<typeof strategyOptionsSchema>;
/** Strategy options as a request or config sets them (k comes from OpenAI's `n`). */
export type SelectionOptions = Omit<StrategyOptionsInput, 'k'>;
export type SelectionRequest = z.output<typeof selectionRequestSchema>;
export type SelectionConfig = z.output<typeof selectionConfigSchema>;

/**
 * The strategy options of one request: what it set, else the server's defaults, except that a
 * default is not combined with a request's own setting of the same group.
 */
export function mergeOptions(request: SelectionOptions, defaults: SelectionOptions): SelectionOptions {
  const setGroups = new Set(
    strategyOptionNames
      .filter((k) => request[k] !== undefined)
      .map((k) => (strategyOptionFields[k] as Field).group),
  );
  const out: Record<string, unknown> = {};
  for (const k of strategyOptionNames) {
    const group = (strategyOptionFields[k] as Field).group;
    const value = request[k] ?? (group !== undefined && setGroups.has(group) ? undefined : defaults[k]);
    if (value !== undefined) out[k] = value;
  }
  return out as SelectionOptions;
}

/** The CLI flag of an option: `min_votes` → `min-votes`. */
export const optionFlag = (name: string) => name.replace(/_/g, '-');

/**
 * Reads one option from its command-line text; an error message (naming nothing: the caller knows
 * whether it came from a flag or a spec) when the text is not a valid value.
 */
export function parseOptionValue(
  name: StrategyOptionName,
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const f: Field = strategyOptionFields[name];
  const number = (t: string) => (t.trim() === '' ? Number.NaN : Number(t));
  let raw: unknown = text;
  if (f.cli === 'number') raw = number(text);
  else if (f.cli === 'object') {
    const t = text.trim();
    raw = t === 'true' ? true : t === 'false' ? false : f.shorthand ? { [f.shorthand]: number(t) } : t;
  }
  const parsed = f.schema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, message: invalidValue(text, parsed.error.issues) };
}

/** The message for a command-line value the schema refused: the most specific problem, and where. */
function invalidValue(text: string, issues: readonly IssueLike[]): string {
  const first = issues[0];
  const issue = first && specificIssue(first);
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `invalid value '${text}': ${where}${issue?.message ?? 'invalid'}`;
}

/**
 * The smallest cluster size that clears the floor at N samples. A count threshold avoids the float
 * trap of comparing n_c/N with α (1/200 vs 0.005); the 1e-9 slack keeps α·N = 3 from becoming 4.
 */
export function minimumVotes(options: StrategyOptions, n: number): number {
  const useDefault = options.alpha === undefined && options.min_votes === undefined;
  const alpha = useDefault ? DEFAULT_ALPHA : (options.alpha ?? 0);
  return Math.max(Math.ceil(alpha * n - 1e-9), options.min_votes ?? 0);
}

/**
 * A `name_key` spec or flag that sets one key of an object option (`adaptive_rule` → adaptive.rule),
 * or null when `option` is no such key.
 */
export function optionSubKey(option: string): { name: StrategyOptionName; key: string } | null {
  for (const name of strategyOptionNames) {
    const f: Field = strategyOptionFields[name];
    if (f.cli !== 'object' || !option.startsWith(`${name}_`)) continue;
    const key = option.slice(name.length + 1);
    if (f.keys?.includes(key)) return { name, key };
  }
  return null;
}

/** Sets one key of an object option from its text (numbers when the text is one), merged into `current`. */
export function parseSubOptionValue(
  name: StrategyOptionName,
  key: string,
  text: string,
  current: unknown,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const t = text.trim();
  const value = t !== '' && Number.isFinite(Number(t)) ? Number(t) : t;
  const base = typeof current === 'object' && current !== null ? current : {};
  const parsed = strategyOptionFields[name].schema.safeParse({ ...base, [key]: value });
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, message: invalidValue(text, parsed.error.issues) };
}
