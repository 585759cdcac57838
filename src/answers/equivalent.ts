// Deciding whether two answers are equivalent. Policies (see docs in index.ts):
// - numbers: exact rationals compare exactly; other values within a relative tolerance (default 1e-9);
//   a decimal written with ≥ 3 significant digits matches a non-terminating value it rounds to
//   (`0.333` = 1/3, `1.414` = √2) within half a unit of its last digit or 1e-5 relative; `5` ≠ `5.001`.
//   Nothing ever scales by 10^k, so 5, 500 and 0.05 never meet.
// - expressions with variables: equal as functions, checked at seeded pseudo-random points.
// - relations: equations equal up to a non-zero factor, inequalities up to a positive one.
// - sequences: brackets must agree; tuples and intervals are ordered; sets and bare lists are not.
import type { Node } from './ast.ts';
import { type C, evaluate, exact, freeSymbols, hasInfinity, terminates } from './evaluate.ts';
import { LIMITS } from './limits.ts';
import { isScalar, type Normalized, type NormalizeOptions, normalize } from './normalize.ts';

export interface EquivalenceOptions extends NormalizeOptions {
  /** Relative tolerance for values that are not exact rationals. Default 1e-9. */
  tolerance?: number;
  /**
   * Compare inexact numbers after rounding both to this many decimal places (Math-Verify's
   * `float_rounding`). Unset by default: the decimal-approximation rule above applies instead.
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
  /** Wall-clock budget of one check in ms (default LIMITS.comparisonMs). Past it: string comparison. */
  budgetMs?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

export interface Verdict {
  readonly equal: boolean;
  /** How it was decided: `key`, `exact`, `numeric`, `function`, `relation`, `structure`, `text`, or `string:<why>`. */
  readonly how: string;
}

/** Whether two answers (bare answers, not full responses) are equivalent. Symmetric. */
export function equivalent(a: string, b: string, options: EquivalenceOptions = {}): boolean {
  return compareAnswers(a, b, options).equal;
}

export function compareAnswers(a: string, b: string, options: EquivalenceOptions = {}): Verdict {
  return compareNormalized(normalize(a, options), normalize(b, options), options);
}

class Budget extends Error {}

export function compareNormalized(a: Normalized, b: Normalized, options: EquivalenceOptions = {}): Verdict {
  if (a.key === b.key) return { equal: true, how: 'key' };
  if (a.kind === 'string' || b.kind === 'string') {
    const why = a.fallback ?? b.fallback ?? 'unparsed';
    return { equal: squash(a.cleaned) === squash(b.cleaned), how: `string:${why}` };
  }
  // Two exact rationals, or two texts, with different keys are different: the keys decide.
  // (Unless one may be a rounded decimal of the other: 0.333 vs 1/3.)
  if (a.kind === 'text' && b.kind === 'text') return { equal: false, how: 'text' };
  if (
    a.kind === 'exact' &&
    b.kind === 'exact' &&
    options.precision === undefined &&
    finiteDecimal(a) &&
    finiteDecimal(b)
  ) {
    return { equal: false, how: 'exact' };
  }
  const now = options.now ?? (() => performance.now());
  const ctx: Ctx = {
    opts: options,
    deadline: now() + (options.budgetMs ?? LIMITS.comparisonMs),
    now,
    how: 'structure',
  };
  // A set gold does not match a relation prediction through the relation's interval form.
  const bForms =
    options.setRelation === 'gold-relation' && a.forms[0]?.t !== 'rel' && b.forms[0]?.t === 'rel'
      ? b.forms.filter((f) => f.t === 'rel')
      : b.forms;
  try {
    for (const fa of a.forms)
      for (const fb of bForms) if (same(fa, fb, ctx)) return { equal: true, how: ctx.how };
    if (options.strict === false) {
      for (const fa of a.forms)
        for (const fb of bForms) {
          const renamed = renameLike(fb, fa);
          if (renamed && same(fa, renamed, ctx)) return { equal: true, how: `${ctx.how}:non-strict` };
        }
    }
    return { equal: false, how: ctx.how };
  } catch (err) {
    if (!(err instanceof Budget)) throw err;
    return { equal: squash(a.cleaned) === squash(b.cleaned), how: 'string:budget' };
  }
}

function finiteDecimal(n: Normalized): boolean {
  const d = BigInt(n.key.slice(n.key.indexOf('/') + 1));
  return terminates({ n: 1n, d });
}

const squash = (s: string): string => s.replace(/\s+/g, '').toLowerCase();

interface Ctx {
  opts: EquivalenceOptions;
  deadline: number;
  now: () => number;
  how: string;
}

function tick(ctx: Ctx): void {
  if (ctx.now() > ctx.deadline) throw new Budget();
}

function same(a: Node, b: Node, ctx: Ctx): boolean {
  tick(ctx);
  if (a.t === 'text' || b.t === 'text') {
    ctx.how = 'text';
    return a.t === 'text' && b.t === 'text' && a.s === b.s;
  }
  if (a.t === 'seq' && b.t === 'seq') return sameSeq(a, b, ctx);
  if (a.t === 'seq' && a.items.length === 1 && a.open !== '[') return same(a.items[0]!, b, ctx);
  if (b.t === 'seq' && b.items.length === 1 && b.open !== '[') return same(a, b.items[0]!, ctx);
  if (a.t === 'matrix' || b.t === 'matrix') return sameMatrix(a, b, ctx);
  if (a.t === 'union' && b.t === 'union') {
    ctx.how = 'structure';
    return matchUnordered(a.items, b.items, ctx);
  }
  if (a.t === 'rel' && b.t === 'rel') return sameRelation(a, b, ctx);
  if (isScalar(a) && isScalar(b)) return sameScalar(a, b, ctx);
  return false;
}

type Seq = Extract<Node, { t: 'seq' }>;

function sameSeq(a: Seq, b: Seq, ctx: Ctx): boolean {
  ctx.how = 'structure';
  if (a.items.length !== b.items.length) return false;
  if ((a.open === ':') !== (b.open === ':')) return false;
  const brackets = ['(', '['];
  const ordered = (s: Seq): boolean =>
    brackets.includes(s.open) || s.open === ':' || (s.open === '' && ctx.opts.listOrder === 'ordered');
  if (brackets.includes(a.open) && brackets.includes(b.open) && (a.open !== b.open || a.close !== b.close))
    return false;
  if (ordered(a) || ordered(b)) return a.items.every((x, i) => same(x, b.items[i]!, ctx));
  return matchUnordered(a.items, b.items, ctx);
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
  ctx.how = 'structure';
  const cells = (n: Node): Node[][] | null =>
    n.t === 'matrix' ? n.rows : n.t === 'seq' && n.open !== ':' ? n.items.map((x) => [x]) : null;
  const ra = cells(a);
  const rb = cells(b);
  if (!ra || !rb || ra.length !== rb.length) return false;
  return ra.every((row, i) => row.length === rb[i]!.length && row.every((c, j) => same(c, rb[i]![j]!, ctx)));
}

type Rel = Extract<Node, { t: 'rel' }>;
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
  ctx.how = 'relation';
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
  const approx = ctx.opts.precision === undefined ? approximated(ga, gb) : null;
  const vars = [...new Set([...freeSymbols(ga), ...freeSymbols(gb)])];
  let ratio: number | null = null;
  let seen = 0;
  for (const env of points(vars)) {
    tick(ctx);
    const x = evaluate(ga, env);
    const y = evaluate(gb, env);
    if (!finite(x) || !finite(y) || x[1] !== 0 || y[1] !== 0) continue;
    if (Math.abs(x[0]) < 1e-12 && Math.abs(y[0]) < 1e-12) continue;
    if (Math.abs(y[0]) < 1e-12 || Math.abs(x[0]) < 1e-12) return false;
    const r = x[0] / y[0];
    if (ratio === null) ratio = r;
    else {
      // Rounded decimals on one side move that side by up to its rounding error, and the ratio with it.
      const slack = approx ? roundingError(approx.side === 'a' ? ga : gb, env) : 0;
      const err = approx?.side === 'a' ? slack / Math.abs(y[0]) : (slack * Math.abs(r)) / Math.abs(y[0]);
      if (Math.abs(r - ratio) > 1e-7 * Math.max(1, Math.abs(ratio)) + 2 * err) return false;
    }
    seen++;
  }
  return ratio !== null && seen >= 2 && (!positive || ratio > 0);
}

function finite(c: C): boolean {
  return Number.isFinite(c[0]) && Number.isFinite(c[1]);
}

/** Deterministic sample points: a fixed PRNG seed, values away from 0 and from each other. */
function points(vars: readonly string[], count = 6): Map<string, number>[] {
  let seed = 0x9e3779b9;
  const rnd = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: Map<string, number>[] = [];
  for (let k = 0; k < count; k++) out.push(new Map(vars.map((v) => [v, 0.31 + 2.17 * rnd()])));
  return out;
}

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

function sameScalar(a: Node, b: Node, ctx: Ctx): boolean {
  const vars = [...new Set([...freeSymbols(a), ...freeSymbols(b)])];
  const tol = ctx.opts.tolerance ?? 1e-9;
  if (vars.length === 0) {
    ctx.how = 'numeric';
    const ea = exact(a);
    const eb = exact(b);
    if (ea && eb && ea.n === eb.n && ea.d === eb.d) return true;
    const va = evaluate(a, new Map());
    const vb = evaluate(b, new Map());
    if (!finite(va) || !finite(vb)) {
      // ∞ written out equals ∞; an overflow (10^{10^{10}}) is not a number we can compare.
      if (!hasInfinity(a) || !hasInfinity(b)) return false;
      return va[0] === vb[0] && va[1] === vb[1];
    }
    const p = ctx.opts.precision;
    if (p !== undefined) {
      const r = (x: number): number => Math.round(x * 10 ** p) / 10 ** p;
      if (r(va[0]) === r(vb[0]) && r(va[1]) === r(vb[1])) return true;
    }
    const close = (x: number, y: number, t: number): boolean => Math.abs(x - y) <= t;
    // Decimal approximation of a value that has no short exact decimal form.
    for (const [lit, mine, other, ex] of [
      [literal(a), va, vb, eb],
      [literal(b), vb, va, ea],
    ] as const) {
      if (!lit || lit.sig < 3 || (ex && terminates(ex)) || p !== undefined) continue;
      const t = Math.max(0.5 * 10 ** -lit.decimals * (1 + 1e-9), 1e-5 * Math.abs(other[0]));
      if (close(mine[0], other[0], t) && close(mine[1], other[1], t)) return true;
    }
    if (ea && eb) return false;
    const scale = Math.max(1e-300, Math.hypot(va[0], va[1]), Math.hypot(vb[0], vb[1]));
    return Math.hypot(va[0] - vb[0], va[1] - vb[1]) <= tol * Math.max(1, scale);
  }
  ctx.how = 'function';
  const approx = ctx.opts.precision === undefined ? approximated(a, b) : null;
  let seen = 0;
  for (const env of points(vars)) {
    tick(ctx);
    const x = evaluate(a, env);
    const y = evaluate(b, env);
    const fx = finite(x);
    const fy = finite(y);
    if (!fx && !fy) continue;
    if (fx !== fy) return false;
    const scale = Math.max(1, Math.hypot(x[0], x[1]), Math.hypot(y[0], y[1]));
    const slack = approx ? roundingError(approx.side === 'a' ? a : b, env) : 0;
    if (Math.hypot(x[0] - y[0], x[1] - y[1]) > 1e-7 * scale + slack) return false;
    seen++;
  }
  return seen >= 2;
}

/**
 * Which side writes rounded decimals (`x + 1.414i`) where the other is exact (`x + \sqrt2 i`): that
 * side's rounded literals, or null when both or neither side writes them (so `x + 1.414` and `x + 1.415`
 * stay different).
 */
function approximated(a: Node, b: Node): { side: 'a' | 'b'; count: number } | null {
  const ca = roundedCount(a);
  const cb = roundedCount(b);
  if ((ca === 0) === (cb === 0) || ca + cb > 8) return null;
  return ca > 0 ? { side: 'a', count: ca } : { side: 'b', count: cb };
}

/** A number written with ≥ 3 significant digits after a decimal point: a rounded value. */
function isRounded(n: Node): n is Extract<Node, { t: 'num' }> {
  return n.t === 'num' && n.decimals > 0 && n.text.replace('.', '').replace(/^0+/, '').length >= 3;
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

/**
 * How much `n` moves at `env` when each rounded literal moves by half a unit of its last digit: the
 * allowance for comparing it with an exact expression.
 */
function roundingError(n: Node, env: Map<string, number>): number {
  const base = evaluate(n, env);
  let total = 0;
  let k = 0;
  const count = roundedCount(n);
  for (let target = 0; target < count; target++) {
    k = 0;
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
        return { ...n, x: walk(n.x) };
      case 'div':
      case 'pow':
      case 'pm':
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
