// Test helper: renders a parsed answer back to text in one of several surface styles, so a generator can
// take real gold answers and write each in forms a model might produce. Every style means the same value.
import type { Node } from '../../src/answers/ast.ts';

export interface Style {
  frac: 'frac' | 'dfrac' | 'tfrac' | 'slash';
  mul: 'implicit' | 'cdot' | 'times';
  /** `\left( … \right)` instead of bare parentheses. */
  lr: boolean;
  /** Unicode minus, π, ∞, ≤, ≥ where they exist. */
  unicode: boolean;
  /** Spaces around operators and after commas. */
  spaced: boolean;
  /** Sets and unordered lists written in reverse order. */
  reverse: boolean;
  matrix: 'pmatrix' | 'bmatrix';
}

export const STYLES: Style[] = [
  {
    frac: 'frac',
    mul: 'implicit',
    lr: false,
    unicode: false,
    spaced: false,
    reverse: false,
    matrix: 'pmatrix',
  },
  { frac: 'dfrac', mul: 'cdot', lr: true, unicode: false, spaced: true, reverse: true, matrix: 'bmatrix' },
  { frac: 'tfrac', mul: 'times', lr: false, unicode: true, spaced: true, reverse: false, matrix: 'pmatrix' },
  { frac: 'slash', mul: 'cdot', lr: true, unicode: true, spaced: false, reverse: true, matrix: 'bmatrix' },
];

const ATOM = new Set(['num', 'sym', 'const', 'fn', 'text']);

export function render(n: Node, st: Style): string {
  // A command operator is followed by a space so it never runs into a letter (`\cdot x`, not `\cdotx`).
  const sp = (op: string): string => (st.spaced ? ` ${op} ` : op.startsWith('\\') ? `${op} ` : op);
  const comma = st.spaced ? ', ' : ',';
  const paren = (s: string): string => (st.lr ? `\\left(${s}\\right)` : `(${s})`);
  const minus = st.unicode ? '−' : '-';
  const r = (x: Node): string => render(x, st);
  /** Wrapped when it is not a single factor. */
  const factor = (x: Node): string =>
    ATOM.has(x.t) || x.t === 'div' || x.t === 'pow' || (x.t === 'num' && !x.text.startsWith('-'))
      ? r(x)
      : paren(r(x));
  switch (n.t) {
    case 'num':
      return n.text;
    case 'sym':
      // A subscripted name keeps its subscript in braces: `a_(n+1)` is `a_{(n+1)}`.
      return n.name.includes('_') ? n.name.replace(/_(.*)$/, '_{$1}') : n.name;
    case 'const':
      if (n.name === 'pi') return st.unicode ? 'π' : '\\pi';
      if (n.name === 'inf') return st.unicode ? '∞' : '\\infty';
      return n.name;
    case 'text':
      return `\\text{${n.s}}`;
    case 'add':
      return n.items
        .map((x, i) => {
          if (i === 0) return r(x);
          if (x.t === 'neg') return sp(minus) + (x.x.t === 'add' ? paren(r(x.x)) : r(x.x));
          return sp('+') + r(x);
        })
        .join('');
    case 'neg':
      return minus + (x0(n.x) ? r(n.x) : paren(r(n.x)));
    case 'mul': {
      const parts = n.items.map(factor);
      if (st.mul === 'implicit') {
        // Juxtaposition is safe unless two numbers would run together.
        return parts.reduce((acc, p, i) => {
          if (i === 0) return p;
          const prevNum = n.items[i - 1]!.t === 'num' || /\d$/.test(acc);
          if (prevNum && /^[\d.]/.test(p)) return `${acc}\\cdot ${p}`;
          // `3s^2`, not `3 s^2`: a number, a space and a letter reads as a unit (5 m).
          return acc + (prevNum ? '' : ' ') + p;
        }, '');
      }
      return parts.join(st.mul === 'cdot' ? sp('\\cdot') : sp('\\times'));
    }
    case 'div':
      if (st.frac === 'slash') return `${factor(n.a)}/${factor(n.b)}`;
      return `\\${st.frac}{${r(n.a)}}{${r(n.b)}}`;
    case 'pow':
      return `${ATOM.has(n.a.t) && n.a.t !== 'fn' ? r(n.a) : paren(r(n.a))}^{${r(n.b)}}`;
    case 'fn': {
      const [a, b] = n.args as [Node, Node | undefined];
      switch (n.name) {
        case 'sqrt':
          return `\\sqrt{${r(a)}}`;
        case 'root':
          return `\\sqrt[${r(b!)}]{${r(a)}}`;
        case 'abs':
          return st.lr ? `\\left|${r(a)}\\right|` : `|${r(a)}|`;
        case 'fact':
          return `${factor(a)}!`;
        case 'binom':
          return `\\binom{${r(a)}}{${r(b!)}}`;
        default:
          return `\\${n.name}${paren(r(a))}`;
      }
    }
    case 'deg':
      return `${factor(n.x)}^\\circ`;
    case 'pm':
      return `${r(n.a)}${sp('\\pm')}${factor(n.b)}`;
    case 'seq': {
      const unordered = n.open === '{' || n.open === '';
      const items = unordered && st.reverse ? [...n.items].reverse() : n.items;
      const body = items.map(r).join(n.open === ':' ? ':' : comma);
      if (n.open === '{') return st.lr ? `\\left\\{${body}\\right\\}` : `\\{${body}\\}`;
      if (n.open === '' || n.open === ':') return body;
      return st.lr ? `\\left${n.open}${body}\\right${n.close}` : `${n.open}${body}${n.close}`;
    }
    case 'rel':
      return n.items.map((x, i) => (i === 0 ? r(x) : sp(relOp(n.ops[i - 1]!, st)) + r(x))).join('');
    case 'union':
      return n.items.map(r).join(sp('\\cup'));
    case 'setminus':
      return `${r(n.a)}${sp('\\setminus')}${r(n.b)}`;
    case 'matrix':
      return `\\begin{${st.matrix}}${n.rows.map((row) => row.map(r).join(' & ')).join(' \\\\ ')}\\end{${st.matrix}}`;
    case 'assign':
      return `${r(n.lhs)}${sp('=')}${r(n.x)}`;
    case 'qty': {
      const m = /^(.*)\^(\d)$/.exec(n.unit.name);
      return m ? `${r(n.x)}\\text{ ${m[1]}}^{${m[2]}}` : `${r(n.x)}\\text{ ${n.unit.name}}`;
    }
    case 'choice':
      return n.x ? `(${n.letter}) ${r(n.x)}` : `(${n.letter})`;
  }
}

function x0(n: Node): boolean {
  return n.t === 'num' || n.t === 'sym' || n.t === 'const' || n.t === 'fn' || n.t === 'div' || n.t === 'pow';
}

function relOp(op: string, st: Style): string {
  const tex: Record<string, string> = { '≤': '\\le', '≥': '\\ge', '≠': '\\ne', '≈': '\\approx', '∈': '\\in' };
  if (st.unicode && (op === '≤' || op === '≥')) return op;
  return tex[op] ?? op;
}
