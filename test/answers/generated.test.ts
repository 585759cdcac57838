// Generated equivalence tests: exact values rendered in many equivalent surface forms must be
// equal, and near-miss forms (rounded, off by one, another variable, open vs closed, swapped tuple, another
// unit, set vs tuple) must stay different. Seeded fast-check properties: the same pairs on every run.
// Written independently of the yardstick's cases; no rule is tuned to one generated pair.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterAnswers, compareAnswers, type EquivalenceOptions } from '../../src/answers/index.ts';

const SEED = 20261201;
const RUNS = 150;

/** A value in several equivalent spellings, and near misses that must never equal any of them. */
interface Case {
  forms: string[];
  misses: string[];
  /** Options of every comparison (a problem text that decides a policy). */
  options?: EquivalenceOptions;
}

const pick = <T>(xs: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);
const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));

function checkCase(c: Case): void {
  const o = c.options ?? {};
  for (let i = 0; i < c.forms.length; i++)
    for (let j = i + 1; j < c.forms.length; j++) {
      const a = c.forms[i]!;
      const b = c.forms[j]!;
      const ab = compareAnswers(a, b, o);
      const ba = compareAnswers(b, a, o);
      if (!ab.equal || !ba.equal) throw new Error(`expected equal: ${a} | ${b} (${ab.how} / ${ba.how})`);
    }
  for (const m of c.misses)
    for (const f of c.forms) {
      const ab = compareAnswers(f, m, o);
      const ba = compareAnswers(m, f, o);
      if (ab.equal || ba.equal) throw new Error(`false merge: ${f} | ${m} (${ab.how} / ${ba.how})`);
    }
  // Clustering never pours a near miss into the value's cluster, whatever comes first.
  const values = [...c.forms, ...c.misses];
  const clusters = clusterAnswers(
    values.map((v) => ({ value: v, key: null, rule: 'test' })),
    o,
  );
  const home = clusters.clusters.find((k) => k.members.includes(0))!;
  for (let k = c.forms.length; k < values.length; k++)
    if (home.members.includes(k)) throw new Error(`clustered a near miss: ${values[k]} with ${c.forms[0]}`);
}

const run = (arb: fc.Arbitrary<Case>, runs = RUNS): void =>
  fc.assert(
    fc.property(arb, (c) => {
      checkCase(c);
    }),
    { seed: SEED, numRuns: runs },
  );

// --- numbers -------------------------------------------------------------------------------------------

const frac = (p: number, q: number, style: string): string => {
  const sign = p < 0 ? '-' : '';
  const a = Math.abs(p);
  switch (style) {
    case 'dfrac':
      return `${sign}\\dfrac{${a}}{${q}}`;
    case 'tfrac':
      return `${sign}\\tfrac{${a}}{${q}}`;
    case 'slash':
      return `${sign}${a}/${q}`;
    case 'neg-inside':
      return `\\frac{${p}}{${q}}`;
    case 'unicode':
      return `${p < 0 ? '−' : ''}${a}/${q}`;
    default:
      return `${sign}\\frac{${a}}{${q}}`;
  }
};

const terminatingDecimal = (p: number, q: number): string | null => {
  let d = q;
  while (d % 2 === 0) d /= 2;
  while (d % 5 === 0) d /= 5;
  if (d !== 1) return null;
  const s = (p / q).toFixed(8).replace(/0+$/, '').replace(/\.$/, '');
  return s;
};

const rational: fc.Arbitrary<Case> = fc
  .tuple(fc.integer({ min: -60, max: 60 }), fc.integer({ min: 2, max: 16 }), fc.integer({ min: 2, max: 5 }))
  .filter(([p, q]) => p !== 0 && gcd(p, q) === 1)
  .map(([p, q, k]) => {
    const forms = ['frac', 'dfrac', 'tfrac', 'slash', 'neg-inside', 'unicode'].map((s) => frac(p, q, s));
    forms.push(
      `\\frac{${p * k}}{${q * k}}`,
      `$${frac(p, q, 'frac')}$`,
      `\\left(${frac(p, q, 'frac')}\\right)`,
    );
    const dec = terminatingDecimal(p, q);
    if (dec !== null) forms.push(dec, `${dec}0`);
    if (p > q) {
      const whole = Math.floor(p / q);
      forms.push(`${whole}\\frac{${p % q}}{${q}}`, `${whole} ${p % q}/${q}`);
    }
    const misses = [
      frac(p + 1, q, 'frac'),
      frac(p, q + 1, 'frac'),
      frac(-p, q, 'frac'),
      frac(p * 10, q, 'frac'),
    ];
    if (Math.abs(p) !== 1) misses.push(`\\frac{${q}}{${p}}`);
    // A rounded decimal of a non-terminating value is not that value.
    if (dec === null) misses.push((p / q).toFixed(2), (p / q).toFixed(3), (p / q).toFixed(4));
    return { forms, misses };
  });

const separated = (n: number, sep: string): string => {
  const s = String(Math.abs(n));
  const groups: string[] = [];
  for (let i = s.length; i > 0; i -= 3) groups.unshift(s.slice(Math.max(0, i - 3), i));
  return (n < 0 ? '-' : '') + groups.join(sep);
};

const WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
function words(n: number): string {
  if (n < 20) return WORDS[n]!;
  if (n < 100) return TENS[Math.floor(n / 10)]! + (n % 10 ? `-${WORDS[n % 10]}` : '');
  const h = `${WORDS[Math.floor(n / 100)]} hundred`;
  return n % 100 ? `${h} and ${words(n % 100)}` : h;
}

const fullWidth = (s: string): string => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));

const integer: fc.Arbitrary<Case> = fc.integer({ min: 1000, max: 9_999_999 }).map((n) => {
  const forms = [
    String(n),
    separated(n, ','),
    separated(n, '{,}'),
    separated(n, '\\,'),
    separated(n, ' '),
    `\\$${separated(n, '{,}')}`,
    `${n}.0`,
    fullWidth(String(n)),
  ];
  // Scientific notation when it is exact.
  const e = String(n).length - 1;
  const mant = (n / 10 ** e).toString();
  if (mant.length <= 8) forms.push(`${mant}\\times10^{${e}}`, `${mant}e${e}`, `${mant} \\cdot 10^{${e}}`);
  const misses = [
    String(n + 1),
    String(n - 1),
    String(n * 10),
    separated(n, ',').split(',').slice(1).join(''),
  ];
  return { forms, misses: misses.filter((m) => m !== '' && Number(m) !== n) };
});

const smallInteger: fc.Arbitrary<Case> = fc.integer({ min: 0, max: 999 }).map((n) => ({
  forms: [String(n), words(n), `\\text{${words(n)}}`, `${n} \\text{ apples}`, `+${n}`],
  misses: [String(n + 1), words(n + 1), String(-n - 1)],
}));

const SQUAREFREE = [2, 3, 5, 6, 7, 10, 11];
const surd: fc.Arbitrary<Case> = fc
  .tuple(fc.integer({ min: 1, max: 9 }), pick(SQUAREFREE), fc.integer({ min: 1, max: 5 }))
  .map(([a, b, d]) => {
    const v = (a * Math.sqrt(b)) / d;
    const base = d === 1 ? `${a}\\sqrt{${b}}` : `\\frac{${a}\\sqrt{${b}}}{${d}}`;
    const forms = [
      base,
      d === 1 ? `\\sqrt{${a * a * b}}` : `\\frac{\\sqrt{${a * a * b}}}{${d}}`,
      d === 1 ? `${a}√${b}` : `${a}√${b}/${d}`,
      d === 1 ? `\\sqrt{${b}}\\cdot ${a}` : `\\frac{${a}}{${d}}\\sqrt{${b}}`,
      d === 1 ? `\\sqrt{${b}} ${a}` : `${a}\\sqrt{${b}}/${d}`,
    ];
    if (b < 10) forms.push(d === 1 ? `${a}\\sqrt${b}` : `\\dfrac{${a}\\sqrt${b}}{${d}}`);
    const misses = [
      v.toFixed(1),
      v.toFixed(2),
      v.toFixed(3),
      d === 1 ? `${a + 1}\\sqrt{${b}}` : `\\frac{${a + 1}\\sqrt{${b}}}{${d}}`,
      d === 1 ? `${a}\\sqrt{${b + 1}}` : `\\frac{${a}\\sqrt{${b + 1}}}{${d}}`,
      `${a * b}`,
    ];
    return { forms, misses };
  });

const piMultiple: fc.Arbitrary<Case> = fc
  .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 12 }))
  .filter(([k, m]) => gcd(k, m) === 1)
  .map(([k, m]) => {
    const v = (k * Math.PI) / m;
    const forms =
      m === 1
        ? [`${k}\\pi`, `${k}π`, `${k} \\pi`, `\\pi \\cdot ${k}`, `\\frac{${2 * k}\\pi}{2}`]
        : [
            `\\frac{${k}\\pi}{${m}}`,
            `\\frac{${k}}{${m}}\\pi`,
            `${k}\\pi/${m}`,
            `${k}π/${m}`,
            `\\dfrac{${k} \\pi}{${m}}`,
          ];
    const misses = [
      v.toFixed(2),
      v.toFixed(3),
      m === 1 ? `${k + 1}\\pi` : `\\frac{${k + 1}\\pi}{${m}}`,
      `${k}/${m}`,
    ];
    return { forms, misses };
  });

const repeating: fc.Arbitrary<Case> = fc
  .tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 99 }))
  .map(([head, rep]) => {
    // 0.<head>\overline{rep}
    const r = String(rep);
    const num = Number(`${head}${r}`) - head;
    const den = 10 * (10 ** r.length - 1);
    const g = gcd(num, den);
    // Written out with an ellipsis: enough periods to show it (two, and at least three digits).
    const shown = r.repeat(Math.max(2, Math.ceil(3 / r.length)));
    return {
      forms: [
        `0.${head}\\overline{${r}}`,
        `\\frac{${num / g}}{${den / g}}`,
        `${num / g}/${den / g}`,
        `0.${head}(${r})`,
        `0.${head}${shown}...`,
        `0.${head}${shown}\\ldots`,
      ],
      misses: [`0.${head}${r}`, `0.${head}${r}${r}`, `\\frac{${num / g + 1}}{${den / g}}`],
    };
  })
  .filter((c) => !c.misses.includes(c.forms[1]!));

// --- structures ----------------------------------------------------------------------------------------

const distinct = (n: number): fc.Arbitrary<[number, number, number]> =>
  fc
    .uniqueArray(fc.integer({ min: -20, max: 20 }), { minLength: n, maxLength: n })
    .map((xs) => [xs[0]!, xs[1]!, xs[2] ?? 0]);

const tuple: fc.Arbitrary<Case> = distinct(2).map(([a, b]) => ({
  forms: [`(${a},${b})`, `(${a}, ${b})`, `\\left(${a},\\ ${b}\\right)`, `( ${a} , ${b} )`],
  misses: [`(${b},${a})`, `\\{${a},${b}\\}`, `(${a},${b + 1})`, `(${a},${b},0)`],
}));

const set: fc.Arbitrary<Case> = distinct(3).map(([a, b, c]) => ({
  forms: [
    `\\{${a},${b},${c}\\}`,
    `\\{${c}, ${a}, ${b}\\}`,
    `${b}, ${c}, ${a}`,
    `\\left\\{${a},${b},${c}\\right\\}`,
    `${a}, ${b}, ${b}, ${c}`,
  ],
  misses: [`\\{${a},${b}\\}`, `(${a},${b},${c})`, `\\{${a},${b},${c + 100}\\}`],
}));

const BR: [string, string, string, string][] = [
  ['(', ')', '<', '<'],
  ['[', ']', '\\le', '\\le'],
  ['(', ']', '<', '\\le'],
  ['[', ')', '\\le', '<'],
];
const interval: fc.Arbitrary<Case> = fc
  .tuple(distinct(2), fc.integer({ min: 0, max: 3 }))
  .map(([[x, y], k]) => {
    const [a, b] = x! < y! ? [x!, y!] : [y!, x!];
    const [o, c, lo, hi] = BR[k]!;
    const flip = BR[(k + 2) % 4]!;
    const forms = [
      `${o}${a},${b}${c}`,
      `\\left${o}${a}, ${b}\\right${c}`,
      `${a} ${lo} x ${hi} ${b}`,
      `x \\in ${o}${a},${b}${c}`,
    ];
    const misses = [`${flip[0]}${a},${b}${flip[1]}`, `${o}${a},${b + 1}${c}`, `\\{${a},${b}\\}`];
    if (o === '(' && c === ')') misses.push(`(${b},${a})`);
    return { forms, misses };
  });

const halfLine: fc.Arbitrary<Case> = fc
  .tuple(fc.integer({ min: -9, max: 9 }), fc.boolean())
  .map(([a, strict]) => ({
    forms: strict
      ? [`x < ${a}`, `(-\\infty, ${a})`, `${a} > x`, `-x > ${-a}`, `x∈(-∞,${a})`]
      : [`x \\le ${a}`, `(-\\infty, ${a}]`, `${a} \\ge x`, `x ≤ ${a}`],
    misses: strict
      ? [`x \\le ${a}`, `(-\\infty, ${a}]`, `x > ${a}`, `(${a}, \\infty)`]
      : [`x < ${a}`, `[${a}, \\infty)`],
  }));

const absBand: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 9 }).map((a) => ({
  forms: [`|x| \\le ${a}`, `[-${a}, ${a}]`, `-${a} \\le x \\le ${a}`],
  misses: [`x \\le ${a}`, `(-${a}, ${a})`, `[0, ${a}]`, `|x| < ${a}`],
}));

const namedSet: fc.Arbitrary<Case> = fc.integer({ min: -9, max: 9 }).map((a) => ({
  forms: [
    `\\mathbb{R}\\setminus\\{${a}\\}`,
    `(-\\infty,${a})\\cup(${a},\\infty)`,
    `(${a},\\infty)\\cup(-\\infty,${a})`,
  ],
  misses: [`\\mathbb{R}`, `(-\\infty,${a}]\\cup(${a},\\infty)`, `(-\\infty,${a})\\cup(${a + 1},\\infty)`],
}));

const VARS = ['x', 'y', 'a', 'b', 'n', 't'];
const assignment: fc.Arbitrary<Case> = fc
  .tuple(fc.uniqueArray(pick(VARS), { minLength: 2, maxLength: 2 }), distinct(2))
  .map(([[u, v], [p, q]]) => ({
    forms: [`${u} = ${p}, ${v} = ${q}`, `${v}=${q}, ${u}=${p}`, `${u}=${p}\\text{ and }${v}=${q}`],
    misses: [`${u} = ${q}, ${v} = ${p}`, `${u} = ${p}, ${v} = ${q + 1}`],
  }));

const single: fc.Arbitrary<Case> = fc
  .tuple(fc.uniqueArray(pick(VARS), { minLength: 2, maxLength: 2 }), fc.integer({ min: -30, max: 30 }))
  .map(([[u, v], p]) => ({
    forms: [`${u} = ${p}`, `${p} = ${u}`, `${u}=${p}`],
    misses: [`${v} = ${p}`, `${u} = ${p + 1}`],
  }));

const line: fc.Arbitrary<Case> = fc
  .tuple(
    fc.integer({ min: -9, max: 9 }).filter((m) => m !== 0),
    fc.integer({ min: -9, max: 9 }),
  )
  .map(([m, c]) => {
    const rhs = `${m}x ${c < 0 ? '-' : '+'} ${Math.abs(c)}`;
    return {
      forms: [
        `y = ${rhs}`,
        `${m}x - y ${c < 0 ? '-' : '+'} ${Math.abs(c)} = 0`,
        `2y = ${2 * m}x ${c < 0 ? '-' : '+'} ${2 * Math.abs(c)}`,
      ],
      misses: [
        `y = ${m}x ${c < 0 ? '-' : '+'} ${Math.abs(c) + 1}`,
        `y = ${m + 1}x ${c < 0 ? '-' : '+'} ${Math.abs(c)}`,
        // The inverse function: the same line only when m = ±1 (y = -x is x = -y).
        ...(Math.abs(m) === 1 ? [] : [`x = ${m}y ${c < 0 ? '-' : '+'} ${Math.abs(c)}`]),
      ],
    };
  });

const UNITS: [string, string, number][] = [
  ['cm', 'm', 100],
  ['mm', 'cm', 10],
  ['g', 'kg', 1000],
  ['min', 'h', 60],
  ['minutes', 'hours', 60],
  ['seconds', 'minutes', 60],
  ['cents', 'dollars', 100],
  ['m', 'km', 1000],
];
const OTHER_DIM: Record<string, string> = {
  m: 'kg',
  cm: 'g',
  mm: 'mg',
  g: 'cm',
  kg: 'm',
  h: 'kg',
  min: 'g',
  hours: 'meters',
  minutes: 'grams',
  seconds: 'g',
  dollars: 'kg',
  cents: 'cm',
  km: 'kg',
};
const quantity: fc.Arbitrary<Case> = fc
  .tuple(pick(UNITS), fc.integer({ min: 1, max: 99 }))
  .map(([[small, big, f], k]) => {
    const n = k * f; // n small = k big
    return {
      forms: [`${n} \\text{ ${small}}`, `${k} \\text{ ${big}}`, `${n}\\,\\mathrm{${small}}`, `${k} ${big}`],
      misses: [
        `${n} \\text{ ${big}}`,
        `${k} \\text{ ${small}}`,
        `${k} \\text{ ${OTHER_DIM[big]}}`,
        `${n + 1} ${small}`,
      ],
    };
  });

const identity: fc.Arbitrary<Case> = fc
  .tuple(
    fc.integer({ min: -6, max: 6 }),
    fc.integer({ min: -6, max: 6 }).filter((b) => b !== 0),
  )
  .map(([a, b]) => {
    const s = (k: number): string => (k < 0 ? `- ${-k}` : `+ ${k}`);
    return {
      forms: [
        `(x ${s(a)})(x ${s(b)})`,
        `x^2 ${s(a + b)}x ${s(a * b)}`,
        `(x ${s(b)})(x ${s(a)})`,
        `x² ${s(a + b)}x ${s(a * b)}`,
      ],
      misses: [`x^2 ${s(a + b + 1)}x ${s(a * b)}`, `(x ${s(a)})(y ${s(b)})`, `(x ${s(a)})(x ${s(-b)})`],
    };
  })
  .filter((c) => !c.misses.includes(c.forms[2]!));

const trig: fc.Arbitrary<Case> = fc.integer({ min: 2, max: 5 }).map((k) => ({
  forms: [`\\sin ${k}x`, `\\sin(${k}x)`, `\\sin\\left(${k} x\\right)`],
  misses: [`${k}\\sin x`, `\\sin(${k + 1}x)`, `\\cos ${k}x`, `\\sin x`],
}));

const ratio: fc.Arbitrary<Case> = fc
  .tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 2, max: 4 }))
  .filter(([a, b]) => a !== b)
  .map(([a, b, k]) => {
    // A ratio is its quotient (`3:2` = `3/2`) and equals the ratios in proportion with it (`6:4`), except
    // that a ratio written like a clock time H:MM (`7:32`; 12:00 is not 1:00) compares term by term.
    const clock = (x: number, y: number) => x <= 24 && y >= 10 && y <= 59;
    const forms = [`${a}:${b}`, `${a} : ${b}`, ` ${a}:${b} `, `\\frac{${a}}{${b}}`, `${a}/${b}`];
    if (!clock(a, b) && !clock(k * a, k * b)) forms.push(`${k * a}:${k * b}`);
    return {
      forms,
      misses: [
        `${b}:${a}`,
        `${a + 1}:${b}`,
        `${a}:${b + 1}`,
        `\\frac{${b}}{${a}}`,
        `${a + b}`,
        `${a}:${b}:1`,
      ],
    };
  });

const complexNumber: fc.Arbitrary<Case> = fc
  .tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: 1, max: 9 }))
  .map(([a, b]) => {
    const im = b === 1 ? 'i' : `${b}i`;
    return {
      forms: [
        `${a} + ${im}`,
        `${im} + ${a}`,
        `${a}+${b}\\cdot i`,
        `(${a}+${im})`,
        `${a}+i${b === 1 ? '' : ` ${b}`}`,
      ],
      misses: [`${a} - ${im}`, `${b} + ${a}i`, `${a}`, `${a + 1} + ${im}`].filter(
        (m) => !(a === b && m.startsWith(`${b} + ${a}i`)),
      ),
    };
  });

const scaledMatrix: fc.Arbitrary<Case> = fc
  .tuple(fc.integer({ min: 2, max: 5 }), fc.integer({ min: -9, max: 9 }), fc.integer({ min: -9, max: 9 }))
  .map(([k, p, q]) => ({
    forms: [
      `${k}\\begin{pmatrix}${p}\\\\${q}\\end{pmatrix}`,
      `\\begin{pmatrix}${k * p}\\\\${k * q}\\end{pmatrix}`,
      `\\begin{bmatrix}${k * p}\\\\${k * q}\\end{bmatrix}`,
    ],
    misses: [
      `\\begin{pmatrix}${p}\\\\${q}\\end{pmatrix}`,
      `\\begin{pmatrix}${k * p}\\\\${k * q + 1}\\end{pmatrix}`,
    ],
  }))
  .filter((c) => !c.misses[0]!.includes('pmatrix}0\\\\0'));

const choice: fc.Arbitrary<Case> = fc
  .tuple(fc.constantFrom('A', 'B', 'C', 'D', 'E'), fc.integer({ min: 1, max: 99 }))
  .map(([l, v]) => ({
    forms: [l, `(${l})`, `\\text{(${l})}`, `\\textbf{(${l}) } ${v}`, `(${l}) ${v}`],
    misses: [l === 'A' ? 'B' : 'A', `(${l === 'E' ? 'D' : 'E'}) ${v}`],
  }));

const money: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 99_999 }).map((cents) => {
  const d = (cents / 100).toFixed(2);
  return {
    // A bare number takes the other side's unit, so the bare `d` equals `\\$d` but not `cents cents`.
    forms: [`\\$${d}`, `${d} dollars`, `${cents} cents`],
    misses: [`${d} cents`, `\\$${((cents + 1) / 100).toFixed(2)}`],
  };
});

const smallScientific: fc.Arbitrary<Case> = fc
  .tuple(fc.integer({ min: 11, max: 99 }), fc.integer({ min: 1, max: 8 }))
  .map(([m, e]) => {
    const mant = `${Math.floor(m / 10)}.${m % 10}`;
    const plain = (m * 10 ** -(e + 1)).toFixed(e + 1);
    return {
      forms: [
        `${mant}e-${e}`,
        `${mant}\\times10^{-${e}}`,
        `${mant} \\cdot 10^{-${e}}`,
        plain,
        `${mant}×10⁻${e}`.replace(/⁻(\d)/, (_x, d: string) => `⁻${'⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]}`),
      ],
      misses: [`${mant}e-${e + 1}`, `${mant}e${e}`, `${mant}`],
    };
  });

// An angle with its degree sign is also that angle in radians; without the sign a number is only itself.
const angle: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 24 }).map((k) => {
  const d = 15 * k;
  const g = gcd(d, 180);
  const [p, q] = [d / g, 180 / g];
  const rad = q === 1 ? `${p === 1 ? '' : p}\\pi` : `\\frac{${p === 1 ? '' : p}\\pi}{${q}}`;
  return {
    forms: [`${d}^\\circ`, `${d}^{\\circ}`, `${d}°`, `${d} \\text{ degrees}`, rad, `${p}\\pi/${q}`],
    misses: [`${d + 15}^\\circ`, `\\frac{${d}}{180}`, `${d}\\pi`, `\\frac{${p + 1}\\pi}{${q}}`],
  };
});

// A numeral with a base subscript: the digits take the base; the decimal value and other bases differ.
const numeral: fc.Arbitrary<Case> = fc
  .tuple(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 10, max: 5000 }))
  .filter(([b, n]) => n >= b)
  .map(([b, n]) => {
    const digits = n.toString(b);
    // Bare digits take the other side's base (so they are not in the same case as another base).
    const withBare = n % 2 === 0;
    return {
      forms: [
        `${digits}_${b}`,
        `${digits}_{${b}}`,
        `{${digits}}_{${b}}`,
        `${digits}\\text{ base ${b}}`,
        ...(withBare ? [digits] : []),
      ],
      misses: [
        `${(n + 1).toString(b)}_{${b}}`,
        String(n),
        ...(withBare ? [`${Number(digits) + 1}`] : [`${digits}_{${b + 1}}`]),
      ],
    };
  });

// A percent answer in a problem that asks for a probability is the value; in one that asks for a
// percent it is the number of percent.
const percentByProblem: fc.Arbitrary<Case> = fc
  .tuple(fc.integer({ min: 1, max: 99 }), fc.boolean())
  .map(([pc, asksPercent]) => {
    const dec = terminatingDecimal(pc, 100)!;
    const g = gcd(pc, 100);
    const fr = `\\frac{${pc / g}}{${100 / g}}`;
    return asksPercent
      ? {
          forms: [`${pc}\\%`, `${pc}`, `${pc} \\text{ percent}`],
          misses: [dec, fr, `${pc + 1}\\%`],
          options: { problem: 'What percent of the marbles are blue?' },
        }
      : {
          forms: [`${pc}\\%`, dec, fr, `${pc}%`],
          misses: [`${pc}`, `${pc + 1}\\%`, `${pc / 10}\\%`],
          options: { problem: 'What is the probability that a marble drawn at random is blue?' },
        };
  });

const ORDINALS = [
  '',
  '',
  'half',
  'third',
  'quarter',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
];
const fractionWords: fc.Arbitrary<Case> = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 2, max: 10 }))
  .filter(([p, q]) => p < q && gcd(p, q) === 1)
  .map(([p, q]) => {
    const w = ORDINALS[q]!;
    const plural = p === 1 ? w : w === 'half' ? 'halves' : `${w}s`;
    return {
      forms: [`${WORDS[p]} ${plural}`, `${WORDS[p]}-${plural}`, `\\frac{${p}}{${q}}`],
      misses: [`\\frac{${p}}{${q + 1}}`, `${p}`, `\\frac{${q}}{${p}}`],
    };
  });

describe('generated equivalent forms and near misses (seeded)', () => {
  const families: [string, fc.Arbitrary<Case>][] = [
    ['rationals: fractions, decimals, mixed numbers, unreduced', rational],
    ['integers: separators, money, scientific, full-width', integer],
    ['small integers and number words', smallInteger],
    ['surds vs their rounded decimals', surd],
    ['multiples of π vs rounded decimals', piMultiple],
    ['repeating decimals', repeating],
    ['tuples vs swapped tuples and sets', tuple],
    ['sets in any order vs tuples and other sets', set],
    ['intervals vs inequalities, open vs closed', interval],
    ['half-lines and strictness', halfLine],
    ['|x| bands', absBand],
    ['ℝ minus a point', namedSet],
    ['assignment maps are order-free and keep names', assignment],
    ['one assignment keeps its variable', single],
    ['lines as equations', line],
    ['quantities with units', quantity],
    ['polynomial identities', identity],
    ['function-application precedence', trig],
    ['ratios, their quotients and proportions', ratio],
    ['complex numbers vs conjugates and swaps', complexNumber],
    ['a scalar times a matrix', scaledMatrix],
    ['choice letters with and without their value', choice],
    ['money: dollars and cents', money],
    ['scientific notation with negative exponents', smallScientific],
    ['angles: degrees and radians', angle],
    ['numerals with a base subscript', numeral],
    ['percent answers decided by the problem text', percentByProblem],
    ['fractions in words', fractionWords],
  ];
  it.each(families)('%s', (_name, arb) => {
    run(arb);
  });

  it('stays symmetric on random pairs across families', () => {
    const any = fc.oneof(...families.map(([, a]) => a));
    fc.assert(
      fc.property(any, any, (x, y) => {
        const a = [...x.forms, ...x.misses][0]!;
        const b = [...y.forms, ...y.misses].at(-1)!;
        expect(compareAnswers(a, b).equal).toBe(compareAnswers(b, a).equal);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('solution sets written as inequalities, plain text functions', () => {
  it.each([
    ['x > 2 \\text{ or } x < -2', '(-\\infty,-2)\\cup(2,\\infty)'],
    ['x \\neq 2', '\\mathbb{R}\\setminus\\{2\\}'],
    ['\\{x \\mid x > 2\\}', '(2,\\infty)'],
    ['\\text{all real numbers}', '\\mathbb{R}'],
    ['sqrt(2)', '\\sqrt2'],
    ['pi/2', '\\frac{\\pi}{2}'],
    ['sin(x)^2+cos(x)^2', '1'],
  ])('%s ≡ %s', (a, b) => {
    expect(compareAnswers(a, b).equal).toBe(true);
    expect(compareAnswers(b, a).equal).toBe(true);
  });
  it.each([
    ['x > 2 \\text{ or } x < -2', '(-\\infty,-2]\\cup(2,\\infty)'],
    ['x<-2 or x>2', 'x<-2 or x>3'],
    ['x \\neq 2', '\\mathbb{R}'],
    ['12:00', '1:00'],
    ['sin(x)^2', 'sin(x^2)'],
  ])('%s ≢ %s', (a, b) => {
    expect(compareAnswers(a, b).equal).toBe(false);
    expect(compareAnswers(b, a).equal).toBe(false);
  });
});
