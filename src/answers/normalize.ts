// One answer string → its parsed, normalised forms and a canonical key.
// Equal keys mean equivalent answers (the clustering fast path); different keys decide nothing unless
// both sides are exact numbers or both are text, in which case they really differ.
import type { Node } from './ast.ts';
import { type CleanOptions, cleanAnswer } from './clean.ts';
import { exact, evaluate, freeSymbols, hasInfinity } from './evaluate.ts';
import { LIMITS } from './limits.ts';
import { ParseError, parseMath, show } from './parse.ts';
import { withListOrder } from './order.ts';
import { percentOf } from './percent.ts';

export interface NormalizeOptions extends CleanOptions {
  /** Bare comma lists (`1, 2, 3`): `unordered` (default) = solution sets, `ordered` = hendrycks/math. */
  listOrder?: 'unordered' | 'ordered';
  /**
   * The problem text. When it asks for rounding ("to the nearest tenth", "to two decimal places", "to 3
   * significant figures"), numbers are compared after that rounding (equivalent.ts); when it does not
   * ask for a percent, a percent sign means /100 (`25\%` = 0.25; percent.ts); without one, `25\%` is
   * 25 with 0.25 as an alternative form.
   */
  problem?: string;
}

/** A percent sign or word, as cleanAnswer reads them. */
const PERCENT_SIGN = /%|\\percent(?![a-zA-Z])|(?:percent|percentage|pct)(?![a-zA-Z])/;

export interface Normalized {
  /** The answer after string cleaning. */
  readonly cleaned: string;
  /** Canonical key (see the module comment). */
  readonly key: string;
  /** Parsed forms to compare, the preferred one first; empty when the answer is compared as a string. */
  readonly forms: readonly Node[];
  /** `exact` (a rational number), `text`, `math`, or why the answer is only compared as a string. */
  readonly kind: 'exact' | 'text' | 'math' | 'string';
  /** The typed value of the preferred form (`number`, `set`, `interval`, …; see kindOf), for reports. */
  readonly type: AnswerType;
  /** Why the answer fell back to string comparison (`too-long`, `unparsed: …`), else null. */
  readonly fallback: string | null;
}

const TEXT = /^[A-Za-z][A-Za-z\s'.-]*$/;
/** Short words that are text, not a product of letters (`ab` is a·b, `odd` is a word). */
const SHORT_WORDS = new Set(
  'yes no odd all any and not none nil nan or off on red big few low top end set sum max min'.split(' '),
);

/**
 * Memo of recent results: N samples of one request repeat a few answers, and extraction, clustering and
 * grading all normalise the same strings. A pure function's cache: bounded, cleared when full.
 */
const memo = new Map<string, Normalized>();
const MEMO_SIZE = 4096;

/** Empties the memo (benchmarks measure cold checks with it). */
export function clearNormalizeMemo(): void {
  memo.clear();
}

export function normalize(value: string, given: NormalizeOptions = {}): Normalized {
  const options = withListOrder(given);
  if (value.length > 512) return normalizeUncached(value, options);
  const pct = options.percent ?? percentOf(options.problem);
  const k = `${options.listOrder === 'ordered' ? 'o' : 'u'}${options.decimalComma ? 'c' : '.'}${pct[0]}${value}`;
  const known = memo.get(k);
  if (known) return known;
  const n = normalizeUncached(value, options);
  if (memo.size >= MEMO_SIZE) memo.clear();
  memo.set(k, n);
  return n;
}

function normalizeUncached(value: string, options: NormalizeOptions): Normalized {
  const mode = options.percent ?? percentOf(options.problem);
  if (mode !== 'either') return normalizeIn(value, options, mode);
  const dropped = normalizeIn(value, options, 'drop');
  if (dropped.forms.length === 0 || !PERCENT_SIGN.test(value)) return dropped;
  // No problem text to say which a percent means: the number of percent first, its value as well.
  const valued = normalizeIn(value, options, 'fraction');
  return valued.forms.length === 0 ? dropped : { ...dropped, forms: [...dropped.forms, ...valued.forms] };
}

function normalizeIn(value: string, options: NormalizeOptions, percent: 'drop' | 'fraction'): Normalized {
  if (value.length > LIMITS.maxParseChars * 4) {
    // Do not even clean megabyte answers with regexes: compare a bounded fingerprint of the raw text.
    return stringForm(value, 'too-long');
  }
  const cleaned = cleanAnswer(value, { ...options, percent });
  if (cleaned.length > LIMITS.maxParseChars) return stringForm(cleaned, 'too-long');
  const productOfLetters = /^[a-z]{2,3}$/.test(cleaned) && !SHORT_WORDS.has(cleaned);
  if (TEXT.test(cleaned) && /[A-Za-z]{2}/.test(cleaned) && !productOfLetters) {
    const s = cleaned
      .toLowerCase()
      .replace(/[\s.]+/g, ' ')
      .trim();
    return { cleaned, key: `t:${s}`, forms: [{ t: 'text', s }], kind: 'text', type: 'text', fallback: null };
  }
  let node: Node;
  try {
    node = parseChoice(cleaned) ?? parseMath(cleaned);
  } catch (err) {
    if (err instanceof ParseError || err instanceof RangeError) {
      return stringForm(cleaned, `unparsed: ${err.message}`);
    }
    throw err;
  }
  const forms = formsOf(node);
  const primary = forms[0]!;
  const type = kindOf(primary, options);
  const ex = isScalar(primary) ? exact(primary) : null;
  if (ex) return { cleaned, key: `q:${ex.n}/${ex.d}`, forms, kind: 'exact', type, fallback: null };
  return { cleaned, key: keyOf(primary, options), forms, kind: 'math', type, fallback: null };
}

/** `C`, `(C)`, `(C) 12`, `C. 12`, `C) 12`: a choice letter, with its value when one follows. */
function parseChoice(s: string): Node | null {
  const bare = /^\(?\s*([A-H])\s*\)?$/.exec(s);
  if (bare) return { t: 'choice', letter: bare[1]!, x: null };
  // A letter with a value in words: `(B) Circle` is choice B, also the text `circle`.
  const w =
    /^\(([A-H])\)\s*[.:]?\s*([A-Za-z][A-Za-z\s'.-]*)$/.exec(s) ??
    /^([A-H])[.:)]\s+([A-Za-z][A-Za-z\s'.-]*)$/.exec(s);
  if (w && /[A-Za-z]{2}/.test(w[2]!)) {
    const text = w[2]!
      .toLowerCase()
      .replace(/[\s.]+/g, ' ')
      .trim();
    return { t: 'choice', letter: w[1]!, x: { t: 'text', s: text } };
  }
  const m = /^\(([A-H])\)\s*[.:]?\s*([-\d\\(].*)$/.exec(s) ?? /^([A-H])[.:)]\s+([-\d\\(].*)$/.exec(s);
  if (!m) return null;
  try {
    return { t: 'choice', letter: m[1]!, x: parseMath(m[2]!) };
  } catch (err) {
    if (err instanceof ParseError) return { t: 'choice', letter: m[1]!, x: null };
    throw err;
  }
}

function stringForm(s: string, why: string): Normalized {
  const head = s.length > 4096 ? `${s.slice(0, 2048)}…${s.length}…${s.slice(-2048)}` : s;
  return {
    cleaned: head,
    key: `s:${head.replace(/\s+/g, '')}`,
    forms: [],
    kind: 'string',
    type: 'string',
    fallback: why,
  };
}

const STRUCTURES = new Set([
  'seq',
  'rel',
  'union',
  'matrix',
  'text',
  'pm',
  'qty',
  'choice',
  'assign',
  'setminus',
]);

export function isScalar(n: Node): boolean {
  return !STRUCTURES.has(n.t) && !containsStructure(n);
}

/**
 * The typed value an answer is: `number` (exact rational or algebraic, or a decimal that keeps
 * its written digits), `complex`, `expression` (has variables), `relation` (equation or inequality),
 * `assignment` (`x = 2`, or a map `a = 2, b = 3`), `tuple` (`(1,2)`, ordered), `set` (`\{1,2\}`),
 * `list` (a bare `1, 2`: a set unless lists are ordered), `interval` (intervals, unions, named sets),
 * `matrix`, `quantity` (a number with a unit), `choice` (a multiple-choice letter), `ratio` (`7:32`),
 * `text`; `other` for shapes none of these describe (compared only structurally).
 */
export type AnswerType =
  | 'number'
  | 'complex'
  | 'expression'
  | 'relation'
  | 'assignment'
  | 'tuple'
  | 'set'
  | 'list'
  | 'interval'
  | 'matrix'
  | 'quantity'
  | 'choice'
  | 'ratio'
  | 'text'
  | 'other'
  | 'string';

export function kindOf(n: Node, options: NormalizeOptions = {}): AnswerType {
  switch (n.t) {
    case 'text':
      return 'text';
    case 'choice':
      return 'choice';
    case 'qty':
      return 'quantity';
    case 'assign':
      return 'assignment';
    case 'rel':
      return 'relation';
    case 'union':
    case 'setminus':
      return 'interval';
    case 'matrix':
      return 'matrix';
    case 'seq': {
      if (n.open === ':') return 'ratio';
      if (n.open === '{' || n.open === '') {
        if (n.items.length > 1 && n.items.every((x) => x.t === 'assign')) return 'assignment';
        return n.open === '{' ? 'set' : options.listOrder === 'ordered' ? 'tuple' : 'list';
      }
      if (n.items.length === 2 && (n.open !== '(' || n.close !== ')' || n.items.some(hasInfinity)))
        return 'interval';
      return 'tuple';
    }
    default: {
      if (!isScalar(n)) return 'other';
      if (freeSymbols(n).size > 0) return 'expression';
      if (n.t === 'sym' || n.t === 'const') return n.t === 'const' && n.name === 'i' ? 'complex' : 'number';
      const v = evaluate(n, new Map());
      return v[1] !== 0 && Number.isFinite(v[1]) ? 'complex' : 'number';
    }
  }
}

function containsStructure(n: Node): boolean {
  switch (n.t) {
    case 'add':
    case 'mul':
      return n.items.some((x) => !isScalar(x));
    case 'neg':
    case 'deg':
      return !isScalar(n.x);
    case 'div':
    case 'pow':
      return !isScalar(n.a) || !isScalar(n.b);
    case 'fn':
      return n.args.some((x) => !isScalar(x));
    default:
      return false;
  }
}

/** A name-like left-hand side (`x`, `f(x)`, `a_3`, `|AB|`, `(p,q)`, `A:B`): written without any number. */
function isName(n: Node): boolean {
  if (n.t === 'num' || n.t === 'add' || n.t === 'neg' || n.t === 'pm' || (n.t === 'fn' && n.name !== 'abs'))
    return false;
  // Subscripts and an inverse's `^{-1}` are part of a name: `a_3`, `f^{-1}(x)`.
  const written = show(n)
    .replace(/_\{?\w+\}?/g, '')
    .replace(/\^\(?-1\)?/g, '');
  return !/\d/.test(written) && freeSymbols(n).size > 0;
}

/** `m + n`, `a + b + c`: a sum of two or more names, none negated. */
function sumOfNames(n: Node): boolean {
  return n.t === 'add' && n.items.length >= 2 && n.items.every((x) => x.t !== 'neg' && isName(x));
}

/** `f(2)`, `P(-1)`: one letter applied to a constant (parsed as the product f·2, which nobody writes). */
function application(n: Node): boolean {
  if (n.t !== 'mul' || n.items.length !== 2) return false;
  const [f, x] = n.items as [Node, Node];
  return f.t === 'sym' && /^[a-zA-Z]$/.test(f.name) && isScalar(x) && freeSymbols(x).size === 0;
}

const FLIP: Record<string, string> = { '>': '<', '≥': '≤' };

/** Normalised forms of a parsed answer: the preferred one first, then alternatives worth comparing. */
export function formsOf(node: Node): Node[] {
  const main = unwrap(node);
  const out = [main];
  // `(x, y) = (1, 2)` on its own also reads as the map `x = 1, y = 2` (order-free, names kept). Only as
  // an alternative form: in a list of solutions (`(x, y) = (5, 8) and (8, 5)`) the tuple is the value.
  const map = tupleAssignment(main);
  if (map) out.push(map);
  if (main !== node && node.t === 'rel') out.push(node);
  // An angle written in degrees is also that angle in radians: `90^\circ` = `\frac{\pi}{2}` (and still
  // = `90`). Only when the degree sign is written: `90` and `\frac{\pi}{2}` stay different numbers.
  const rad = inRadians(main);
  if (rad) out.push(rad);
  const iv = main.t === 'rel' ? toInterval(main) : null;
  if (iv) out.push(iv);
  // A union of inequalities (`x < -2 \cup x > 2`, from `or`): the union of their solution sets.
  if (main.t === 'union' && main.items.some((x) => x.t === 'rel')) {
    const parts = main.items.map((x) => (x.t === 'rel' ? toInterval(x) : x));
    if (parts.every((p) => p !== null)) out.push({ t: 'union', items: parts as Node[] });
  }
  return out;
}

const TRIG = new Set(['sin', 'cos', 'tan', 'sec', 'csc', 'cot']);

/**
 * A copy of `n` with every angle in degrees outside a trigonometric function (where degrees already
 * mean ×π/180) written in radians, or null when there is none.
 */
export function inRadians(n: Node): Node | null {
  let changed = false;
  const walk = (x: Node): Node => {
    switch (x.t) {
      case 'deg':
        changed = true;
        return { t: 'mul', items: [walk(x.x), { t: 'div', a: { t: 'const', name: 'pi' }, b: NUM180 }] };
      case 'fn':
        return TRIG.has(x.name) ? x : { ...x, args: x.args.map(walk) };
      case 'add':
      case 'mul':
      case 'seq':
      case 'rel':
      case 'union':
        return { ...x, items: x.items.map(walk) } as Node;
      case 'neg':
      case 'qty':
      case 'assign':
        return { ...x, x: walk(x.x) };
      case 'div':
      case 'pow':
      case 'pm':
      case 'setminus':
        return { ...x, a: walk(x.a), b: walk(x.b) };
      case 'matrix':
        return { ...x, rows: x.rows.map((r) => r.map(walk)) };
      case 'choice':
        return x.x ? { ...x, x: walk(x.x) } : x;
      default:
        return x;
    }
  };
  const r = walk(n);
  return changed ? r : null;
}
const NUM180: Node = { t: 'num', text: '180', decimals: 0 };

/** `(x, y) = (a, b)` (an assignment whose name is a tuple of names) as the assignments `x = a, y = b`. */
function tupleAssignment(n: Node): Node | null {
  if (n.t !== 'assign' || n.lhs.t !== 'seq' || n.lhs.open !== '(' || n.x.t !== 'seq' || n.x.open !== '(')
    return null;
  const names = n.lhs.items;
  const values = n.x.items;
  if (names.length < 2 || names.length !== values.length || !names.every(isName)) return null;
  return {
    t: 'seq',
    open: '',
    close: '',
    items: names.map((name, i) => ({ t: 'assign', name: show(name), lhs: name, x: values[i]! })),
  };
}

function unwrap(node: Node): Node {
  if (node.t === 'seq' && node.open === '') {
    let items = node.items.flatMap((x) => {
      const u = unwrap(x);
      return u.t === 'seq' && u.open === '' ? u.items : [u];
    });
    // `x = 1, x = 2` and `x = 1, 2` are the solutions {1, 2} of x; `a = 2, b = 3` stays a map.
    const names = new Set(items.flatMap((x) => (x.t === 'assign' ? [x.name] : [])));
    if (names.size === 1 && (items.length > 1 || items[0]!.t !== 'assign') && items[0]!.t === 'assign')
      items = items.map((x) => (x.t === 'assign' ? x.x : x));
    // `p=5, q=2; p=7, q=2`: several solutions of a system, each a tuple of values in the names' order.
    const k = names.size;
    if (k > 1 && items.length > k && items.length % k === 0 && items.every((x) => x.t === 'assign')) {
      const order = items.slice(0, k).map((x) => (x as Extract<Node, { t: 'assign' }>).name);
      const rows: Node[] = [];
      for (let r = 0; r < items.length; r += k) {
        const chunk = items.slice(r, r + k) as Extract<Node, { t: 'assign' }>[];
        if (!chunk.every((x, j) => x.name === order[j])) return { ...node, items };
        rows.push({ t: 'seq', open: '(', close: ')', items: chunk.map((x) => x.x) });
      }
      return { ...node, items: rows };
    }
    return items.length === 1 ? items[0]! : { ...node, items };
  }
  if (node.t === 'mul' || node.t === 'add') {
    const m = matrixArithmetic(node);
    if (m) return m;
  }
  // `z \in [a, b] \cup [c, d]` parses as (z ∈ [a, b]) ∪ [c, d]: the membership covers the union.
  if (node.t === 'union') {
    const first = node.items[0]!;
    if (first.t === 'rel' && first.ops.length === 1 && first.ops[0] === '∈' && isName(first.items[0]!))
      return unwrap({ t: 'union', items: [first.items[1]!, ...node.items.slice(1)] });
    return node;
  }
  // `\left[\begin{array}…\end{array}\right]`: brackets around a matrix are its delimiters.
  if (node.t === 'seq' && node.items.length === 1 && node.items[0]!.t === 'matrix') return node.items[0]!;
  if (node.t === 'pm') return unwrap({ t: 'seq', open: '', close: '', items: expandPm(node) });
  if (node.t === 'seq' && node.open === '{') {
    return { ...node, items: node.items.flatMap((x) => (x.t === 'pm' ? expandPm(x) : [unwrap(x)])) };
  }
  if (node.t !== 'rel')
    return containsPm(node) ? unwrap({ t: 'seq', open: '', close: '', items: expandPm(node) }) : node;
  let items = node.items;
  let ops = node.ops;
  if (ops.length === 1 && ops[0] === '∈' && isName(items[0]!)) return unwrap(items[1]!);
  if (!ops.every((o) => o === '=' || o === '≈')) return node;
  // `2 = x` reads `x = 2`.
  if (items.length === 2 && !isName(items[0]!) && isName(items[1]!)) items = [items[1]!, items[0]!];
  let name: Node | null = null;
  // A quantity the problem asks for, named by a sum of letters or a function value, with its constant
  // value: `m + n = 25`, `f(2) = 7` stand for 25 and 7 (the relation stays an alternative form, so
  // `x + y = 5` still equals `y = 5 - x`). Not `x^2 = 4` (digits) nor `-x = 3` (a sign): those are
  // equations to solve, not names.
  const named =
    items.length === 2 &&
    (sumOfNames(items[0]!) || application(items[0]!)) &&
    isScalar(items[1]!) &&
    freeSymbols(items[1]!).size === 0;
  if ((isName(items[0]!) || named) && items.length >= 2) {
    name = items[0]!;
    items = items.slice(1);
    ops = ops.slice(1);
  }
  // An approximation after the exact value is commentary: `\frac{\sqrt3}{3} \approx 0.577`.
  const approx = ops.indexOf('≈');
  if (approx >= 0) {
    items = items.slice(0, approx + 1);
    ops = ops.slice(0, approx);
  }
  // In a chain of equalities the last member is the result: `x = 5+5+1 = 11`, `35 + 70 = 105`.
  const worked =
    items.length === 2 && ops[0] === '=' && items.every((x) => freeSymbols(x).size === 0 && isScalar(x));
  if (name !== null || items.length >= 3 || worked || items.length < node.items.length) {
    const value = unwrap(items[items.length - 1]!);
    // The variable's name is kept: `x = 2` and `y = 2` are different answers.
    return name !== null ? { t: 'assign', name: show(name), lhs: name, x: value } : value;
  }
  return { t: 'rel', ops, items };
}

type Matrix = Extract<Node, { t: 'matrix' }>;

/**
 * Matrix arithmetic written out: a scalar times a matrix, a sum of same-shape matrices, a product of
 * matrices, as one matrix of (unevaluated) cells. Null when the node is not such arithmetic.
 */
function matrixArithmetic(n: Extract<Node, { t: 'mul' | 'add' }>): Matrix | null {
  if (!n.items.some((x) => x.t === 'matrix') || n.items.length > 8) return null;
  if (!n.items.every((x) => x.t === 'matrix' || isScalar(x))) return null;
  const ms = n.items.filter((x): x is Matrix => x.t === 'matrix');
  if (ms.some((m) => m.rows.length > 8 || m.rows.some((r) => r.length !== m.rows[0]!.length || r.length > 8)))
    return null;
  if (n.t === 'add') {
    if (ms.length !== n.items.length) return null;
    const [first] = ms;
    if (
      !ms.every((m) => m.rows.length === first!.rows.length && m.rows[0]!.length === first!.rows[0]!.length)
    )
      return null;
    return {
      t: 'matrix',
      rows: first!.rows.map((r, i) =>
        r.map((_, j) => ({ t: 'add', items: ms.map((m) => m.rows[i]![j]!) }) as Node),
      ),
    };
  }
  const scalars = n.items.filter((x) => x.t !== 'matrix');
  let acc = ms[0]!;
  for (const m of ms.slice(1)) {
    const inner = acc.rows[0]!.length;
    if (m.rows.length !== inner) return null;
    acc = {
      t: 'matrix',
      rows: acc.rows.map((r) =>
        m.rows[0]!.map(
          (_, j) =>
            ({ t: 'add', items: r.map((c, k) => ({ t: 'mul', items: [c, m.rows[k]![j]!] })) }) as Node,
        ),
      ),
    };
  }
  if (scalars.length === 0) return acc;
  return {
    t: 'matrix',
    rows: acc.rows.map((r) => r.map((c) => ({ t: 'mul', items: [...scalars, c] }) as Node)),
  };
}

function containsPm(n: Node): boolean {
  switch (n.t) {
    case 'pm':
      return true;
    case 'add':
    case 'mul':
      return n.items.some(containsPm);
    case 'neg':
      return containsPm(n.x);
    case 'div':
    case 'pow':
      return containsPm(n.a) || containsPm(n.b);
    case 'fn':
      return n.args.some(containsPm);
    default:
      return false;
  }
}

/** Replaces the first ± by + and by −, recursively: `1 \pm \sqrt5` → [1+√5, 1−√5]. */
function expandPm(n: Node): Node[] {
  const sub = (x: Node): Node[] => expandPm(x);
  switch (n.t) {
    case 'pm': {
      const as = sub(n.a);
      const bs = sub(n.b);
      const isZero = n.a.t === 'num' && Number(n.a.text) === 0;
      return bs.flatMap((b) =>
        isZero
          ? [b, { t: 'neg', x: b } as Node]
          : as.flatMap((a) => [
              { t: 'add', items: [a, b] } as Node,
              { t: 'add', items: [a, { t: 'neg', x: b }] } as Node,
            ]),
      );
    }
    case 'add':
    case 'mul': {
      const idx = n.items.findIndex(containsPm);
      if (idx < 0) return [n];
      return sub(n.items[idx]!).map(
        (v) => ({ ...n, items: n.items.map((x, i) => (i === idx ? v : x)) }) as Node,
      );
    }
    case 'neg':
      return sub(n.x).map((x) => ({ t: 'neg', x }) as Node);
    case 'div':
    case 'pow':
      if (containsPm(n.a)) return sub(n.a).map((a) => ({ ...n, a }) as Node);
      if (containsPm(n.b)) return sub(n.b).map((b) => ({ ...n, b }) as Node);
      return [n];
    case 'fn': {
      const idx = n.args.findIndex(containsPm);
      if (idx < 0) return [n];
      return sub(n.args[idx]!).map(
        (v) => ({ ...n, args: n.args.map((x, i) => (i === idx ? v : x)) }) as Node,
      );
    }
    default:
      return [n];
  }
}

/**
 * `a < x ≤ b` → `(a, b]`; `x > 5` → `(5, ∞)` when one side is a lone variable; `|x| ≤ 2` → `[-2, 2]`,
 * `|x| > 1` → `(-∞, -1) ∪ (1, ∞)`, `1 ≤ |z| ≤ 3/2` → `[-3/2, -1] ∪ [1, 3/2]`.
 */
function toInterval(rel: Extract<Node, { t: 'rel' }>): Node | null {
  // `x ≠ a`: everything but a.
  if (
    rel.ops.length === 1 &&
    rel.ops[0] === '≠' &&
    isName(rel.items[0]!) &&
    freeSymbols(rel.items[1]!).size === 0
  ) {
    const a = rel.items[1]!;
    const inf: Node = { t: 'const', name: 'inf' };
    return {
      t: 'union',
      items: [
        { t: 'seq', open: '(', close: ')', items: [{ t: 'neg', x: inf }, a] },
        { t: 'seq', open: '(', close: ')', items: [a, inf] },
      ],
    };
  }
  const absAt = rel.items.findIndex((x) => x.t === 'fn' && x.name === 'abs' && isName(x.args[0]!));
  if (absAt >= 0) {
    const inner = (rel.items[absAt] as Extract<Node, { t: 'fn' }>).args[0]!;
    const iv = plainInterval({ ...rel, items: rel.items.map((x, i) => (i === absAt ? inner : x)) });
    return iv ? mirror(iv) : null;
  }
  return plainInterval(rel);
}

/** {x : |x| ∈ I} for an interval I of |x|: I ∩ [0, ∞) and its mirror image. */
function mirror(iv: Extract<Node, { t: 'seq' }>): Node | null {
  const [lo, hi] = iv.items as [Node, Node];
  const neg = (x: Node): Node => ({ t: 'neg', x });
  const loV = hasInfinity(lo) ? Number.NEGATIVE_INFINITY : evaluate(lo, new Map())[0];
  if (Number.isNaN(loV) || freeSymbols(lo).size > 0 || freeSymbols(hi).size > 0) return null;
  const flip = (o: string): string => (o === '(' ? ')' : o === '[' ? ']' : o === ')' ? '(' : '[');
  if (loV < 0 || (loV === 0 && iv.open === '[')) {
    // |x| < b (or ≤ b): one symmetric interval; |x| ≥ 0 is everything.
    if (hasInfinity(hi)) return { t: 'seq', open: '(', close: ')', items: [neg(hi), hi] };
    return { t: 'seq', open: flip(iv.close), close: iv.close, items: [neg(hi), hi] };
  }
  const right: Node = { t: 'seq', open: iv.open, close: iv.close, items: [lo, hi] };
  const left: Node = { t: 'seq', open: flip(iv.close), close: flip(iv.open), items: [neg(hi), neg(lo)] };
  return { t: 'union', items: [left, right] };
}

function plainInterval(rel: Extract<Node, { t: 'rel' }>): Extract<Node, { t: 'seq' }> | null {
  const ops = rel.ops.map((o) => FLIP[o] ?? o);
  const flipped = rel.ops.some((o) => FLIP[o]);
  if (!ops.every((o) => o === '<' || o === '≤')) return null;
  if (flipped && !rel.ops.every((o) => FLIP[o])) return null;
  const items = flipped ? [...rel.items].reverse() : rel.items;
  const os = flipped ? [...rel.ops].reverse().map((o) => FLIP[o]!) : rel.ops;
  const inf: Node = { t: 'const', name: 'inf' };
  const open = (o: string): string => (o === '<' ? '(' : '[');
  const close = (o: string): string => (o === '<' ? ')' : ']');
  if (items.length === 3 && isName(items[1]!)) {
    return { t: 'seq', open: open(os[0]!), close: close(os[1]!), items: [items[0]!, items[2]!] };
  }
  if (items.length === 2) {
    if (isName(items[0]!))
      return { t: 'seq', open: '(', close: close(os[0]!), items: [{ t: 'neg', x: inf }, items[1]!] };
    if (isName(items[1]!)) return { t: 'seq', open: open(os[0]!), close: ')', items: [items[0]!, inf] };
    return linearInterval(items[0]!, os[0]!, items[1]!);
  }
  return null;
}

/**
 * A linear inequality in one variable, solved: `-x > 3` → `(-∞, -3)`, `2x + 1 ≤ 5` → `(-∞, 2]`. The
 * endpoint stays an exact expression (−g(0) / (g(1) − g(0)) for g = lhs − rhs); linearity is checked
 * at several points.
 */
function linearInterval(lhs: Node, op: string, rhs: Node): Extract<Node, { t: 'seq' }> | null {
  if (!isScalar(lhs) || !isScalar(rhs)) return null;
  const g: Node = { t: 'add', items: [lhs, { t: 'neg', x: rhs }] };
  const vars = [...freeSymbols(g)];
  if (vars.length !== 1 || hasInfinity(g)) return null;
  const v = vars[0]!;
  const at = (t: number): number => {
    const r = evaluate(g, new Map([[v, t]]));
    return r[1] === 0 ? r[0] : Number.NaN;
  };
  const g0 = at(0);
  const slope = at(1) - g0;
  if (!Number.isFinite(g0) || !Number.isFinite(slope) || Math.abs(slope) < 1e-12) return null;
  for (const t of [-2.5, 0.7, 3.1])
    if (!(Math.abs(at(t) - (g0 + slope * t)) <= 1e-9 * Math.max(1, Math.abs(at(t))))) return null;
  const b0 = substitute(g, v, 0);
  const a1: Node = { t: 'add', items: [substitute(g, v, 1), { t: 'neg', x: b0 }] };
  const end: Node = { t: 'div', a: { t: 'neg', x: b0 }, b: a1 };
  const inf: Node = { t: 'const', name: 'inf' };
  // g < 0 with g increasing: x below the root; decreasing: above it.
  const below = slope > 0;
  const closed = op === '≤';
  return below
    ? { t: 'seq', open: '(', close: closed ? ']' : ')', items: [{ t: 'neg', x: inf }, end] }
    : { t: 'seq', open: closed ? '[' : '(', close: ')', items: [end, inf] };
}

/** A copy of `n` with the variable `v` replaced by the number `value`. */
function substitute(n: Node, v: string, value: number): Node {
  const s = (x: Node): Node => substitute(x, v, value);
  switch (n.t) {
    case 'sym':
      return n.name === v ? { t: 'num', text: String(value), decimals: 0 } : n;
    case 'add':
    case 'mul':
      return { ...n, items: n.items.map(s) };
    case 'neg':
    case 'deg':
      return { ...n, x: s(n.x) };
    case 'div':
    case 'pow':
      return { ...n, a: s(n.a), b: s(n.b) };
    case 'fn':
      return { ...n, args: n.args.map(s) };
    default:
      return n;
  }
}

function keyOf(n: Node, options: NormalizeOptions): string {
  if (isScalar(n)) {
    const ex = exact(n);
    if (ex) return `q:${ex.n}/${ex.d}`;
    if (freeSymbols(n).size === 0) {
      const v = evaluate(n, new Map());
      if (Number.isFinite(v[0]) && Number.isFinite(v[1])) {
        return `r:${v[0].toPrecision(12)}${v[1] === 0 ? '' : `,${v[1].toPrecision(12)}`}`;
      }
    }
    return `e:${show(n)}`;
  }
  if (n.t === 'seq') {
    const keys = n.items.map((x) => keyOf(x, options));
    const unordered = n.open === '{' || (n.open === '' && options.listOrder !== 'ordered');
    // A set: order and repeats do not matter.
    if (unordered) return `${n.open}${[...new Set(keys)].sort().join(',')}${n.close}`;
    return `${n.open}${keys.join(',')}${n.close}`;
  }
  return `e:${show(n)}`;
}
