// String-level normalisation of one answer before parsing: the policy decisions that do not need a
// parse tree live here (percent, currency, units, thousands separators, LaTeX spelling variants).
// Every regex here is linear: inputs can be hostile (see limits.ts).

import { parseUnit } from './units.ts';

/** Commands that only change typography; their argument is kept as is. */
const UNWRAP =
  /\\(?:mathrm|mathbf|mathit|mathsf|mathtt|mathnormal|boldsymbol|bm|textbf|textit|textrm|textnormal|textsf|texttt|text|mbox|hbox|emph|operatorname|displaystyle|textstyle|overline|vec|mathbb|mathcal)\s*\{([^{}]*)\}/g;

/** Words that name a unit (or currency) and are dropped after a number. */
const UNIT_WORDS = new Set(
  (
    'unit units square sq cubic cm mm km m meter meters metre metres centimeter centimeters kilometer kilometers ' +
    'inch inches in ft foot feet yard yards mile miles mph kg g gram grams kilogram kilograms lb lbs pound pounds ounce ounces oz ' +
    'second seconds sec s minute minutes min mins hour hours hr hrs h day days week weeks month months year years ' +
    'dollar dollars cent cents yuan euro euros rupee rupees degree degrees deg radian radians rad ' +
    'liter liters litre litres l ml gallon gallons cup cups people person students apples times ways points ' +
    'percent pct percentage'
  ).split(' '),
);

export interface CleanOptions {
  /**
   * Read an answer that is one number with one comma and no thousands grouping (`1,22`, `1000,99`,
   * `0,111`) as a decimal comma, as European writers do. Off by default: `1,22` may also be the two
   * solutions 1 and 22, and merging a list with a number is a false merge.
   */
  decimalComma?: boolean;
  /**
   * What a percent sign means: `drop` (default; `10\%` = `10`, hendrycks, NeMo, MARIO) or `fraction`
   * (`10\%` = `0.1`, Math-Verify). `normalize` picks it from the problem text (percent.ts).
   */
  percent?: 'drop' | 'fraction';
}

/** Known math commands written with a doubled backslash by over-escaping producers. */
const DOUBLED =
  /(?<!\\)\\\\(?=(?:frac|dfrac|tfrac|cfrac|sqrt|left|right|le|ge|leq|geq|lt|gt|pi|infty|cdot|times|text|mathrm|boxed|in|pm|ne|neq)(?![a-zA-Z]))/g;

export function cleanAnswer(raw: string, options: CleanOptions = {}): string {
  let s = unicodeMath(raw.replace(/\f/g, '\\f'));
  // Every backslash doubled (an answer copied out of a string literal): halve them all.
  const runs = s.match(/\\+/g) ?? [];
  if (runs.length > 0 && runs.every((r) => r.length % 2 === 0) && /(?<!\\)\\\\[a-zA-Z]/.test(s))
    s = s.replace(/\\+/g, (r) => '\\'.repeat(r.length / 2));
  s = s.replace(DOUBLED, '\\');
  s = namedSets(setBuilder(plainFunctions(repeatingDecimals(s))));
  // Angle brackets are a vector's (or a tuple's) brackets: `\langle 1, 2 \rangle` = (1, 2).
  s = s.replace(/\\langle(?![a-zA-Z])|⟨/g, '(').replace(/\\rangle(?![a-zA-Z])|⟩/g, ')');
  s = binomialNotations(s);
  s = piecewiseCells(s);
  // Markdown emphasis around the answer: `**7**`, `** 7` (after `**Final Answer:**`).
  s = s.trim().replace(/^\*\*\s*|\s*\*\*$/g, '');
  s = stripDelimiters(s.trim())
    // Thousands separators written the LaTeX way (before spacing commands are dropped).
    .replace(/(\d)\s*\{\s*,\s*\}\s*(?=\d)/g, '$1')
    // A clock's colon in braces, the LaTeX way of spacing it as punctuation: `3{:}00` is `3:00`.
    .replace(/(\d)\s*\{\s*:\s*\}\s*(?=\d)/g, '$1:')
    .replace(/(\d),\s*\\!\s*(?=\d{3})/g, '$1')
    .replace(/\\+$/, '');
  // A dollar amount alone is a quantity of money: `\$5` = `5` = `500 cents`, but ≠ `5 cents`.
  // (A sentence's closing point after the amount, `\$4.99.`, is not part of it.)
  if (/^(?:\\\$|\$)\s*\d[\d.,]*$/.test(s))
    s = `${s.replace(/^(?:\\\$|\$)\s*/, '').replace(/(?<=\d)[.,]$/, '')} dollars`;
  s = s
    .replace(
      /\\(?:left|right|big|Big|bigg|Bigg)(?![a-zA-Z])\s*\\?([()[\]|.{}])?/g,
      (_m, d: string | undefined) =>
        d === '.' || d === undefined ? '' : d === '{' || d === '}' ? `\\${d}` : d,
    )
    .replace(/\\[dtc]frac(?![a-zA-Z])/g, '\\frac')
    .replace(/(?<!\\)\\(?:[!,;:]|(?:quad|qquad|displaystyle|textstyle|limits|nolimits)(?![a-zA-Z]))/g, ' ')
    .replace(/(?<!\\)\\ /g, ' ')
    .replace(/~/g, ' ')
    .replace(/\\(?:le|leqslant|leqq)(?![a-zA-Z])/g, '\\leq')
    .replace(/\\(?:ge|geqslant|geqq)(?![a-zA-Z])/g, '\\geq')
    .replace(/<=|≤/g, '\\leq')
    .replace(/>=|≥/g, '\\geq')
    .replace(/!=|≠|\\ne(?![a-zA-Z])/g, '\\neq')
    .replace(/\\lt(?![a-zA-Z])/g, '<')
    .replace(/\\gt(?![a-zA-Z])/g, '>')
    .replace(/×/g, '\\times')
    .replace(/π/g, '\\pi')
    .replace(/√/g, '\\sqrt')
    .replace(/∞/g, '\\infty')
    // Degrees: a marker the parser understands (inside trig functions they mean π/180).
    .replace(/\^\s*\{?\s*\\circ\s*\}?|°|\\degree(?![a-zA-Z])/g, '°')
    // Currency: symbols carry no value.
    .replace(/\\\$|\$|€|£|¥|\\euro(?![a-zA-Z])|\\pounds(?![a-zA-Z])/g, ' ')
    // Mixed numbers written inline: `1 1/2`.
    .replace(/^(\d+) (\d+)\/(\d+)$/, '$1\\frac{$2}{$3}');
  // \text{and} / \text{or} separate list items; other \text{...} wrappers are unwrapped (twice for nesting).
  // Between inequalities `or` is a union: `x < -2 \text{ or } x > 2` = (−∞, −2) ∪ (2, ∞).
  if (/[<>]|\\(?:leq|geq|neq)(?![a-zA-Z])/.test(s))
    s = s.replace(/\\(?:text|textnormal|mbox|textrm)\s*\{\s*or\s*\}|\s+or\s+/g, ' \\cup ');
  s = s.replace(/\\(?:text|textnormal|mbox|textrm)\s*\{\s*(?:and|or|,)\s*\}/g, ',');
  // Words written as text after a number are a unit or a count noun (`81\text{ teachers}`, `5\text{ s}`);
  // bare letters after a number may be a product (`3 s^2`).
  const textWords =
    /[\d}]\s*\\(?:text|textnormal|textrm|mbox|mathrm|rm)\s*\{\s*[A-Za-z][A-Za-z./\s]*\}\s*(?:\^\s*\{?\s*[23]\s*\}?)?\s*\.?$/.test(
      s,
    );
  // A numeral's base written out: `2112\text{ base 6}`, `2112 (base 6)` = `2112_{6}`.
  s = s.replace(
    /(?<![\d.])(\d+)\s*(?:\\text\s*\{\s*(?:in\s+)?base\s*(\d{1,2})\s*\}|\(?\s*(?:in\s+)?base\s*(\d{1,2})\s*\)?)/g,
    (_m, n: string, a: string | undefined, b: string | undefined) => `${n}_{${a ?? b}}`,
  );
  for (let i = 0; i < 3 && UNWRAP.test(s); i++) {
    UNWRAP.lastIndex = 0;
    s = s.replace(UNWRAP, (_m, inner: string) => ` ${inner} `);
  }
  UNWRAP.lastIndex = 0;
  // Percent policy: by default the sign is dropped, 10% = 10 (hendrycks, NeMo, MARIO agree); when the
  // problem does not ask for a percent, 10% is the number 0.1 (percent.ts). Never both at once: that
  // would merge 10 with 0.1 through transitivity.
  // In fraction mode a percent sign closing the whole answer applies to all of it: `33\frac13\%` = 1/3.
  if (options.percent === 'fraction' && s.endsWith('%') && s.indexOf('%') === s.length - 1) {
    const body = s.slice(0, s.endsWith('\\%') ? -2 : -1).trimEnd();
    if (/[\d}]$/.test(body) && !/^-?\d+(?:\.\d+)?$/.test(body)) s = `\\frac{${body}}{100}`;
  }
  s = s
    .replace(NUMBER_PERCENT, (_m, n: string) =>
      options.percent === 'fraction' ? `\\frac{${n}}{100}` : `${n} `,
    )
    .replace(/\\%|%|\\percent(?![a-zA-Z])/g, ' ');
  s = s.replace(/\s+/g, ' ').trim();
  if (/^all real numbers$/i.test(s)) s = '(-\\infty,\\infty)';
  // "No solution" is the empty solution set.
  if (/^(?:there (?:is|are) )?no (?:real )?(?:solutions?|roots?)\.?$/i.test(s)) s = '\\emptyset';
  // A number followed by a scale word: `2.5 million` = 2500000, `\$1.5 billion` (the words of numberWords).
  s = s.replace(
    /(?<![\d.])(\d+(?:\.\d+)?)\s*(thousand|million|billion|trillion)(?![a-zA-Z])/g,
    (_m, n: string, w: string) => `${n}\\times10^{${String(SCALES[w]!).length - 1}}`,
  );
  s = timeOfDay(s);
  s = workedOperator(s);
  s = ordinal(numberWords(ordinal(s)));
  s = compoundQuantity(s);
  s = dropUnits(s, textWords);
  if (options.decimalComma) {
    s = s.replace(/^(-?\d+),(\d+)$/, (m, a: string, b: string) =>
      /^-?[1-9]\d{0,2}$/.test(a) && b.length === 3 ? m : `${a}.${b}`,
    );
  }
  // Plain thousands separators: 7,425,000 (not 0,111 and not "1, 000").
  // Inside brackets or next to other commas, `12,102` is a list: (2,12) ∪ (12,102).
  const commas = (s.match(/,/g) ?? []).length;
  s = s.replace(/(?<![\d.,])([1-9]\d{0,2})((?:,\d{3})+)(?![\d,])/g, (m, a: string, b: string, at: number) => {
    const before = s[at - 1] ?? '';
    const after = s[at + m.length] ?? '';
    const alone = commas === b.length / 4 && !/[([{]/.test(before) && !/[)\]}]/.test(after);
    return alone ? a + b.replace(/,/g, '') : m;
  });
  s = s.replace(/(?<![\d.])(\d{1,3})((?: \d{3})+)(?![\d.])/g, (m, a: string, b: string) =>
    /^\d{1,3}( \d{3})+$/.test(m) ? a + b.replace(/ /g, '') : m,
  );
  s = s.replace(/\s+(?:and|or)\s+|(?<=[)\]])\s*(?:and|or)\s*(?=[([])/gi, ', ').replace(/,(?:\s*,)+/g, ',');
  s = s.replace(/^(?:and|or)\s+|[\s.;,]+$/g, '').trim();
  return s;
}

/**
 * A number and the percent sign or word after it. Starts only where a number starts (`(?<![\d.])`), so
 * a long run of digits or spaces is scanned once, not once per position.
 */
const NUMBER_PERCENT =
  /(?<![\d.])(\d+(?:\.\d+)?|\.\d+)\s*(?:\\%|%|\\percent(?![a-zA-Z])|(?:percent|percentage|pct)(?![a-zA-Z]))/g;

/** Removes one layer of math delimiters wrapping the whole answer. */
function stripDelimiters(s: string): string {
  for (let i = 0; i < 3; i++) {
    const t = s
      .replace(/^\$\$([\s\S]*)\$\$$/, '$1')
      .replace(/^\$([\s\S]*)\$$/, '$1')
      .replace(/^\\\[([\s\S]*)\\\]$/, '$1')
      .replace(/^\\\(([\s\S]*)\\\)$/, '$1')
      .trim();
    if (t === s) break;
    s = t;
  }
  return s;
}

/**
 * Unit policy: a unit of measure after a number is kept as `\unit{…}` (the parser makes a quantity of it,
 * so `5 cm` = `0.05 m` and `5 cm` ≠ `5 kg`); other words after a number are count nouns and are dropped
 * (`10 weeks`… no: weeks is a unit; `12 apples` = 12). A short word glued to the number is neither
 * (`10cm` ≠ 10, as MARIO_EVAL): it may be a product.
 */
function dropUnits(s: string, textWords: boolean): string {
  // The number may end in a constant: `36\pi\text{ cm}^3` is 36π cm³.
  const m = /^(.*?(?:[\d}).°]|\\pi))(\s*)([A-Za-z][A-Za-z./\s]*?)(\s*\^\s*\{?\s*[23]\s*\}?)?$/.exec(s);
  if (!m) return s;
  const [, head = '', space = '', words = '', exp = ''] = m;
  if (!/\d/.test(head)) return s;
  const list = words.trim().split(/[\s/]+/);
  const glued = space === '';
  // Degrees written as a word are the degree sign: `30 degrees` = `30^\circ` (so also π/6).
  if (!glued && list.length === 1 && /^(?:degrees?|deg)\.?$/i.test(list[0]!) && !exp)
    return `${head.trim()}°`;
  const known = list.every((w) => UNIT_WORDS.has(w.toLowerCase().replace(/\.$/, '')) || w === 'per');
  if (glued && !(words.length >= 4 && known)) return s;
  const unit = parseUnit(`${words}${exp}`);
  if (unit) return `${head.trim()} \\unit{${unit.name}}`;
  // A single lowercase word of four or more letters after a spaced number is a count noun (`12 marbles`),
  // not a product of letters; shorter letter runs may be one (`3 ab`, `2 s^2`).
  const noun = list.length === 1 && /^[a-z]{4,}$/.test(list[0]!) && !exp;
  if (!known && !textWords && !noun && (list.length < 2 || list.some((w) => w.length < 2))) return s;
  return head.trim();
}

/**
 * Times of day in one form, `H:MM` on a 24-hour clock: `20:34:00` and `08:34 P.M.` are `20:34`. Only a
 * whole answer that reads as a clock time; `7:32` stays a ratio and compares as one.
 */
function timeOfDay(s: string): string {
  const m = /^(\d{1,2}):([0-5]\d)(?::00)?\s*(?:([ap])\.?\s*m\.?)?$/i.exec(s);
  if (!m) return s;
  let h = Number(m[1]);
  const half = m[3]?.toLowerCase();
  if (h > 24 || (half && (h < 1 || h > 12))) return s;
  if (half === 'p' && h < 12) h += 12;
  if (half === 'a' && h === 12) h = 0;
  return `${h}:${m[2]}`;
}

const SUPER: Record<string, string> = {
  '⁰': '0',
  '¹': '1',
  '²': '2',
  '³': '3',
  '⁴': '4',
  '⁵': '5',
  '⁶': '6',
  '⁷': '7',
  '⁸': '8',
  '⁹': '9',
  '⁻': '-',
  '⁺': '+',
};
const UNICODE: Record<string, string> = {
  '−': '-',
  '÷': '\\div ',
  '·': '\\cdot ',
  '⋅': '\\cdot ',
  '∙': '\\cdot ',
  '∈': '\\in ',
  '∅': '\\emptyset ',
  ℝ: '\\mathbb{R}',
  '≈': '\\approx ',
  '½': '\\frac{1}{2}',
  '⅓': '\\frac{1}{3}',
  '⅔': '\\frac{2}{3}',
  '¼': '\\frac{1}{4}',
  '¾': '\\frac{3}{4}',
  '\u3000': ' ',
  '\u00a0': ' ',
};

/**
 * Unicode math as LaTeX: − × ÷ · √ π ∞ ≤ ≥ ∈ ∅ ℝ, superscripts (`x²` → `x^{2}`), vulgar fractions, and
 * full-width forms (`１２` → `12`). `√12` is √(12), not √1·2.
 */
function unicodeMath(s: string): string {
  if (!/[^ -~\t\n\r]/.test(s)) return s;
  let t = s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  t = t.replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+/g, (r) => `^{${[...r].map((c) => SUPER[c]).join('')}}`);
  t = t.replace(/[−÷·⋅∙∈∅ℝ≈½⅓⅔¼¾\u3000\u00a0]/g, (c) => UNICODE[c] ?? c);
  return t.replace(/√\s*(\d+(?:\.\d+)?|[A-Za-z])/g, '\\sqrt{$1}');
}

/** `0.\overline{3}` = 1/3, `0.1\overline{6}` = 1/6, `2.\overline{142857}`, also `\dot{3}`: exact fractions. */
function repeatingDecimals(s: string): string {
  if (s.length > 500) return s;
  if (/\.\.\.|…|\\[lc]?dots/.test(s))
    s = s.replace(ELLIPSIS, (m, ip: string, fp: string) => dotted(m, ip, fp));
  // The period in brackets, as many European texts write it: `0.(3)`, `0.1(6)`.
  if (/\.\d*\(\d/.test(s))
    s = s.replace(/(?<![\d.])(\d*)\.(\d{0,30})\((\d{1,30})\)(?![\d.])/g, '$1.$2\\overline{$3}');
  if (!/\\(?:overline|dot|bar)/.test(s)) return s;
  return s.replace(
    /(-?)(\d*)\.(\d*)\s*\\(?:overline|dot|bar)\s*\{\s*(\d{1,30})\s*\}/g,
    (_m, sign: string, ip: string, fp: string, rep: string) => {
      const whole = BigInt(`${ip || '0'}${fp}${rep}`) - BigInt(`${ip || '0'}${fp}`);
      const den = 10n ** BigInt(fp.length) * (10n ** BigInt(rep.length) - 1n);
      return `${sign}\\frac{${whole}}{${den}}`;
    },
  );
}

/** A decimal followed by an ellipsis: `0.333...`, `0.1666\ldots`, `0.2727\cdots`. */
const ELLIPSIS = /(?<![\d.])(\d*)\.(\d{1,30})\s*(?:\.\.\.|…|\\(?:ldots|cdots|dots)(?![a-zA-Z]))(?![\d.])/g;

/**
 * `0.333...` is 0.\overline{3} when its last digits show the period: a block (up to 6 digits) that ends
 * the digits repeated at least twice, over at least three digits unless the block is one digit
 * (`0.33…`, `0.1666…`, `0.2727…`, `0.142857142857…`: a doubled last digit before an ellipsis is how
 * 1/3 is written by hand). Otherwise (`3.14159…`, `0.25…`, `0.1212…`'s shorter cousin `0.12…`) the
 * ellipsis is dropped: the decimal is only a truncation, and compares as the decimal written.
 */
function dotted(m: string, ip: string, fp: string): string {
  // The block that explains the most digits wins (`0.13331333…` is 0.\overline{1333}, not 0.1333\overline{3});
  // among equals, the shortest.
  let best: { p: number; k: number } | null = null;
  for (let p = 1; p <= 6; p++) {
    const block = fp.slice(-p);
    let k = 1;
    while (fp.length >= (k + 1) * p && fp.slice(-(k + 1) * p, -k * p) === block) k++;
    if (k >= 2 && (k * p >= 3 || p === 1) && (best === null || k * p > best.k * best.p)) best = { p, k };
  }
  if (best === null) return m;
  const block = fp.slice(-best.p);
  return `${ip}.${fp.slice(0, fp.length - best.k * best.p)}\\overline{${block}}`;
}

/** Named sets: ℝ and `\mathbb{R}` as (−∞, ∞); `\varnothing`, `\{\}` and `∅` as the empty set. */
function namedSets(s: string): string {
  if (!/\\(?:mathbb|R\b|varnothing|emptyset|\{)|real numbers/i.test(s)) return s;
  return s
    .replace(/\\mathbb\s*\{?\s*R\s*\}?|\\R(?![a-zA-Z])|^all real numbers$/gi, '(-\\infty,\\infty)')
    .replace(/\\varnothing(?![a-zA-Z])|\\\{\s*\\\}|\\emptyset(?![a-zA-Z])/g, '\\emptyset ');
}

/** Number words up to nineteen (also read by rounding.ts for "two decimal places"). */
export const ONES: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
/** Denominators named by words, singular and plural (`one third`, `two thirds`). */
const FRACTION_WORDS: Readonly<Record<string, number>> = Object.fromEntries(
  (
    [
      ['half', 2],
      ['halves', 2],
      ['third', 3],
      ['quarter', 4],
      ['fourth', 4],
      ['fifth', 5],
      ['sixth', 6],
      ['seventh', 7],
      ['eighth', 8],
      ['ninth', 9],
      ['tenth', 10],
      ['twelfth', 12],
    ] as const
  ).flatMap(([w, d]) => [
    [w, d],
    [w.endsWith('f') ? `${w.slice(0, -1)}ves` : w.endsWith('s') ? w : `${w}s`, d],
  ]),
);

const SCALES: Record<string, bigint> = {
  thousand: 1000n,
  million: 1000000n,
  billion: 1000000000n,
  trillion: 1000000000000n,
};

/**
 * Cardinal number words opening the answer (`twelve`, `one hundred and five`, `twenty-one apples`,
 * `minus three`) as digits. Only when the whole answer is the number, optionally followed by words.
 */
function numberWords(s: string): string {
  if (s.length > 120) return s;
  const m = /^(minus |negative )?([a-z]+(?:[\s-]+[a-z]+)*)\.?$/i.exec(s);
  if (!m) return s;
  const words = m[2]!.toLowerCase().split(/[\s-]+/);
  let total = 0n;
  let group = 0n;
  let used = 0;
  let any = false;
  for (const w of words) {
    if (w in ONES) {
      group += BigInt(ONES[w]!);
      any = true;
    } else if (w === 'hundred' && any) group = (group === 0n ? 1n : group) * 100n;
    else if (w in SCALES && any) {
      total += (group === 0n ? 1n : group) * SCALES[w]!;
      group = 0n;
    } else if (!(w === 'and' && any && used > 0)) break;
    used++;
  }
  if (!any) return s;
  // A trailing `and` belongs to the rest (`one and two`), not to the number.
  while (used > 0 && words[used - 1] === 'and') used--;
  const rest = words.slice(used).join(' ');
  if (rest !== '' && !/^[a-z ]+$/.test(rest)) return s;
  if (rest.split(' ').some((w) => w in ONES || w === 'and' || w === 'or')) return s;
  const n = (m[1] ? '-' : '') + String(total + group);
  // A fraction in words: `one half`, `two thirds`, `three quarters`.
  // A singular denominator after a multiple of ten is an ordinal (`twenty-third`, read by ordinal()), not
  // a fraction (`one third`, `two thirds`, `two third`).
  const den = FRACTION_WORDS[rest];
  const count = total + group;
  const ordinalWords = rest in ORDINALS && count % (den !== undefined && den < 10 ? 10n : 100n) === 0n;
  if (den !== undefined && count > 0n && !ordinalWords) return `${m[1] ? '-' : ''}\\frac{${count}}{${den}}`;
  return rest === '' ? n : `${n} ${rest}`;
}

/**
 * Function names and constants written as plain text (`sqrt(2)`, `pi/2`, `sin(x)`, `inf`): as LaTeX
 * commands. Only whole words: `cosine`, `using`, `pin` stay words.
 */
function plainFunctions(s: string): string {
  if (!/(?:sqrt|sin|cos|tan|sec|csc|cot|ln|log|exp|pi|inf|infinity)(?![a-zA-Z])/.test(s)) return s;
  return s
    .replace(
      /(?<![\\a-zA-Z])(sqrt|arcsin|arccos|arctan|sin|cos|tan|sec|csc|cot|ln|log|exp)(?=\s*\()/g,
      '\\$1',
    )
    .replace(/(?<![\\a-zA-Z])pi(?![a-zA-Z])/g, '\\pi ')
    .replace(/(?<![\\a-zA-Z])(?:infinity|inf)(?![a-zA-Z])/g, '\\infty ');
}

/** Set-builder notation for a solution set: `\{x \mid x > 2\}`, `\{x : x > 2\}` → `x > 2`. */
function setBuilder(s: string): string {
  if (s.length > 500 || !s.startsWith('\\{')) return s;
  const m = /^\\\{\s*([a-zA-Z])\s*(?:\\in\s*\\mathbb\s*\{?\s*R\s*\}?\s*)?(?:\\mid|\||:)(.*)\\\}$/.exec(
    s.trim(),
  );
  const cond = m?.[2]?.trim();
  return cond?.includes(m![1]!) ? cond : s;
}

/**
 * A worked limit, sum, product or integral ending in its value (`\lim_{x\to\infty}\frac1x = 0`,
 * `\sum_{k=1}^{n} k = \frac{n(n+1)}{2}`): the answer is the value after the last `=`, as in any chain of
 * equalities. Its left side binds its own variable, so it is no equation to solve.
 */
function workedOperator(s: string): string {
  if (s.length > 500 || !/^\\(?:lim|sum|prod|int|iint|oint)(?![a-zA-Z])/.test(s)) return s;
  if (/[<>]|\\(?:leq|geq|neq)(?![a-zA-Z])/.test(s)) return s;
  const at = s.lastIndexOf('=');
  const value = at < 0 ? '' : s.slice(at + 1).trim();
  return value === '' ? s : value;
}

/** Ordinal words (`first` … `nineteenth`, the tens `twentieth` … `ninetieth`). */
const ORDINALS: Readonly<Record<string, number>> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  thirteenth: 13,
  fourteenth: 14,
  fifteenth: 15,
  sixteenth: 16,
  seventeenth: 17,
  eighteenth: 18,
  nineteenth: 19,
  twentieth: 20,
  thirtieth: 30,
  fortieth: 40,
  fiftieth: 50,
  sixtieth: 60,
  seventieth: 70,
  eightieth: 80,
  ninetieth: 90,
};

/** The English suffix of an ordinal numeral: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 102nd. */
function suffixOf(n: bigint): string {
  const t = n % 100n;
  if (t >= 11n && t <= 13n) return 'th';
  return ['th', 'st', 'nd', 'rd'][Number(n % 10n)] ?? 'th';
}

/**
 * An ordinal as the whole answer is the number of its place: `3rd` = `3^{\text{rd}}` = `third` = 3,
 * `21st` = `twenty-first`. A numeral needs its own suffix (`3th` is not read); in words, a ones ordinal
 * follows only a multiple of ten (`twenty-first`), so `one second` (a duration) and `one third` (a
 * fraction) are not ordinals. Runs twice: on numerals first, then on what numberWords left (`20 first`).
 */
function ordinal(s: string): string {
  if (s.length > 80) return s;
  const d = /^(\d{1,9})\s*(?:\^\s*\{?\s*)?(st|nd|rd|th)\s*\}?\.?$/i.exec(s);
  if (d) return suffixOf(BigInt(d[1]!)) === d[2]!.toLowerCase() ? d[1]! : s;
  const w = /^(?:(\d{1,9}) )?([a-z]+)\.?$/i.exec(s);
  const o = w ? ORDINALS[w[2]!.toLowerCase()] : undefined;
  if (o === undefined) return s;
  if (w![1] === undefined) return String(o);
  const head = BigInt(w![1]);
  if (head === 0n || head % (o < 10 ? 10n : 100n) !== 0n) return s;
  return String(head + BigInt(o));
}

/**
 * Two amounts of one dimension, the larger unit first: `2 hours 30 minutes` = 150 minutes,
 * `5 feet 6 inches` = 66 inches (written in the smaller unit, exactly). Different dimensions or an
 * ascending pair are left alone.
 */
function compoundQuantity(s: string): string {
  if (s.length > 80) return s;
  const m = /^(\d{1,6}(?:\.\d{1,6})?) ([A-Za-z]+)\s*,?\s*(?:and )?(\d{1,6}(?:\.\d{1,6})?) ([A-Za-z]+)$/.exec(
    s,
  );
  if (!m) return s;
  const ua = parseUnit(m[2]!);
  const ub = parseUnit(m[4]!);
  if (!ua || !ub || ua.dim !== ub.dim || ua.n * ub.d <= ub.n * ua.d) return s;
  const [an, ad] = decimal(m[1]!);
  const [bn, bd] = decimal(m[3]!);
  // a·(ua/ub) + b, over one denominator.
  const num = an * ua.n * ub.d * bd + bn * ad * ua.d * ub.n;
  const den = ad * ua.d * ub.n * bd;
  let g = num;
  for (let h = den; h !== 0n; ) [g, h] = [h, g % h];
  return `\\frac{${num / g}}{${den / g}} \\unit{${ub.name}}`;
}

function decimal(t: string): [bigint, bigint] {
  const [i = '0', f = ''] = t.split('.');
  return [BigInt(i + f), 10n ** BigInt(f.length)];
}

/**
 * The other spellings of a binomial coefficient, read as `\binom{n}{k}`: `{}_{10}C_3`, `_{10}C_{3}`,
 * `^{10}C_3`, `{}^nC_k` (the prefix-subscript nCk of school texts) and `C(10, 3)` with two integer
 * arguments (a point named C is written `C = (10, 3)`). Only these exact shapes (not `x_iC_j`,
 * a subscript on something); `C` alone stays a symbol.
 */
function binomialNotations(s: string): string {
  const g = String.raw`(?:\{\s*([a-z]|\d+)\s*\}|([a-z]|\d+))`;
  const prefix = new RegExp(
    String.raw`(?:\{\s*\}|(?<![\w)\]}]))[_^]\s*${g}\s*(?:\\mathrm\{C\}|C)\s*_\s*${g}`,
    'g',
  );
  return s
    .replace(
      prefix,
      (_m, n1?: string, n2?: string, k1?: string, k2?: string) => `\\binom{${n1 ?? n2}}{${k1 ?? k2}}`,
    )
    .replace(/(?<![A-Za-z\\])C\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)/g, '\\binom{$1}{$2}');
}

/**
 * The cells of a `cases` environment as a piecewise function writes them: the comma closing a value
 * (`2x, & x < 1`) and the word opening a condition (`& \\text{if } x < 0`, `& \\text{for } x > 1`, `& if x<0`)
 * are punctuation, not part of the value or the condition.
 */
function piecewiseCells(s: string): string {
  return s.replace(/\\begin\{cases\}[\s\S]*?\\end\{cases\}/g, (env) =>
    env
      .replace(/,\s*&/g, '&')
      .replace(
        /&\s*(?:\\(?:text|textrm|mbox|mathrm)\s*\{\s*(?:if|for|when)\s*\}|(?:if|for|when)(?![a-zA-Z]))\s*/g,
        '& ',
      ),
  );
}
