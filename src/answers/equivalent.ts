// Deciding whether two answers are equivalent: each answer is a typed value (normalize.ts `kindOf`), and
// one table (`RULES`) says, for every pair of types, which rule decides, or that the pair can never be
// equal. docs/answers.md lists the table with an example per rule.
//
// Number policy: exact values compare exactly; a decimal equals an exact irrational or non-terminating
// value only when rounding is asked for (`precision`, `tolerance`, or the problem text says "round to
// …"), or when it is a machine rendering with ≥ 10 significant digits that agrees to all of them.
// Expressions are equal as functions, checked at deterministic points of both signs, zero, non-integers
// (and complex points when an answer is complex). Every check runs under a deterministic work budget
// (operation counts, LIMITS.comparisonWork): the same pair gets the same verdict on any machine.
import type { Node } from './ast.ts';
import { type C, evaluate, exact, freeSymbols, hasInfinity, terminates } from './evaluate.ts';
import { LIMITS } from './limits.ts';
import { withListOrder } from './order.ts';
import {
  type AnswerType,
  isScalar,
  kindOf,
  type Normalized,
  type NormalizeOptions,
  normalize,
} from './normalize.ts';
import { show } from './parse.ts';
import { type Rounding, roundAs, roundingOf } from './rounding.ts';

export interface EquivalenceOptions extends NormalizeOptions {
  /**
   * Relative tolerance for values that are not both exact rationals. Default 1e-9. Setting it is asking
   * for approximate comparison: a decimal then matches an irrational within this relative distance.
   */
  tolerance?: number;
  /**
   * Compare numbers after rounding both to this many decimal places (Math-Verify's `float_rounding`).
   * Unset by default: a rounded decimal is then not equal to an exact irrational value.
   */
  precision?: number;
  /**
   * Relation against set: `symmetric` (default) lets `-2 ≤ x ≤ 7` and `[-2, 7]` match either way round;
   * `gold-relation` lets them match only when the first argument (the gold) is the relation, as
   * Math-Verify does unless `allow_set_relation_comp`.
   */
  setRelation?: 'symmetric' | 'gold-relation';
  /**
   * `false`: variable names do not matter, `f(x)` = `f(y)` (Math-Verify's `strict=False`): the second
   * answer's variables are renamed to the first's, in order of appearance. Default true.
   */
  strict?: boolean;
  /** Work budget of one check, in operations (default LIMITS.comparisonWork). Past it: string comparison. */
  budget?: number;
  /**
   * Deprecated wall-clock budget, kept for callers: mapped deterministically to `budget` =
   * budgetMs × LIMITS.workPerMs (no clock is read).
   */
  budgetMs?: number;
  /** Deprecated and ignored: budgets are operation counts, not time. */
  now?: () => number;
}

export interface Verdict {
  readonly equal: boolean;
  /**
   * The rule that decided: `key` (same canonical key), a rule of the table (`number:exact`,
   * `number:rounded`, `function`, `relation`, `set`, `interval`, `assignment`, `quantity`, …),
   * `never:<type>~<type>` (types that are never equal), or `string:<why>` (compared as strings).
   */
  readonly how: string;
  /** The typed values of the two answers (preferred forms). */
  readonly types: readonly [AnswerType, AnswerType];
  /** Work spent, in operations. */
  readonly work: number;
}

/** Whether two answers (bare answers, not full responses) are equivalent. Symmetric. */
export function equivalent(a: string, b: string, options: EquivalenceOptions = {}): boolean {
  return compareAnswers(a, b, options).equal;
}

export function compareAnswers(a: string, b: string, options: EquivalenceOptions = {}): Verdict {
  return compareNormalized(normalize(a, options), normalize(b, options), options);
}

class Budget extends Error {}

/** The per-check work budget the options ask for. */
export function checkBudget(options: EquivalenceOptions): number {
  if (options.budget !== undefined) return options.budget;
  if (options.budgetMs !== undefined) return options.budgetMs * LIMITS.workPerMs;
  return LIMITS.comparisonWork;
}

export function compareNormalized(a: Normalized, b: Normalized, given: EquivalenceOptions = {}): Verdict {
  const options = withListOrder(given);
  const types = [a.type, b.type] as const;
  if (a.key === b.key) return { equal: true, how: 'key', types, work: 0 };
  if (a.kind === 'string' || b.kind === 'string') {
    const why = a.fallback ?? b.fallback ?? 'unparsed';
    return { equal: squash(a.cleaned) === squash(b.cleaned), how: `string:${why}`, types, work: 0 };
  }
  const round = options.precision !== undefined ? { places: options.precision } : roundingOf(options.problem);
  // Two texts, or two terminating decimals, with different keys are different: the keys decide (unless
  // one has an alternative form, such as a percent's value).
  if (a.kind === 'text' && b.kind === 'text') return { equal: false, how: 'text', types, work: 0 };
  const single = a.forms.length === 1 && b.forms.length === 1;
  if (
    single &&
    a.kind === 'exact' &&
    b.kind === 'exact' &&
    round === null &&
    finiteDecimal(a) &&
    finiteDecimal(b)
  )
    return { equal: false, how: 'number:exact', types, work: 0 };
  const ctx: Ctx = { opts: options, work: 0, limit: checkBudget(options), how: 'never', round };
  // A set gold does not match a relation prediction through the relation's interval form.
  const bForms =
    options.setRelation === 'gold-relation' && a.forms[0]?.t !== 'rel' && b.forms[0]?.t === 'rel'
      ? b.forms.filter((f) => f.t === 'rel')
      : b.forms;
  try {
    let how = '';
    for (const fa of a.forms)
      for (const fb of bForms) {
        if (same(fa, fb, ctx)) return { equal: true, how: ctx.how, types, work: ctx.work };
        how ||= ctx.how;
      }
    if (options.strict === false) {
      for (const fa of a.forms)
        for (const fb of bForms) {
          const renamed = renameLike(fb, fa);
          if (renamed && same(fa, renamed, ctx))
            return { equal: true, how: `${ctx.how}:non-strict`, types, work: ctx.work };
        }
    }
    return { equal: false, how, types, work: ctx.work };
  } catch (err) {
    if (!(err instanceof Budget)) throw err;
    return { equal: squash(a.cleaned) === squash(b.cleaned), how: 'string:budget', types, work: ctx.work };
  }
}

function finiteDecimal(n: Normalized): boolean {
  const d = BigInt(n.key.slice(n.key.indexOf('/') + 1));
  return terminates({ n: 1n, d });
}

const squash = (s: string): string => s.replace(/\s+/g, '').toLowerCase();

interface Ctx {
  opts: EquivalenceOptions;
  work: number;
  limit: number;
  /** The rule that decided the last comparison (the outermost one wins: it is set last on the way out). */
  how: string;
  round: Rounding | null;
}

function tick(ctx: Ctx, cost = 1): void {
  ctx.work += cost;
  if (ctx.work > ctx.limit) throw new Budget();
}

const sizes = new WeakMap<Node, number>();
/** Number of nodes of a tree (the cost of evaluating it once). */
function size(n: Node): number {
  const known = sizes.get(n);
  if (known !== undefined) return known;
  let s = 1;
  switch (n.t) {
    case 'add':
    case 'mul':
    case 'seq':
    case 'rel':
    case 'union':
      for (const x of n.items) s += size(x);
      break;
    case 'neg':
    case 'deg':
    case 'qty':
    case 'assign':
      s += size(n.x);
      break;
    case 'div':
    case 'pow':
    case 'pm':
    case 'setminus':
      s += size(n.a) + size(n.b);
      break;
    case 'fn':
      for (const x of n.args) s += size(x);
      break;
    case 'matrix':
      for (const r of n.rows) for (const c of r) s += size(c);
      break;
    case 'choice':
      s += n.x ? size(n.x) : 0;
      break;
    default:
      break;
  }
  sizes.set(n, s);
  return s;
}

// ---------------------------------------------------------------------------------------------------------
// The type-pair table. Keys are `<type>~<type>` with the two types in alphabetical order; a rule receives
// its arguments in that order. A pair that is not in the table is never equal (`never:<a>~<b>`).

type Rule = (a: Node, b: Node, ctx: Ctx) => boolean;
type Kind = Exclude<AnswerType, 'complex' | 'string'>;

const RULES = new Map<string, { name: string; rule: Rule }>();
function rule(a: Kind, b: Kind, name: string, r: Rule): void {
  const [x, y] = a <= b ? [a, b] : [b, a];
  const oriented: Rule = a <= b ? r : (p, q, ctx) => r(q, p, ctx);
  RULES.set(`${x}~${y}`, { name, rule: oriented });
}

const kind = (n: Node, ctx: Ctx): Kind => {
  const k = kindOf(n, ctx.opts);
  return k === 'complex' ? 'number' : k === 'string' ? 'other' : k;
};

function same(a: Node, b: Node, ctx: Ctx): boolean {
  tick(ctx);
  const ka = kind(a, ctx);
  const kb = kind(b, ctx);
  const [x, y, p, q] = ka <= kb ? [ka, kb, a, b] : [kb, ka, b, a];
  const entry = RULES.get(`${x}~${y}`);
  if (!entry) {
    ctx.how = `never:${x}~${y}`;
    return false;
  }
  const r = entry.rule(p, q, ctx);
  ctx.how = entry.name === 'number' || entry.name === 'function' ? ctx.how : entry.name;
  return r;
}

// Numbers and expressions.
rule('number', 'number', 'number', (a, b, ctx) => sameNumber(a, b, ctx));
rule('expression', 'expression', 'function', (a, b, ctx) => sameFunction(a, b, ctx));
rule('expression', 'number', 'function', (a, b, ctx) => sameFunction(a, b, ctx));
// Quantities: the same dimension and the same value in base units; a bare number takes the other's unit.
rule('quantity', 'quantity', 'quantity', (a, b, ctx) => {
  const qa = a as Qty;
  const qb = b as Qty;
  if (qa.unit.dim !== qb.unit.dim) return false;
  return same(inBase(qa), inBase(qb), ctx);
});
rule('number', 'quantity', 'quantity:bare-number', (a, b, ctx) => same(a, (b as Qty).x, ctx));
// Assignments: maps from names to values, order-free; one assignment also stands for its value.
rule('assignment', 'assignment', 'assignment', (a, b, ctx) => sameAssignments(a, b, ctx));
for (const k of ['number', 'expression', 'set', 'interval', 'matrix', 'quantity', 'ratio'] as const)
  rule('assignment', k, 'assignment:value', (a, b, ctx) => a.t === 'assign' && same(a.x, b, ctx));
// A map against unnamed values: the values in the order the names were written (`x=1, y=2` = `1, 2`).
for (const k of ['list', 'tuple'] as const)
  rule('assignment', k, 'assignment:values-in-order', (a, b, ctx) =>
    a.t === 'assign'
      ? same(a.x, b, ctx)
      : sameOrdered(
          items(a).map((e) => (e.t === 'assign' ? e.x : e)),
          items(b),
          ctx,
        ),
  );
rule('assignment', 'relation', 'relation', (a, b, ctx) =>
  a.t === 'assign' && b.t === 'rel'
    ? sameRelation({ t: 'rel', ops: ['='], items: [a.lhs, a.x] }, b, ctx)
    : false,
);
rule('relation', 'relation', 'relation', (a, b, ctx) => sameRelation(a as Rel, b as Rel, ctx));
// Collections.
rule('set', 'set', 'set', (a, b, ctx) => matchUnordered(items(a), items(b), ctx));
rule('list', 'set', 'set', (a, b, ctx) => matchUnordered(items(a), items(b), ctx));
rule('list', 'list', 'set', (a, b, ctx) => matchUnordered(items(a), items(b), ctx));
// A one-element set is its element: `\{5\}` = 5, `\{(1,2)\}` = (1,2) (but `\{1,2\}` ≠ (1,2)).
for (const k of ['number', 'expression', 'quantity', 'tuple'] as const)
  rule('set', k, 'set:singleton', (a, b, ctx) => items(a).length === 1 && same(items(a)[0]!, b, ctx));
rule('tuple', 'tuple', 'tuple', (a, b, ctx) => sameTuple(a as Seq, b as Seq, ctx));
// A bare list against a tuple: in order (`1, 3` = `(1, 3)`, `3, 1` ≠ `(1, 3)`); never against a set.
rule('list', 'tuple', 'tuple:list', (a, b, ctx) => sameOrdered(items(a), items(b), ctx));
// Ratios: term by term, or as proportions (`6:4` = `3:2`, `1:2:3` = `2:4:6`, `10:15` = `2:3`) unless both
// read as clock times H:MM (12:00 is not 1:00, 3:45 is not 1:15) and the problem does not speak of a
// ratio. A two-term ratio is also its quotient: `3:2` = `\frac32` = 1.5.
rule(
  'ratio',
  'ratio',
  'ratio',
  (a, b, ctx) =>
    sameOrdered(items(a), items(b), ctx) ||
    ((!clockLike(a) || !clockLike(b) || ratioProblem(ctx.opts.problem)) &&
      proportional_(items(a), items(b), ctx)),
);
rule('number', 'ratio', 'ratio:value', (a, b, ctx) => {
  const [p, q, ...rest] = items(b);
  return rest.length === 0 && p !== undefined && q !== undefined && same(a, { t: 'div', a: p, b: q }, ctx);
});
rule('interval', 'interval', 'interval', (a, b, ctx) => sameIntervals(a, b, ctx));
rule('interval', 'tuple', 'interval', (a, b, ctx) => items(b).length === 2 && sameIntervals(a, b, ctx));
rule('interval', 'set', 'interval', (a, b, ctx) => sameIntervals(a, b, ctx));
rule('matrix', 'matrix', 'matrix', (a, b, ctx) => sameMatrix(a, b, ctx));
// A vector written as a bracketed list: `[0.5, 1]` or `(1, 2)` against a one-column matrix.
rule('matrix', 'tuple', 'matrix:vector', (a, b, ctx) => sameMatrix(a, b, ctx));
rule('interval', 'matrix', 'matrix:vector', (a, b, ctx) => sameMatrix(a, b, ctx));
// Choices: letters compare; a letter written with its value also equals the value.
rule('choice', 'choice', 'choice', (a, b) => {
  const ca = a as Choice;
  const cb = b as Choice;
  return ca.letter.toUpperCase() === cb.letter.toUpperCase();
});
for (const k of [
  'number',
  'expression',
  'set',
  'list',
  'tuple',
  'interval',
  'matrix',
  'quantity',
  'text',
] as const)
  rule(
    'choice',
    k,
    'choice:value',
    (a, b, ctx) => (a as Choice).x !== null && same((a as Choice).x!, b, ctx),
  );
rule('text', 'text', 'text', (a, b) => a.t === 'text' && b.t === 'text' && a.s === b.s);
rule('other', 'other', 'structure', (a, b) => show(a) === show(b));

/** The table's rule names by type pair, for docs and reports. */
export function typeRules(): ReadonlyMap<string, string> {
  return new Map([...RULES].map(([k, v]) => [k, v.name]));
}

type Seq = Extract<Node, { t: 'seq' }>;
type Rel = Extract<Node, { t: 'rel' }>;
type Qty = Extract<Node, { t: 'qty' }>;
type Choice = Extract<Node, { t: 'choice' }>;

const items = (n: Node): readonly Node[] => (n.t === 'seq' || n.t === 'union' ? n.items : [n]);

function inBase(q: Qty): Node {
  const f: Node = { t: 'div', a: { t: 'num', text: String(q.unit.n), decimals: 0 }, b: num(q.unit.d) };
  return { t: 'mul', items: [q.x, f] };
}
const num = (n: bigint): Node => ({ t: 'num', text: String(n), decimals: 0 });

function sameAssignments(a: Node, b: Node, ctx: Ctx): boolean {
  const ea = (a.t === 'assign' ? [a] : items(a)) as Extract<Node, { t: 'assign' }>[];
  const eb = (b.t === 'assign' ? [b] : items(b)) as Extract<Node, { t: 'assign' }>[];
  if (ea.length !== eb.length) return false;
  if (ea.length === 1 && (ctx.opts.strict === false || (definition(ea[0]!) && definition(eb[0]!))))
    return same(ea[0]!.x, eb[0]!.x, ctx);
  const byName = new Map(eb.map((e) => [e.name, e.x]));
  if (byName.size !== eb.length) return false;
  return ea.every((e) => {
    const other = byName.get(e.name);
    return other !== undefined && same(e.x, other, ctx);
  });
}

/**
 * `y = 2x + 1` and `f(x) = 2x + 1` define a function of the right-hand side's variables; the name of the
 * dependent variable (`y`, `f(x)`) does not matter between two such definitions. `x = 2` and `y = 2`
 * assign constants: there the names matter.
 */
/** `f` or `f^{-1}`: the function symbol of a definition's left side. */
function inverseOf(n: Node): Extract<Node, { t: 'sym' }> | null {
  if (n.t === 'sym') return n;
  if (n.t === 'pow' && n.a.t === 'sym' && show(n.b) === '-1') return n.a;
  return null;
}

function definition(e: Extract<Node, { t: 'assign' }>): boolean {
  const rhs = freeSymbols(e.x);
  if (rhs.size === 0) return false;
  const lhs = e.lhs;
  if (lhs.t === 'sym') return lhs.name === 'y' && !rhs.has('y');
  // Function notation: f(x), g(t), and an inverse f^{-1}(x).
  const f = lhs.t === 'mul' && lhs.items.length === 2 ? inverseOf(lhs.items[0]!) : null;
  return (
    lhs.t === 'mul' &&
    lhs.items.length === 2 &&
    f !== null &&
    /^[a-zA-Z]$/.test(f.name) &&
    [...freeSymbols(lhs.items[1]!)].every((v) => rhs.has(v) || rhs.size > 0)
  );
}

function sameTuple(a: Seq, b: Seq, ctx: Ctx): boolean {
  if (a.open !== b.open || a.close !== b.close) {
    // A bare list read as ordered (hendrycks/math) matches any bracketed tuple; brackets otherwise agree.
    if (a.open !== '' && b.open !== '') return false;
  }
  return sameOrdered(a.items, b.items, ctx);
}

/** The problem asks about a ratio or proportion (then `10:15` is not a time of day). */
function ratioProblem(problem: string | undefined): boolean {
  return problem !== undefined && /ratio|proportion/i.test(problem.slice(-2000));
}

/** `7:32`, `12:05`: two integer terms that read as a time of day, H:MM. */
function clockLike(n: Node): boolean {
  const [h, m, ...rest] = items(n);
  return (
    rest.length === 0 &&
    h?.t === 'num' &&
    m?.t === 'num' &&
    /^\d{1,2}$/.test(h.text) &&
    Number(h.text) <= 24 &&
    /^[0-5]\d$/.test(m.text)
  );
}

/**
 * Two ratios of the same length in proportion: every cross product a_i·b_j equals a_j·b_i, and neither
 * is all zeros. Terms are scalars (numbers or expressions), compared by the number/function rules.
 */
function proportional_(as: readonly Node[], bs: readonly Node[], ctx: Ctx): boolean {
  if (as.length !== bs.length || as.length > 8 || !as.every(isScalar) || !bs.every(isScalar)) return false;
  const zero = (x: Node): boolean => {
    const e = exact(x);
    return e !== null && e.n === 0n;
  };
  if (as.every(zero) || bs.every(zero)) return false;
  for (let i = 0; i < as.length; i++)
    for (let j = i + 1; j < as.length; j++) {
      const l: Node = { t: 'mul', items: [as[i]!, bs[j]!] };
      const r: Node = { t: 'mul', items: [as[j]!, bs[i]!] };
      if (!same(l, r, ctx)) return false;
    }
  return true;
}

function sameOrdered(as: readonly Node[], bs: readonly Node[], ctx: Ctx): boolean {
  return as.length === bs.length && as.every((x, i) => same(x, bs[i]!, ctx));
}

/**
 * Multiset match; greedy is enough because equivalence on parsed values is (almost) transitive. Lists of
 * different lengths are compared as sets (a repeated solution counts once).
 */
function matchUnordered(as: readonly Node[], bs: readonly Node[], ctx: Ctx): boolean {
  if (as.length > 256 || bs.length > 256) return false;
  if (as.length !== bs.length) {
    return (
      as.every((x) => bs.some((y) => same(x, y, ctx))) && bs.every((y) => as.some((x) => same(x, y, ctx)))
    );
  }
  const used = new Array<boolean>(bs.length).fill(false);
  for (const x of as) {
    const j = bs.findIndex((y, k) => !used[k] && same(x, y, ctx));
    if (j < 0) return false;
    used[j] = true;
  }
  return true;
}

function sameMatrix(a: Node, b: Node, ctx: Ctx): boolean {
  const cells = (n: Node): Node[][] | null =>
    n.t === 'matrix' ? n.rows : n.t === 'seq' && n.open !== ':' ? n.items.map((x) => [x]) : null;
  const ra = cells(a);
  const rb = cells(b);
  if (!ra || !rb || ra.length !== rb.length) return false;
  return ra.every((row, i) => row.length === rb[i]!.length && row.every((c, j) => same(c, rb[i]![j]!, ctx)));
}

// ---------------------------------------------------------------------------------------------------------
// Intervals: unions of intervals and finite sets of real numbers, as a sorted list of disjoint intervals.

interface Iv {
  lo: Node;
  hi: Node;
  lv: number;
  hv: number;
  loC: boolean;
  hiC: boolean;
}

function real(n: Node): number | null {
  if (!isScalar(n) || freeSymbols(n).size > 0) return null;
  const v = evaluate(n, new Map());
  if (Number.isNaN(v[0]) || (v[1] !== 0 && Number.isFinite(v[1]))) return null;
  return v[0];
}

function toIntervals(n: Node, ctx: Ctx): Iv[] | null {
  tick(ctx, size(n));
  if (n.t === 'union') {
    const out: Iv[] = [];
    for (const x of n.items) {
      const p = toIntervals(x, ctx);
      if (!p) return null;
      out.push(...p);
    }
    return out;
  }
  if (n.t === 'setminus') {
    const whole = toIntervals(n.a, ctx);
    const cut = toIntervals(n.b, ctx);
    if (!whole || !cut || cut.some((c) => c.lv !== c.hv)) return null;
    let out = whole;
    for (const c of cut) {
      out = out.flatMap((iv): Iv[] => {
        if (c.lv < iv.lv || c.lv > iv.hv) return [iv];
        return [
          { ...iv, hi: c.lo, hv: c.lv, hiC: false },
          { ...iv, lo: c.lo, lv: c.lv, loC: false },
        ];
      });
    }
    return out;
  }
  if (n.t === 'seq' && (n.open === '{' || n.open === '')) {
    const out: Iv[] = [];
    for (const x of n.items) {
      const v = real(x);
      if (v === null || !Number.isFinite(v)) return null;
      out.push({ lo: x, hi: x, lv: v, hv: v, loC: true, hiC: true });
    }
    return out;
  }
  if (n.t === 'seq' && n.items.length === 2 && (n.open === '(' || n.open === '[')) {
    const [lo, hi] = n.items as [Node, Node];
    const lv = real(lo);
    const hv = real(hi);
    if (lv === null || hv === null) return null;
    return [
      {
        lo,
        hi,
        lv,
        hv,
        loC: n.open === '[' && Number.isFinite(lv),
        hiC: n.close === ']' && Number.isFinite(hv),
      },
    ];
  }
  return null;
}

const near = (x: number, y: number): boolean =>
  x === y || Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(x), Math.abs(y));

/** Sorted, disjoint, non-empty intervals covering the same set. */
function canonical(ivs: Iv[]): Iv[] {
  const kept = ivs.filter((v) => v.lv < v.hv || (near(v.lv, v.hv) && v.loC && v.hiC));
  kept.sort((p, q) => p.lv - q.lv || (p.loC === q.loC ? 0 : p.loC ? -1 : 1));
  const out: Iv[] = [];
  for (const v of kept) {
    const last = out[out.length - 1];
    if (last && (last.hv > v.lv || (near(last.hv, v.lv) && (last.hiC || v.loC)))) {
      if (v.hv > last.hv || (near(v.hv, last.hv) && v.hiC)) {
        out[out.length - 1] = {
          ...last,
          hi: v.hi,
          hv: v.hv,
          hiC: v.hiC || (near(v.hv, last.hv) && last.hiC),
        };
      }
    } else out.push({ ...v });
  }
  return out;
}

function sameIntervals(a: Node, b: Node, ctx: Ctx): boolean {
  const ia = toIntervals(a, ctx);
  const ib = toIntervals(b, ctx);
  if (!ia || !ib) {
    // Endpoints with variables: compare bracket by bracket.
    if (a.t === 'seq' && b.t === 'seq' && a.open === b.open && a.close === b.close)
      return sameOrdered(a.items, b.items, ctx);
    return false;
  }
  const ca = canonical(ia);
  const cb = canonical(ib);
  if (ca.length !== cb.length) return false;
  const end = (x: Node, xv: number, y: Node, yv: number): boolean =>
    !Number.isFinite(xv) || !Number.isFinite(yv) ? xv === yv : same(x, y, ctx);
  return ca.every((p, i) => {
    const q = cb[i]!;
    return p.loC === q.loC && p.hiC === q.hiC && end(p.lo, p.lv, q.lo, q.lv) && end(p.hi, p.hv, q.hi, q.hv);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Relations.

const FLIP: Record<string, string> = {
  '>': '<',
  '≥': '≤',
  '<': '<',
  '≤': '≤',
  '=': '=',
  '≠': '≠',
  '≈': '=',
  '∈': '∈',
};

function sameRelation(a: Rel, b: Rel, ctx: Ctx): boolean {
  if (a.items.length !== 2 || b.items.length !== 2) {
    return (
      a.items.length === b.items.length &&
      a.ops.every((o, i) => o === b.ops[i]) &&
      a.items.every((x, i) => same(x, b.items[i]!, ctx))
    );
  }
  // Orient so the relation reads `lhs op rhs` with op in {<, ≤, =, ≠}, as g = rhs − lhs.
  const g = (r: Rel): { op: string; g: Node } => {
    const op = r.ops[0]!;
    const flip = op === '>' || op === '≥';
    const [l, rr] = flip ? [r.items[1]!, r.items[0]!] : [r.items[0]!, r.items[1]!];
    return { op: FLIP[op]!, g: { t: 'add', items: [rr, { t: 'neg', x: l }] } };
  };
  const ga = g(a);
  const gb = g(b);
  if (ga.op !== gb.op || ga.op === '∈') return false;
  if (!isScalar(ga.g) || !isScalar(gb.g)) return false;
  return proportional(ga.g, gb.g, ga.op === '<' || ga.op === '≤', ctx);
}

/** g_a = c · g_b for one constant c ≠ 0 (c > 0 when `positive`), checked at sample points. */
function proportional(ga: Node, gb: Node, positive: boolean, ctx: Ctx): boolean {
  const vars = [...new Set([...freeSymbols(ga), ...freeSymbols(gb)])];
  const cost = size(ga) + size(gb);
  let ratio: number | null = null;
  let seen = 0;
  for (const env of realPoints(vars)) {
    tick(ctx, cost);
    const x = evaluate(ga, env);
    const y = evaluate(gb, env);
    if (!finite(x) || !finite(y) || x[1] !== 0 || y[1] !== 0) continue;
    if (Math.abs(x[0]) < 1e-12 && Math.abs(y[0]) < 1e-12) continue;
    if (Math.abs(y[0]) < 1e-12 || Math.abs(x[0]) < 1e-12) return false;
    const r = x[0] / y[0];
    if (ratio === null) ratio = r;
    else if (Math.abs(r - ratio) > 1e-7 * Math.max(1, Math.abs(ratio))) return false;
    seen++;
  }
  ctx.how = 'relation';
  return ratio !== null && seen >= 2 && (!positive || ratio > 0);
}

function finite(c: C): boolean {
  return Number.isFinite(c[0]) && Number.isFinite(c[1]);
}

// ---------------------------------------------------------------------------------------------------------
// Sample points: deterministic (a fixed seed), of both signs, non-integers, with special points 0 and 1
// where a function may be singular (a removable singularity there is skipped, not a disagreement).

const GENERIC = 8;

function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pointCache = new Map<string, Map<string, number | C>[]>();

/** Generic points first (index < GENERIC), then special ones, then complex ones when asked for. */
function points(vars: readonly string[], complex: boolean): Map<string, number | C>[] {
  const key = `${complex ? 'c' : 'r'}${vars.join('\u0000')}`;
  const known = pointCache.get(key);
  if (known) return known;
  const rnd = prng(0x9e3779b9);
  const out: Map<string, number | C>[] = [];
  for (let k = 0; k < GENERIC; k++) {
    out.push(
      new Map(
        vars.map((v) => {
          // |value| in [0.15, 2.65], sign alternating by point and variable.
          const m = 0.15 + 2.5 * rnd();
          return [v, rnd() < 0.5 ? -m : m];
        }),
      ),
    );
  }
  out.push(new Map(vars.map((v) => [v, 0])));
  out.push(new Map(vars.map((v) => [v, 1])));
  if (complex) {
    for (let k = 0; k < 3; k++)
      out.push(new Map(vars.map((v) => [v, [1.7 * rnd() - 0.85, 1.7 * rnd() - 0.85] as C])));
  }
  if (pointCache.size < 512) pointCache.set(key, out);
  return out;
}

function realPoints(vars: readonly string[]): Map<string, number | C>[] {
  return points(vars, false).slice(0, GENERIC);
}

function hasImaginary(n: Node): boolean {
  switch (n.t) {
    case 'const':
      return n.name === 'i';
    case 'add':
    case 'mul':
      return n.items.some(hasImaginary);
    case 'neg':
    case 'deg':
      return hasImaginary(n.x);
    case 'div':
    case 'pow':
      return hasImaginary(n.a) || hasImaginary(n.b);
    case 'fn':
      return n.args.some(hasImaginary);
    default:
      return false;
  }
}

function sameFunction(a: Node, b: Node, ctx: Ctx): boolean {
  const vars = [...new Set([...freeSymbols(a), ...freeSymbols(b)])];
  if (vars.length === 0) return sameNumber(a, b, ctx);
  ctx.how = 'function';
  const cost = size(a) + size(b);
  const slack = ctx.round !== null ? approximated(a, b) : null;
  let seen = 0;
  const complexPts = hasImaginary(a) || hasImaginary(b);
  const pts = points(vars, complexPts);
  for (let k = 0; k < pts.length; k++) {
    const env = pts[k]!;
    tick(ctx, cost);
    const x = evaluate(a, env);
    const y = evaluate(b, env);
    const fx = finite(x);
    const fy = finite(y);
    if (!fx && !fy) continue;
    if (fx !== fy) {
      // A removable singularity at a special point (x = 0, 1) is not a difference.
      if (k >= GENERIC) continue;
      return false;
    }
    // Outside one side's real domain (√x, ln x, x^{1/2} at x < 0) the branches differ: not a test point.
    if (!complexPts && (x[1] === 0) !== (y[1] === 0) && k < GENERIC) continue;
    const scale = Math.max(1, Math.hypot(x[0], x[1]), Math.hypot(y[0], y[1]));
    const allowance = slack ? roundingError(slack.side === 'a' ? a : b, env) : 0;
    if (Math.hypot(x[0] - y[0], x[1] - y[1]) > 1e-7 * scale + allowance) return false;
    seen++;
  }
  return seen >= 3;
}

// ---------------------------------------------------------------------------------------------------------
// Numbers.

/** A number literal as written, possibly negated: its decimals and significant digits. */
function literal(n: Node): { decimals: number; sig: number } | null {
  if (n.t === 'neg') return literal(n.x);
  // Scientific notation: 2.31 \times 10^{-3} has the significant digits of its mantissa.
  if (n.t === 'mul' && n.items.length === 2) {
    const [m, p] = n.items as [Node, Node];
    const e = p.t === 'pow' && p.a.t === 'num' && p.a.text === '10' ? exact(p.b) : null;
    const lit = literal(m);
    if (lit && e && e.d === 1n) return { decimals: lit.decimals - Number(e.n), sig: lit.sig };
    return null;
  }
  if (n.t !== 'num' || n.decimals === 0) return null;
  return { decimals: n.decimals, sig: n.text.replace('.', '').replace(/^0+/, '').length };
}

/** A decimal with this many significant digits is a machine rendering of a value, not a rounding. */
const MACHINE_DIGITS = 10;

function sameNumber(a: Node, b: Node, ctx: Ctx): boolean {
  tick(ctx, size(a) + size(b));
  const ea = exact(a);
  const eb = exact(b);
  if (ea && eb && ea.n === eb.n && ea.d === eb.d) {
    ctx.how = 'number:exact';
    return true;
  }
  const va = evaluate(a, new Map());
  const vb = evaluate(b, new Map());
  if (!finite(va) || !finite(vb)) {
    ctx.how = 'number:infinite';
    // ∞ written out equals ∞; an overflow (10^{10^{10}}) is not a number we can compare.
    if (!hasInfinity(a) || !hasInfinity(b)) return false;
    return va[0] === vb[0] && va[1] === vb[1];
  }
  const r = ctx.round;
  if (r !== null) {
    ctx.how = 'number:rounded';
    if (roundAs(va[0], r) === roundAs(vb[0], r) && roundAs(va[1], r) === roundAs(vb[1], r)) return true;
  }
  // A machine rendering of a non-terminating value: 2.314814814815 \times 10^{-3} = 1/432.
  for (const [lit, mine, other, ex] of [
    [literal(a), va, vb, eb],
    [literal(b), vb, va, ea],
  ] as const) {
    if (!lit || lit.sig < MACHINE_DIGITS || (ex && terminates(ex))) continue;
    const t = 0.5 * 10 ** -lit.decimals * (1 + 1e-9);
    if (Math.abs(mine[0] - other[0]) <= t && Math.abs(mine[1] - other[1]) <= t) {
      ctx.how = 'number:machine-digits';
      return true;
    }
  }
  // A tolerance the caller asks for applies to every pair (two written decimals never get here: their
  // keys decide); the default one only to values that are not both exact rationals.
  const asked = ctx.opts.tolerance;
  ctx.how = 'number:exact';
  if (ea && eb && asked === undefined) return false;
  ctx.how = asked === undefined ? 'number:float' : 'number:tolerance';
  const tol = asked ?? 1e-9;
  const scale = Math.max(1e-300, Math.hypot(va[0], va[1]), Math.hypot(vb[0], vb[1]));
  return Math.hypot(va[0] - vb[0], va[1] - vb[1]) <= tol * Math.max(1, scale);
}

/**
 * Which side writes rounded decimals (`x + 1.414i`) where the other is exact (`x + \sqrt2 i`), when
 * rounding is asked for: that side's rounded literals, or null when both or neither side writes them.
 */
function approximated(a: Node, b: Node): { side: 'a' | 'b' } | null {
  const ca = roundedCount(a);
  const cb = roundedCount(b);
  if ((ca === 0) === (cb === 0) || ca + cb > 8) return null;
  return ca > 0 ? { side: 'a' } : { side: 'b' };
}

function isRounded(n: Node): n is Extract<Node, { t: 'num' }> {
  return n.t === 'num' && n.decimals > 0;
}

function roundedCount(n: Node): number {
  let c = 0;
  mapNums(n, (x) => {
    if (isRounded(x)) c++;
    return x;
  });
  return c;
}

/** Copy of a tree with every number passed through `f` (in a fixed order). */
function mapNums(n: Node, f: (x: Extract<Node, { t: 'num' }>) => Node): Node {
  const m = (x: Node): Node => mapNums(x, f);
  switch (n.t) {
    case 'num':
      return f(n);
    case 'add':
    case 'mul':
    case 'seq':
    case 'rel':
    case 'union':
      return { ...n, items: n.items.map(m) } as Node;
    case 'neg':
    case 'deg':
      return { ...n, x: m(n.x) };
    case 'div':
    case 'pow':
    case 'pm':
      return { ...n, a: m(n.a), b: m(n.b) };
    case 'fn':
      return { ...n, args: n.args.map(m) };
    default:
      return n;
  }
}

/** How much `n` moves at `env` when each rounded literal moves by half a unit of its last digit. */
function roundingError(n: Node, env: Map<string, number | C>): number {
  const base = evaluate(n, env);
  let total = 0;
  const count = roundedCount(n);
  for (let target = 0; target < count; target++) {
    let k = 0;
    const bumped = mapNums(n, (x) => {
      if (!isRounded(x) || k++ !== target) return x;
      return { t: 'num', text: String(Number(x.text) + 0.5 * 10 ** -x.decimals), decimals: x.decimals + 1 };
    });
    const v = evaluate(bumped, env);
    total += Math.hypot(v[0] - base[0], v[1] - base[1]);
  }
  return total * (1 + 1e-9);
}

/** `b` with its free variables renamed to `a`'s, in order of first appearance; null when counts differ. */
function renameLike(b: Node, a: Node): Node | null {
  const va = [...freeSymbols(a)];
  const vb = [...freeSymbols(b)];
  if (va.length !== vb.length || va.length === 0 || va.every((v, i) => v === vb[i])) return null;
  const map = new Map(vb.map((v, i) => [v, va[i]!]));
  const walk = (n: Node): Node => {
    switch (n.t) {
      case 'sym':
        return { t: 'sym', name: map.get(n.name) ?? n.name };
      case 'add':
      case 'mul':
      case 'seq':
      case 'rel':
      case 'union':
        return { ...n, items: n.items.map(walk) } as Node;
      case 'neg':
      case 'deg':
      case 'qty':
        return { ...n, x: walk(n.x) };
      case 'assign':
        return { ...n, name: show(walk(n.lhs)), lhs: walk(n.lhs), x: walk(n.x) };
      case 'div':
      case 'pow':
      case 'pm':
      case 'setminus':
        return { ...n, a: walk(n.a), b: walk(n.b) };
      case 'fn':
        return { ...n, args: n.args.map(walk) };
      case 'matrix':
        return { ...n, rows: n.rows.map((r) => r.map(walk)) };
      default:
        return n;
    }
  };
  return walk(b);
}
