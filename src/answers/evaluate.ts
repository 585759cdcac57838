// Evaluation of parse trees: exact rationals (BigInt) where the tree allows it, complex doubles otherwise.
import type { Node } from './ast.ts';
import { LIMITS } from './limits.ts';

export interface Rational {
  n: bigint;
  d: bigint;
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);
function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}
function rat(n: bigint, d: bigint): Rational | null {
  if (d === 0n) return null;
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  const r = { n: n / g, d: d / g };
  const bits = LIMITS.maxBits;
  if (abs(r.n).toString(16).length * 4 > bits || r.d.toString(16).length * 4 > bits) return null;
  return r;
}

function parseDecimal(text: string): Rational | null {
  const [ip = '0', fp = ''] = text.split('.');
  return rat(BigInt((ip || '0') + fp), 10n ** BigInt(fp.length));
}

/** The exact value of a tree built from numbers with + − × ÷ and integer powers, or null. */
export function exact(node: Node): Rational | null {
  switch (node.t) {
    case 'num':
      return parseDecimal(node.text);
    case 'neg': {
      const x = exact(node.x);
      return x && { n: -x.n, d: x.d };
    }
    case 'deg':
      return exact(node.x);
    case 'add': {
      let acc: Rational | null = { n: 0n, d: 1n };
      for (const it of node.items) {
        const x = exact(it);
        if (!x || !acc) return null;
        acc = rat(acc.n * x.d + x.n * acc.d, acc.d * x.d);
      }
      return acc;
    }
    case 'mul': {
      let acc: Rational | null = { n: 1n, d: 1n };
      for (const it of node.items) {
        const x = exact(it);
        if (!x || !acc) return null;
        acc = rat(acc.n * x.n, acc.d * x.d);
      }
      return acc;
    }
    case 'div': {
      const a = exact(node.a);
      const b = exact(node.b);
      return a && b && b.n !== 0n ? rat(a.n * b.d, a.d * b.n) : null;
    }
    case 'pow': {
      const a = exact(node.a);
      const b = exact(node.b);
      if (!a || !b || b.d !== 1n || abs(b.n) > BigInt(LIMITS.maxExactExponent)) return null;
      // Bound the result size before computing it: bits(a) × |b| must stay under the limit.
      const bitsA = Math.max(abs(a.n).toString(2).length, a.d.toString(2).length);
      if (bitsA * Number(abs(b.n)) > LIMITS.maxBits) return null;
      const e = abs(b.n);
      return b.n >= 0n ? rat(a.n ** e, a.d ** e) : a.n === 0n ? null : rat(a.d ** e, a.n ** e);
    }
    default:
      return null;
  }
}

/** True when the rational has a finite decimal expansion (denominator of the form 2^a·5^b). */
export function terminates(r: Rational): boolean {
  let d = r.d;
  while (d % 2n === 0n) d /= 2n;
  while (d % 5n === 0n) d /= 5n;
  return d === 1n;
}

export type C = [number, number];

const cadd = (a: C, b: C): C => [a[0] + b[0], a[1] + b[1]];
const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
function cdiv(a: C, b: C): C {
  const den = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / den, (a[1] * b[0] - a[0] * b[1]) / den];
}
function clog(a: C): C {
  return [Math.log(Math.hypot(a[0], a[1])), Math.atan2(a[1], a[0])];
}
function cexp(a: C): C {
  const m = Math.exp(a[0]);
  return a[1] === 0 ? [m, 0] : [m * Math.cos(a[1]), m * Math.sin(a[1])];
}
function cpow(a: C, b: C): C {
  if (b[1] === 0 && Number.isInteger(b[0]) && Math.abs(b[0]) <= 64) {
    let r: C = [1, 0];
    for (let k = 0; k < Math.abs(b[0]); k++) r = cmul(r, a);
    return b[0] < 0 ? cdiv([1, 0], r) : r;
  }
  if (a[1] === 0 && b[1] === 0 && a[0] >= 0) return [a[0] ** b[0], 0];
  if (a[0] === 0 && a[1] === 0) return [0, 0];
  return cexp(cmul(b, clog(a)));
}
function csqrt(a: C): C {
  if (a[1] === 0) return a[0] >= 0 ? [Math.sqrt(a[0]), 0] : [0, Math.sqrt(-a[0])];
  return cpow(a, [0.5, 0]);
}

const TRIG = new Set(['sin', 'cos', 'tan', 'sec', 'csc', 'cot']);

function real1(name: string, x: number): number {
  switch (name) {
    case 'sin':
      return Math.sin(x);
    case 'cos':
      return Math.cos(x);
    case 'tan':
      return Math.tan(x);
    case 'sec':
      return 1 / Math.cos(x);
    case 'csc':
      return 1 / Math.sin(x);
    case 'cot':
      return 1 / Math.tan(x);
    case 'arcsin':
      return Math.asin(x);
    case 'arccos':
      return Math.acos(x);
    case 'arctan':
      return Math.atan(x);
    case 'arcsec':
      return Math.acos(1 / x);
    case 'arccsc':
      return Math.asin(1 / x);
    case 'arccot':
      return Math.atan(1 / x);
    case 'sinh':
      return Math.sinh(x);
    case 'cosh':
      return Math.cosh(x);
    case 'tanh':
      return Math.tanh(x);
    case 'exp':
      return Math.exp(x);
    default:
      return Number.NaN;
  }
}

/** sin, cos, tan, exp of a complex argument; NaN for the other functions. */
function complex1(name: string, [a, b]: C): C {
  const sin: C = [Math.sin(a) * Math.cosh(b), Math.cos(a) * Math.sinh(b)];
  const cos: C = [Math.cos(a) * Math.cosh(b), -Math.sin(a) * Math.sinh(b)];
  switch (name) {
    case 'sin':
      return sin;
    case 'cos':
      return cos;
    case 'tan':
      return cdiv(sin, cos);
    case 'exp':
      return cexp([a, b]);
    default:
      return [Number.NaN, 0];
  }
}

/**
 * x! for every real x that is not a negative integer: Γ(x + 1) (Lanczos, g = 7), so `n!`, `\binom{n}{2}`
 * and `\frac{n(n-1)}{2}` can be compared as functions of n at non-integer points.
 */
function factorial(x: number): number {
  if (!Number.isInteger(x)) return gamma(x + 1);
  if (x < 0) return Number.NaN;
  if (x > 170) return Number.POSITIVE_INFINITY;
  let r = 1;
  for (let k = 2; k <= x; k++) r *= k;
  return r;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

function gamma(z: number): number {
  if (!Number.isFinite(z) || z > 171) return Number.NaN;
  // Reflection for the left half-plane: Γ(z)Γ(1 − z) = π / sin(πz).
  if (z < 0.5) return Math.PI / (Math.sin(Math.PI * z) * gamma(1 - z));
  const w = z - 1;
  let a = LANCZOS[0]!;
  const t = w + 7.5;
  for (let k = 1; k < 9; k++) a += LANCZOS[k]! / (w + k);
  return Math.sqrt(2 * Math.PI) * t ** (w + 0.5) * Math.exp(-t) * a;
}

/**
 * Complex value of a scalar tree with the given variable values. Structures (sequences, relations,
 * matrices, ±) are not scalars and evaluate to NaN.
 */
export function evaluate(node: Node, env: ReadonlyMap<string, number | C>, inTrig = false): C {
  switch (node.t) {
    case 'num':
      return [Number(node.text), 0];
    case 'sym': {
      const v = env.get(node.name);
      return v === undefined ? [Number.NaN, 0] : typeof v === 'number' ? [v, 0] : v;
    }
    case 'const':
      return node.name === 'pi'
        ? [Math.PI, 0]
        : node.name === 'e'
          ? [Math.E, 0]
          : node.name === 'i'
            ? [0, 1]
            : [Number.POSITIVE_INFINITY, 0];
    case 'add':
      return node.items.reduce<C>((acc, it) => cadd(acc, evaluate(it, env, inTrig)), [0, 0]);
    case 'neg': {
      const x = evaluate(node.x, env, inTrig);
      return [-x[0], -x[1]];
    }
    case 'mul':
      return node.items.reduce<C>((acc, it) => cmul(acc, evaluate(it, env, inTrig)), [1, 0]);
    case 'div':
      return cdiv(evaluate(node.a, env, inTrig), evaluate(node.b, env, inTrig));
    case 'pow':
      return cpow(evaluate(node.a, env, inTrig), evaluate(node.b, env, inTrig));
    case 'deg': {
      const x = evaluate(node.x, env, inTrig);
      return inTrig ? [(x[0] * Math.PI) / 180, (x[1] * Math.PI) / 180] : x;
    }
    case 'fn': {
      const args = node.args.map((a) => evaluate(a, env, TRIG.has(node.name)));
      const x = args[0] ?? [Number.NaN, 0];
      switch (node.name) {
        case 'sqrt':
          return csqrt(x);
        case 'root':
          return cpow(x, cdiv([1, 0], args[1] ?? [Number.NaN, 0]));
        case 'abs':
          return [Math.hypot(x[0], x[1]), 0];
        case 'fact':
          return x[1] === 0 ? [factorial(x[0]), 0] : [Number.NaN, 0];
        case 'ln':
          return clog(x);
        case 'log':
        case 'lg': {
          const l = clog(x);
          return [l[0] / Math.LN10, l[1] / Math.LN10];
        }
        case 'binom': {
          const [n, k] = [x[0], (args[1] ?? [Number.NaN, 0])[0]];
          return [factorial(n) / (factorial(k) * factorial(n - k)), 0];
        }
        default:
          return x[1] === 0 ? [real1(node.name, x[0]), 0] : complex1(node.name, x);
      }
    }
    default:
      return [Number.NaN, 0];
  }
}

/** Free variables of a tree (symbols), in order of first appearance. */
export function freeSymbols(node: Node, out: Set<string> = new Set()): Set<string> {
  switch (node.t) {
    case 'sym':
      out.add(node.name);
      break;
    case 'add':
    case 'mul':
    case 'seq':
    case 'union':
    case 'rel':
      for (const it of node.items) freeSymbols(it, out);
      break;
    case 'neg':
    case 'deg':
      freeSymbols(node.x, out);
      break;
    case 'div':
    case 'pow':
    case 'pm':
      freeSymbols(node.a, out);
      freeSymbols(node.b, out);
      break;
    case 'fn':
      for (const a of node.args) freeSymbols(a, out);
      break;
    case 'matrix':
      for (const r of node.rows) for (const c of r) freeSymbols(c, out);
      break;
    case 'qty':
    case 'assign':
      freeSymbols(node.x, out);
      break;
    case 'choice':
      if (node.x) freeSymbols(node.x, out);
      break;
    case 'setminus':
      freeSymbols(node.a, out);
      freeSymbols(node.b, out);
      break;
    default:
      break;
  }
  return out;
}

/** Whether the tree contains ∞ written out (as opposed to an overflow). */
export function hasInfinity(node: Node): boolean {
  switch (node.t) {
    case 'const':
      return node.name === 'inf';
    case 'add':
    case 'mul':
      return node.items.some(hasInfinity);
    case 'neg':
    case 'deg':
      return hasInfinity(node.x);
    case 'div':
    case 'pow':
      return hasInfinity(node.a) || hasInfinity(node.b);
    case 'fn':
      return node.args.some(hasInfinity);
    default:
      return false;
  }
}
