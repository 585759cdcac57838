// Rounding a problem asks for ("round to the nearest tenth", "to two decimal places", "to 3 significant
// figures"): only then may a rounded decimal equal an exact irrational or non-terminating value.
import { ONES } from './clean.ts';

export type Rounding = { readonly places: number } | { readonly sig: number };

const NEAREST: [RegExp, number][] = [
  [
    /nearest\s+(?:whole\s+number|integer|whole|unit|dollar|degree|percent|cm|meter|inch|foot|minute|second)/,
    0,
  ],
  [/nearest\s+tenth/, 1],
  [/nearest\s+(?:hundredth|cent|penny)/, 2],
  [/nearest\s+thousandth/, 3],
  [/nearest\s+ten[-\s]?thousandth/, 4],
];

// Every comparison of one request asks about the same problem text: the last answer is kept.
let last: { problem: string; rounding: Rounding | null } | null = null;

/** The rounding the problem text asks for, or null when it asks for none. */
export function roundingOf(problem: string | undefined): Rounding | null {
  if (!problem) return null;
  if (last?.problem === problem) return last.rounding;
  const rounding = readRounding(problem);
  last = { problem, rounding };
  return rounding;
}

function readRounding(problem: string): Rounding | null {
  // Instructions close the statement: only its end is read (sliced before lowercasing a long text).
  const p = problem.slice(-2000).toLowerCase();
  if (!/round|nearest|decimal place|significant|approximat|estimate/.test(p)) return null;
  const count =
    /(\d+|one|two|three|four|five|six)\s+(decimal\s+places?|decimal\s+digits?|significant\s+(?:figures?|digits?))/.exec(
      p,
    );
  if (count) {
    const k = /^\d+$/.test(count[1]!) ? Number(count[1]) : ONES[count[1]!]!;
    return count[2]!.startsWith('significant') ? { sig: k } : { places: k };
  }
  if (/nearest\s+ten[-\s]?thousandth/.test(p)) return { places: 4 };
  for (const [re, places] of NEAREST) if (re.test(p)) return { places };
  return null;
}

/** `x` rounded as `r` asks (half away from zero on the decimal digits). */
export function roundAs(x: number, r: Rounding): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const places = 'places' in r ? r.places : r.sig - 1 - Math.floor(Math.log10(Math.abs(x)));
  const f = 10 ** places;
  // Nudge by a relative epsilon so 2.675 (stored as 2.67499…) rounds as written.
  return (Math.sign(x) * Math.round(Math.abs(x) * f * (1 + 1e-12))) / f;
}
