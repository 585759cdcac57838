// One answer string → its parsed, normalised forms and a canonical key.
// Equal keys mean equivalent answers (the clustering fast path); different keys decide nothing unless
// both sides are exact numbers or both are text, in which case they really differ.
import type { Node } from './ast.ts';
import { type CleanOptions, cleanAnswer } from './clean.ts';
import { exact, evaluate, freeSymbols } from './evaluate.ts';
import { LIMITS } from './limits.ts';
import { ParseError, parseMath, show } from './parse.ts';

export interface NormalizeOptions extends CleanOptions {
  /** Bare comma lists (`1, 2, 3`): `unordered` (default) = solution sets, `ordered` = hendrycks/math. */
  listOrder?: 'unordered' | 'ordered';
}

export interface Normalized {
  /** The answer after string cleaning. */
  readonly cleaned: string;
  /** Canonical key (see the module comment). */
  readonly key: string;
  /** Parsed forms to compare, the preferred one first; empty when the answer is compared as a string. */
  readonly forms: readonly Node[];
  /** `exact` (a rational number), `text`, `math`, or why the answer is only compared as a string. */
  readonly kind: 'exact' | 'text' | 'math' | 'string';
  /** Why the answer fell back to string comparison (`too-long`, `unparsed: …`), else null. */
  readonly fallback: string | null;
}

const TEXT = /^[A-Za-z][A-Za-z\s'.-]*$/;

export function normalize(value: string, options: NormalizeOptions = {}): Normalized {
  if (value.length > LIMITS.maxParseChars * 4) {
    // Do not even clean megabyte answers with regexes: compare a bounded fingerprint of the raw text.
    return stringForm(value, 'too-long');
  }
  const cleaned = cleanAnswer(value, options);
  if (cleaned.length > LIMITS.maxParseChars) return stringForm(cleaned, 'too-long');
  if (TEXT.test(cleaned) && /[A-Za-z]{2}/.test(cleaned)) {
    const s = cleaned
      .toLowerCase()
      .replace(/[\s.]+/g, ' ')
      .trim();
    return { cleaned, key: `t:${s}`, forms: [{ t: 'text', s }], kind: 'text', fallback: null };
  }
  let node: Node;
  try {
    node = parseMath(cleaned);
  } catch (err) {
    if (err instanceof ParseError || err instanceof RangeError) {
      return stringForm(cleaned, `unparsed: ${err.message}`);
    }
    throw err;
  }
  const forms = formsOf(node);
  const primary = forms[0]!;
  const ex = isScalar(primary) ? exact(primary) : null;
  if (ex) return { cleaned, key: `q:${ex.n}/${ex.d}`, forms, kind: 'exact', fallback: null };
  return { cleaned, key: keyOf(primary, options), forms, kind: 'math', fallback: null };
}

function stringForm(s: string, why: string): Normalized {
  const head = s.length > 4096 ? `${s.slice(0, 2048)}…${s.length}…${s.slice(-2048)}` : s;
  return { cleaned: head, key: `s:${head.replace(/\s+/g, '')}`, forms: [], kind: 'string', fallback: why };
}

export function isScalar(n: Node): boolean {
  return !['seq', 'rel', 'union', 'matrix', 'text', 'pm'].includes(n.t) && !containsStructure(n);
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
  return !/\d/.test(show(n).replace(/_\{?\w+\}?/g, '')) && freeSymbols(n).size > 0;
}

const FLIP: Record<string, string> = { '>': '<', '≥': '≤' };

/** Normalised forms of a parsed answer: the preferred one first, then alternatives worth comparing. */
export function formsOf(node: Node): Node[] {
  const main = unwrap(node);
  const out = [main];
  if (main !== node && node.t === 'rel') out.push(node);
  const iv = main.t === 'rel' ? toInterval(main) : null;
  if (iv) out.push(iv);
  return out;
}

function unwrap(node: Node): Node {
  if (node.t === 'seq' && node.open === '') {
    const items = node.items.flatMap((x) => {
      const u = unwrap(x);
      return u.t === 'seq' && u.open === '' ? u.items : [u];
    });
    return items.length === 1 ? items[0]! : { ...node, items };
  }
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
  if (isName(items[0]!)) {
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
  if (items.length >= 3 || worked || (items.length >= 1 && items.length < node.items.length))
    return unwrap(items[items.length - 1]!);
  return { t: 'rel', ops, items };
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

/** `a < x ≤ b` → `(a, b]`; `x > 5` → `(5, ∞)` when one side is a lone variable. */
function toInterval(rel: Extract<Node, { t: 'rel' }>): Node | null {
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
  }
  return null;
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
