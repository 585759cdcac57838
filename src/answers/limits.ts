// Bounds that keep answer handling cheap on hostile input. Past them an answer is compared as a string
// (and the result says so) instead of parsed or evaluated.

export const LIMITS = {
  /** Longer answers are never parsed: real final answers are short, and parsing is superlinear in nesting. */
  maxParseChars: 2000,
  /** A boxed answer longer than this is refused before it is copied (extraction output stays bounded). */
  maxAnswerChars: 8000,
  /** Parser recursion depth (brackets, fractions, exponents). */
  maxDepth: 120,
  /** Exact rational arithmetic stops past this many bits in a numerator or denominator. */
  maxBits: 4096,
  /** Integer exponents larger than this are not computed exactly. */
  maxExactExponent: 256,
  /**
   * Work budget of one equivalence check, in operations (a node evaluated at one point, one comparison
   * step). Deterministic: the same pair gets the same verdict on any machine, however busy.
   */
  comparisonWork: 200_000,
  /** Work budget of all slow-path checks while clustering one request, in operations. */
  requestWork: 2_000_000,
  /**
   * How deprecated millisecond budgets (`budgetMs`, `requestBudgetMs`) map to operations: a fixed
   * factor, roughly the operations one core does per ms here. No clock is ever read.
   */
  workPerMs: 100_000,
  /** @deprecated Nominal ms of comparisonWork (comparisonWork / workPerMs); kept for reports. */
  comparisonMs: 2,
  /** @deprecated Nominal ms of requestWork (requestWork / workPerMs); kept for reports. */
  requestMs: 20,
} as const;
