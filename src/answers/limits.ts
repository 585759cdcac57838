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
  /** Default wall-clock budget of one equivalence check, in ms. */
  comparisonMs: 2,
  /** Default wall-clock budget of all slow-path checks while clustering one request, in ms. */
  requestMs: 10,
} as const;
