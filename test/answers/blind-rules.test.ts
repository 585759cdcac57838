// Property families for the rules the blind held-out pairs (heldout-blind.txt) led to: ordinals, clock
// colons in braces, compound quantities, worked limits/sums, a unit after a multiple of π, a choice with
// a value in words, inverse-function names. Seeded fast-check: the same pairs on every run. Plus hostile
// inputs for the new regexes (each is anchored or length-capped: linear).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAnswer, clusterAnswers, compareAnswers, normalize } from '../../src/answers/index.ts';

const SEED = 20260815;
const RUNS = 120;

interface Case {
  forms: string[];
  misses: string[];
}

function checkCase(c: Case): void {
  for (let i = 0; i < c.forms.length; i++)
    for (let j = i + 1; j < c.forms.length; j++) {
      const [a, b] = [c.forms[i]!, c.forms[j]!];
      const ab = compareAnswers(a, b);
      const ba = compareAnswers(b, a);
      if (!ab.equal || !ba.equal) throw new Error(`expected equal: ${a} | ${b} (${ab.how} / ${ba.how})`);
    }
  for (const m of c.misses)
    for (const f of c.forms) {
      const ab = compareAnswers(f, m);
      const ba = compareAnswers(m, f);
      if (ab.equal || ba.equal) throw new Error(`false merge: ${f} | ${m} (${ab.how} / ${ba.how})`);
    }
  const values = [...c.forms, ...c.misses];
  const clusters = clusterAnswers(values.map((v) => ({ value: v, key: null, rule: 'test' })));
  const home = clusters.clusters.find((k) => k.members.includes(0))!;
  for (let k = c.forms.length; k < values.length; k++)
    if (home.members.includes(k)) throw new Error(`clustered a near miss: ${values[k]} with ${c.forms[0]}`);
}

const run = (arb: fc.Arbitrary<Case>): void =>
  fc.assert(
    fc.property(arb, (c) => {
      checkCase(c);
    }),
    { seed: SEED, numRuns: RUNS },
  );

const ONES_ORD = [
  '',
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const TENS_ORD = [
  '',
  '',
  'twentieth',
  'thirtieth',
  'fortieth',
  'fiftieth',
  'sixtieth',
  'seventieth',
  'eightieth',
];

const suffix = (n: number): string =>
  n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
const inWords = (n: number): string =>
  n < 20
    ? ONES_ORD[n]!
    : n % 10 === 0
      ? TENS_ORD[n / 10]!
      : `${TENS[Math.floor(n / 10)]}-${ONES_ORD[n % 10]}`;
const wrongSuffix = (n: number): string => (suffix(n) === 'th' ? 'st' : 'th');

const ordinal: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 79 }).map((n) => ({
  forms: [`${n}`, `${n}${suffix(n)}`, `${n}^{\\text{${suffix(n)}}}`, `\\text{${inWords(n)}}`, inWords(n)],
  misses: [
    `${n + 1}`,
    `${n + 1}${suffix(n + 1)}`,
    inWords(n + 1),
    `${n}${wrongSuffix(n)}`,
    `\\frac{1}{${n + 1}}`,
  ],
}));

const clock: fc.Arbitrary<Case> = fc
  .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 58 }))
  .map(([h, m]) => {
    const mm = String(m).padStart(2, '0');
    const next = String(m + 1).padStart(2, '0');
    return {
      forms: [`${h}:${mm}`, `${h}{:}${mm}`, `${h}\\text{:}${mm}`],
      misses: [`${h}:${next}`, `${h}{:}${next}`, `${(h % 12) + 1}{:}${mm}`],
    };
  });

const hoursMinutes: fc.Arbitrary<Case> = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 59 }))
  .filter(([h, m]) => h !== m)
  .map(([h, m]) => ({
    forms: [`${h} hours ${m} minutes`, `${h} \\text{ hours } ${m} \\text{ minutes}`, `${60 * h + m} minutes`],
    misses: [`${60 * h + m + 1} minutes`, `${h} hours`, `${m} hours ${h} minutes`, `${h}.${m} hours`],
  }));

const feetInches: fc.Arbitrary<Case> = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 11 }))
  .map(([f, i]) => ({
    forms: [`${f} feet ${i} inches`, `${f} ft ${i} in`, `${12 * f + i} inches`],
    misses: [`${12 * f + i + 1} inches`, `${f}.${i} feet`, `${f} feet ${i} seconds`],
  }));

const workedLimit: fc.Arbitrary<Case> = fc
  .tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 9 }))
  .map(([k, c]) => ({
    forms: [
      `${k}`,
      `\\lim_{x\\to\\infty} \\frac{${k}x+${c}}{x} = ${k}`,
      `\\lim_{x \\to \\infty} f(x) = ${k}`,
    ],
    misses: [`${k + 1}`, `\\lim_{x\\to\\infty} \\frac{${k}x+${c}}{x} = ${k + 1}`, `${c}`].filter(
      (m) => m !== `${k}`,
    ),
  }));

const workedSum: fc.Arbitrary<Case> = fc.integer({ min: 2, max: 40 }).map((n) => ({
  forms: [`${(n * (n + 1)) / 2}`, `\\sum_{i=1}^{${n}} i = ${(n * (n + 1)) / 2}`],
  misses: [`${(n * (n + 1)) / 2 + 1}`, `\\sum_{i=1}^{${n}} i = ${(n * (n - 1)) / 2}`],
}));

const piVolume: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 99 }).map((k) => ({
  forms: [`${k}\\pi`, `${k}\\pi \\text{ cm}^3`, `${k} \\pi\\text{ cm}^3`, `${k}\\pi \\text{ cubic units}`],
  misses: [`${k + 1}\\pi \\text{ cm}^3`, `${k}\\text{ cm}^3`, `${k}`],
}));

describe('blind-pair rules as generated families', () => {
  it.each([
    ['ordinals: numerals with their suffix, words, the number', ordinal],
    ['clock times with a braced colon', clock],
    ['hours and minutes', hoursMinutes],
    ['feet and inches', feetInches],
    ['worked limits ending in their value', workedLimit],
    ['worked sums ending in their value', workedSum],
    ['multiples of π with a unit', piVolume],
  ] as const)('%s', (_name, arb) => {
    run(arb);
  });
});

describe('blind-pair rules: single cases', () => {
  it.each([
    ['\\text{(B) Circle}', 'circle'],
    ['(D) Parabola', '\\text{parabola}'],
    ['(D) Parabola', 'D'],
    ['f^{-1}(x) = \\frac{x+2}{3}', '\\frac{x+2}{3}'],
    ['g^{-1}(x)=2x-1', 'y = 2x - 1'],
    ['\\int_0^1 x\\,dx = \\frac12', '0.5'],
    ['5\\,m', '5 m'],
  ])('%s ≡ %s', (a, b) => {
    expect(compareAnswers(a, b).equal).toBe(true);
    expect(compareAnswers(b, a).equal).toBe(true);
  });
  it.each([
    ['\\text{(B) Circle}', 'ellipse'],
    ['(D) Parabola', 'C'],
    ['f^{-1}(x) = \\frac{x+2}{3}', '3x-2'],
    ['one third', 'third'],
    ['one second', '2'],
    ['3th', '3'],
    ['11st', '11'],
    ['\\lim_{x\\to 0} \\frac{\\sin x}{x} = 1', '0'],
    ['\\sum_{k=1}^n k \\le 10', '10'],
    ['2 minutes 30 hours', '150 minutes'],
  ])('%s ≢ %s', (a, b) => {
    expect(compareAnswers(a, b).equal).toBe(false);
    expect(compareAnswers(b, a).equal).toBe(false);
  });
  it('a whole response ending in an ordinal or a compound time', () => {
    expect(checkAnswer('3', 'She finished in $\\boxed{3^{\\text{rd}}}$ place.').equal).toBe(true);
    expect(
      checkAnswer('150 minutes', 'The trip takes $\\boxed{2\\text{ hours }30\\text{ minutes}}$.').equal,
    ).toBe(true);
  });
});

describe('hostile inputs for the new rules stay bounded', () => {
  it.each([
    ['many braced colons', `${'1{:}'.repeat(20_000)}1`],
    ['spaces before a braced colon', `1${' '.repeat(50_000)}{:}2`],
    ['a long worked sum', `\\sum ${'x='.repeat(5_000)}1`],
    ['a long ordinal-like run', `${'1'.repeat(50_000)}st`],
    ['a long compound quantity', `${'1 hours '.repeat(5_000)}2 minutes`],
    ['a long choice with words', `(B) ${'word '.repeat(10_000)}`],
    ['pi before many letters', `36\\pi ${'ab '.repeat(10_000)}`],
  ])('%s', (_name, s) => {
    const n = normalize(s);
    expect(typeof n.key).toBe('string');
    expect(typeof compareAnswers(s, '1').equal).toBe('boolean');
  });
});
