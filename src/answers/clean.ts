// String-level normalisation of one answer before parsing: the policy decisions that do not need a
// parse tree live here (percent, currency, units, thousands separators, LaTeX spelling variants).
// Every regex here is linear: inputs can be hostile (see limits.ts).

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
}

/** Known math commands written with a doubled backslash by over-escaping producers. */
const DOUBLED =
  /(?<!\\)\\\\(?=(?:frac|dfrac|tfrac|cfrac|sqrt|left|right|le|ge|leq|geq|lt|gt|pi|infty|cdot|times|text|mathrm|boxed|in|pm|ne|neq)(?![a-zA-Z]))/g;

export function cleanAnswer(raw: string, options: CleanOptions = {}): string {
  let s = raw.replace(/\f/g, '\\f');
  // Every backslash doubled (an answer copied out of a string literal): halve them all.
  const runs = s.match(/\\+/g) ?? [];
  if (runs.length > 0 && runs.every((r) => r.length % 2 === 0) && /(?<!\\)\\\\[a-zA-Z]/.test(s))
    s = s.replace(/\\+/g, (r) => '\\'.repeat(r.length / 2));
  s = s.replace(DOUBLED, '\\');
  s = stripDelimiters(s.trim())
    // Thousands separators written the LaTeX way (before spacing commands are dropped).
    .replace(/(\d)\s*\{\s*,\s*\}\s*(?=\d)/g, '$1')
    .replace(/(\d),\s*\\!\s*(?=\d{3})/g, '$1')
    .replace(/\\+$/, '');
  s = s
    .replace(
      /\\(?:left|right|big|Big|bigg|Bigg)(?![a-zA-Z])\s*\\?([()[\]|.{}])?/g,
      (_m, d: string | undefined) =>
        d === '.' || d === undefined ? '' : d === '{' || d === '}' ? `\\${d}` : d,
    )
    .replace(/\\[dtc]frac(?![a-zA-Z])/g, '\\frac')
    .replace(/(?<!\\)\\(?:!|,|;|:|quad|qquad|displaystyle|textstyle|limits|nolimits)(?![a-zA-Z])/g, ' ')
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
    // Percent policy: the sign is dropped, 10% = 10 (hendrycks, NeMo, MARIO agree; never 10% = 0.1, that
    // would also merge 10 with 0.1 through transitivity).
    .replace(/\\%|%|\\percent(?![a-zA-Z])/g, ' ')
    // Mixed numbers written inline: `1 1/2`.
    .replace(/^(\d+) (\d+)\/(\d+)$/, '$1\\frac{$2}{$3}');
  // \text{and} / \text{or} separate list items; other \text{...} wrappers are unwrapped (twice for nesting).
  s = s.replace(/\\(?:text|textnormal|mbox|textrm)\s*\{\s*(?:and|or|,)\s*\}/g, ',');
  for (let i = 0; i < 3 && UNWRAP.test(s); i++) {
    UNWRAP.lastIndex = 0;
    s = s.replace(UNWRAP, (_m, inner: string) => ` ${inner} `);
  }
  UNWRAP.lastIndex = 0;
  s = s.replace(/\s+/g, ' ').trim();
  s = timeOfDay(s);
  s = dropUnits(s);
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
 * Unit policy: words after a number are units and are dropped (`10 weeks` = 10, `10\text{ cm}^2` = 10).
 * A short word glued to the number is not (`10cm` ≠ 10, `10m` ≠ 10, as MARIO_EVAL): it may be a product.
 */
function dropUnits(s: string): string {
  const m = /^(.*?[\d}).°])(\s*)([A-Za-z][A-Za-z.\s]*?)(\s*\^\s*\{?\s*[23]\s*\}?)?$/.exec(s);
  if (!m) return s;
  const [, head = '', space = '', words = ''] = m;
  if (!/\d/.test(head)) return s;
  const list = words.trim().split(/\s+/);
  const known = list.every((w) => UNIT_WORDS.has(w.toLowerCase().replace(/\.$/, '')));
  const glued = space === '';
  if (glued && !(words.length >= 4 && known)) return s;
  if (!known && (list.length < 2 || list.some((w) => w.length < 2))) return s;
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
