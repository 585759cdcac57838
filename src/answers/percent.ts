// What a percent sign means, read from the problem text. Graders disagree (hendrycks, NeMo and MARIO drop
// the sign, 10% = 10; Math-Verify reads 10% = 0.1), and the problem decides which is meant: a question
// that asks for a percent ("What percent of …", "Express your answer as a percent") is answered by the
// number of percent, so the sign is dropped; any other question (a probability, a fraction, a decimal)
// is answered by the value, so 25% is 0.25 there. Without a problem text nothing says which is meant
// and graders accept both (`10\%` = `10` and `10\%` = `0.1` are both in the public cases), so the sign
// is dropped in the preferred form and the value /100 is an alternative form (`either`).

/** `drop` (10% = 10), `fraction` (10% = 0.1), or `either` (10 preferred, 0.1 as an alternative). */
export type PercentMode = 'drop' | 'fraction' | 'either';

// The same problem text is asked about for every answer of a request: the last answer is kept.
let last: { problem: string; mode: PercentMode } | null = null;

export function percentOf(problem: string | undefined): PercentMode {
  if (!problem) return 'either';
  if (last?.problem === problem) return last.mode;
  // The word (not the sign: "a 20% chance of rain … what is the probability" asks for a probability).
  const mode: PercentMode = /percent/i.test(problem.slice(-2000)) ? 'drop' : 'fraction';
  last = { problem, mode };
  return mode;
}
