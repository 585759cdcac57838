// What a percent sign means, read from the problem text. Graders disagree (hendrycks, NeMo and MARIO drop
// the sign, 10% = 10; Math-Verify reads 10% = 0.1), and the problem decides which is meant: a question
// that asks for a percent ("What percent of …", "Express your answer as a percent") is answered by the
// number of percent, so the sign is dropped; any other question (a probability, a fraction, a decimal)
// is answered by the value, so 25% is 0.25 there. Without a problem text the sign is dropped.

/** `drop` (10% = 10) or `fraction` (10% = 0.1). */
export type PercentMode = 'drop' | 'fraction';

// The same problem text is asked about for every answer of a request: the last answer is kept.
let last: { problem: string; mode: PercentMode } | null = null;

export function percentOf(problem: string | undefined): PercentMode {
  if (!problem) return 'drop';
  if (last?.problem === problem) return last.mode;
  // The word (not the sign: "a 20% chance of rain … what is the probability" asks for a probability).
  const mode: PercentMode = /percent/i.test(problem.slice(-2000)) ? 'drop' : 'fraction';
  last = { problem, mode };
  return mode;
}
