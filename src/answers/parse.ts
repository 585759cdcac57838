// A small recursive-descent parser for the LaTeX and plain-text math that final answers are written in.
// Hand-written rather than a library: it must never stall (input length and nesting are capped, every
// loop consumes a token), and it must keep what libraries drop (the brackets of an interval, ± as two
// values, how many decimals a number was written with).
import type { Node } from './ast.ts';
import { LIMITS } from './limits.ts';
import { parseUnit } from './units.ts';

export class ParseError extends Error {
  override name = 'ParseError';
}

type Tok = { k: 'num' | 'cmd' | 'ch'; v: string };

const FUNCS = new Set([
  'sin',
  'cos',
  'tan',
  'sec',
  'csc',
  'cot',
  'arcsin',
  'arccos',
  'arctan',
  'arcsec',
  'arccsc',
  'arccot',
  'sinh',
  'cosh',
  'tanh',
  'ln',
  'log',
  'exp',
  'lg',
]);
const GREEK_CONST: Record<string, Node> = {
  pi: { t: 'const', name: 'pi' },
  infty: { t: 'const', name: 'inf' },
  infinity: { t: 'const', name: 'inf' },
  imath: { t: 'const', name: 'i' },
};
const REL_CMDS: Record<string, string> = {
  leq: '≤',
  geq: '≥',
  neq: '≠',
  approx: '≈',
  in: '∈',
  sim: '≈',
  equiv: '=',
};
const MUL_CMDS = new Set(['cdot', 'times', 'ast']);
const IGNORED_CMDS = new Set(['mathrm', 'text', 'operatorname', 'boxed', 'fbox']);

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if ((c >= '0' && c <= '9') || (c === '.' && /\d/.test(s[i + 1] ?? ''))) {
      let j = i;
      while (j < s.length && /\d/.test(s[j]!)) j++;
      if (s[j] === '.' && /\d/.test(s[j + 1] ?? '')) {
        j++;
        while (j < s.length && /\d/.test(s[j]!)) j++;
      }
      // Scientific notation `1.2e-3`, `6.02E23`: a mantissa, `e`, an integer exponent, then no letter.
      const sci = /^[eE]([+-]?\d{1,4})(?![\w.])/.exec(s.slice(j, j + 7));
      if (sci) {
        out.push({ k: 'num', v: s.slice(i, j) }, { k: 'cmd', v: 'sci' }, { k: 'num', v: sci[1]! });
        i = j + sci[0].length;
        continue;
      }
      out.push({ k: 'num', v: s.slice(i, j) });
      i = j;
      continue;
    }
    if (c === '\\') {
      let j = i + 1;
      while (j < s.length && /[a-zA-Z]/.test(s[j]!)) j++;
      if (j === i + 1) j = Math.min(s.length, j + 1);
      out.push({ k: 'cmd', v: s.slice(i + 1, j) });
      i = j;
      continue;
    }
    if (c === '*' && s[i + 1] === '*') {
      out.push({ k: 'ch', v: '^' });
      i += 2;
      continue;
    }
    out.push({ k: 'ch', v: c });
    i++;
  }
  return out;
}

const num = (text: string): Node => ({
  t: 'num',
  text,
  decimals: text.includes('.') ? text.split('.')[1]!.length : 0,
});

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(o = 0): Tok | undefined {
    return this.toks[this.i + o];
  }
  private isCh(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t !== undefined && t.k === 'ch' && t.v === v;
  }
  private isCmd(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t !== undefined && t.k === 'cmd' && t.v === v;
  }
  private expectCh(v: string): void {
    if (!this.isCh(v)) throw new ParseError(`expected ${v}`);
    this.i++;
  }
  private enter(): void {
    if (++this.depth > LIMITS.maxDepth) throw new ParseError('nesting too deep');
  }
  private leave(): void {
    this.depth--;
  }

  parseAll(): Node {
    const n = this.list(new Set());
    if (this.i < this.toks.length) throw new ParseError(`unexpected ${this.peek()!.v}`);
    return n;
  }

  /** Comma- or semicolon-separated items; `stops` are closing tokens of the enclosing bracket. */
  private list(stops: Set<string>): Node {
    this.enter();
    const items = [this.union(stops)];
    while (this.isCh(',') || this.isCh(';')) {
      this.i++;
      items.push(this.union(stops));
    }
    this.leave();
    return items.length === 1 ? items[0]! : { t: 'seq', open: '', close: '', items };
  }

  private union(stops: Set<string>): Node {
    const items = [this.relation(stops)];
    while (this.isCmd('cup') || this.isCh('∪')) {
      this.i++;
      items.push(this.relation(stops));
    }
    const u: Node = items.length === 1 ? items[0]! : { t: 'union', items };
    if (this.isCmd('setminus')) {
      this.i++;
      return { t: 'setminus', a: u, b: this.relation(stops) };
    }
    return u;
  }

  private relOp(): string | null {
    const t = this.peek();
    if (!t) return null;
    if (t.k === 'ch' && (t.v === '=' || t.v === '<' || t.v === '>')) return t.v;
    if (t.k === 'cmd' && REL_CMDS[t.v]) return REL_CMDS[t.v]!;
    return null;
  }

  private relation(stops: Set<string>): Node {
    const items = [this.ratio(stops)];
    const ops: string[] = [];
    for (let op = this.relOp(); op !== null; op = this.relOp()) {
      this.i++;
      ops.push(op);
      items.push(this.ratio(stops));
    }
    return ops.length === 0 ? items[0]! : { t: 'rel', ops, items };
  }

  private ratio(stops: Set<string>): Node {
    const items = [this.sum(stops)];
    while (this.isCh(':')) {
      this.i++;
      items.push(this.sum(stops));
    }
    return items.length === 1 ? items[0]! : { t: 'seq', open: ':', close: ':', items };
  }

  private sum(stops: Set<string>): Node {
    let left = this.unary(stops);
    for (;;) {
      if (this.isCh('+')) {
        this.i++;
        left = add(left, this.unary(stops));
      } else if (this.isCh('-')) {
        this.i++;
        left = add(left, { t: 'neg', x: this.unary(stops) });
      } else if (this.isCmd('pm') || this.isCh('±')) {
        this.i++;
        left = { t: 'pm', a: left, b: this.unary(stops) };
      } else if (this.isCmd('mp')) {
        this.i++;
        left = { t: 'pm', a: left, b: { t: 'neg', x: this.unary(stops) } };
      } else return left;
    }
  }

  private unary(stops: Set<string>): Node {
    this.enter();
    let r: Node;
    if (this.isCh('-')) {
      this.i++;
      r = { t: 'neg', x: this.unary(stops) };
    } else if (this.isCh('+')) {
      this.i++;
      r = this.unary(stops);
    } else if (this.isCmd('pm') || this.isCh('±')) {
      this.i++;
      r = { t: 'pm', a: num('0'), b: this.unary(stops) };
    } else r = this.term(stops);
    this.leave();
    return r;
  }

  private startsFactor(stops: Set<string>): boolean {
    const t = this.peek();
    if (!t) return false;
    if (t.k === 'num') return true;
    if (t.k === 'cmd') {
      if (REL_CMDS[t.v] || MUL_CMDS.has(t.v) || t.v === 'div') return false;
      if (['pm', 'mp', 'cup', 'cap', 'setminus', 'right', '\\', '}', 'end', 'quad', 'sci'].includes(t.v))
        return false;
      if (t.v === '}' && stops.has('\\}')) return false;
      return true;
    }
    if (/[a-zA-Z(°[{|'∞π√]/.test(t.v)) return !stops.has(t.v) && !(t.v === '|' && stops.has('|'));
    return false;
  }

  private term(stops: Set<string>): Node {
    const items: Node[] = [this.power(stops)];
    let den: Node[] = [];
    for (;;) {
      if (this.isCh('*') || (this.peek()?.k === 'cmd' && MUL_CMDS.has(this.peek()!.v))) {
        this.i++;
        items.push(this.power(stops));
      } else if (this.isCh('/') || this.isCmd('div')) {
        this.i++;
        den.push(this.power(stops));
      } else if (this.startsFactor(stops)) {
        // Implicit product; a following integer + \frac{int}{int} after an integer is a mixed number.
        const prev = items[items.length - 1]!;
        const f = this.power(stops);
        if (den.length > 0) {
          den = [...den.slice(0, -1), mulOf([den[den.length - 1]!, f])];
        } else if (items.length === 1 && prev.t === 'num' && prev.decimals === 0 && isSimpleFrac(f)) {
          items[0] = { t: 'add', items: [prev, f] };
        } else items.push(f);
      } else break;
    }
    let r = mulOf(items);
    for (const d of den) r = { t: 'div', a: r, b: d };
    return r;
  }

  private power(stops: Set<string>): Node {
    this.enter();
    let base = this.postfix(stops);
    if (this.isCh('^')) {
      this.i++;
      const negative = this.isCh('-');
      if (negative) this.i++;
      const arg = this.arg();
      const exp: Node = negative ? { t: 'neg', x: arg } : arg;
      base = { t: 'pow', a: base, b: exp };
      while (this.isCh('!')) {
        this.i++;
        base = { t: 'fn', name: 'fact', args: [base] };
      }
    }
    this.leave();
    return base;
  }

  private postfix(stops: Set<string>): Node {
    let x = this.primary(stops);
    if (x.t === 'num' && this.isCmd('sci')) {
      this.i++;
      const e = this.peek()!;
      this.i++;
      const exp: Node = e.v.startsWith('-') ? { t: 'neg', x: num(e.v.slice(1)) } : num(e.v.replace('+', ''));
      x = { t: 'mul', items: [x, { t: 'pow', a: num('10'), b: exp }] };
    }
    for (;;) {
      if (this.isCh('!')) {
        this.i++;
        x = { t: 'fn', name: 'fact', args: [x] };
      } else if (this.isCh('°')) {
        this.i++;
        x = { t: 'deg', x };
      } else if (this.isCh("'")) {
        this.i++;
        x = x.t === 'sym' ? { t: 'sym', name: `${x.name}'` } : x;
      } else if (this.isCh('_')) {
        this.i++;
        const sub = this.arg();
        const numeral = x.t === 'num' ? inBase(x, sub) : null;
        if (numeral) return numeral;
        x = { t: 'sym', name: `${show(x)}_${show(sub)}` };
      } else return x;
    }
  }

  /**
   * The argument of `\sin`, `\ln`, …: a bracketed group, or without brackets the implicit product that
   * follows, up to the next function or operator (`\sin 2x` = sin(2x), `\sin x \cos x` = sin(x)·cos(x)).
   */
  private fnArgument(stops: Set<string>): Node {
    const t = this.peek();
    // `\sin(x)^2` is (sin x)²: a bracketed argument ends at its bracket; the power applies to the function.
    if (t && t.k === 'ch' && (t.v === '(' || t.v === '{' || t.v === '[')) return this.postfix(stops);
    const items = [this.power(stops)];
    for (;;) {
      const n = this.peek();
      if (!n || !this.startsFactor(stops) || (n.k === 'cmd' && FUNCS.has(n.v))) break;
      if (n.k === 'ch' && (n.v === '(' || n.v === '[' || n.v === '{' || n.v === '|')) break;
      items.push(this.power(stops));
    }
    return mulOf(items);
  }

  /** A LaTeX argument: `{…}`, or a single digit / letter / command (`\frac12`, `\sqrt3`). */
  private arg(): Node {
    const t = this.peek();
    if (!t) throw new ParseError('missing argument');
    if (t.k === 'ch' && t.v === '{') {
      this.i++;
      const n = this.isCh('}') ? ({ t: 'text', s: '' } as Node) : this.list(new Set(['}']));
      this.expectCh('}');
      return n;
    }
    // Plain-text style `\sqrt(2)`: a parenthesised argument.
    if (t.k === 'ch' && t.v === '(') return unwrapGroup(this.bracketed('(', [')']));
    if (t.k === 'num') {
      if (t.v.length > 1 && !t.v.includes('.')) {
        this.toks[this.i] = { k: 'num', v: t.v.slice(1) };
        return num(t.v[0]!);
      }
      this.i++;
      return num(t.v);
    }
    if (t.k === 'ch' && /[a-zA-Z]/.test(t.v)) {
      this.i++;
      return { t: 'sym', name: t.v };
    }
    if (t.k === 'cmd') return this.primary(new Set());
    throw new ParseError(`bad argument ${t.v}`);
  }

  private bracketed(open: string, stops: string[]): Node {
    this.i++;
    const inner = this.list(new Set(stops));
    const t = this.peek();
    if (!t) throw new ParseError(`unclosed ${open}`);
    const close = t.k === 'cmd' ? `\\${t.v}` : t.v;
    if (!stops.includes(close)) throw new ParseError(`unclosed ${open}`);
    this.i++;
    return inner.t === 'seq' && inner.open === ''
      ? { t: 'seq', open, close, items: inner.items }
      : { t: 'seq', open, close, items: [inner] };
  }

  private primary(stops: Set<string>): Node {
    const t = this.peek();
    if (!t) throw new ParseError('unexpected end');
    if (t.k === 'num') {
      this.i++;
      return num(t.v);
    }
    if (t.k === 'ch') {
      if (/[a-zA-Z]/.test(t.v)) {
        this.i++;
        if (t.v === 'i' || t.v === 'I') return { t: 'const', name: 'i' };
        if (t.v === 'e') return { t: 'const', name: 'e' };
        return { t: 'sym', name: t.v };
      }
      if (t.v === '∞') {
        this.i++;
        return { t: 'const', name: 'inf' };
      }
      if (t.v === '(') return unwrapGroup(this.bracketed('(', [')', ']']));
      if (t.v === '[') return unwrapGroup(this.bracketed('[', [')', ']']));
      if (t.v === '{') {
        // A bare brace group is grouping: `{1,3}` renders as the list 1, 3 (a set is `\{1,3\}`).
        const g = this.bracketed('{', ['}']);
        return g.t === 'seq' && g.items.length > 1
          ? { ...g, open: '', close: '' }
          : g.t === 'seq'
            ? g.items[0]!
            : g;
      }
      if (t.v === '|') {
        this.i++;
        const inner = this.sum(new Set([...stops, '|']));
        this.expectCh('|');
        return { t: 'fn', name: 'abs', args: [inner] };
      }
      throw new ParseError(`unexpected ${t.v}`);
    }
    // Commands.
    this.i++;
    const c = t.v;
    if (c === 'frac' || c === 'over') {
      const a = this.arg();
      const b = this.arg();
      return { t: 'div', a, b };
    }
    if (c === 'binom' || c === 'dbinom' || c === 'tbinom') {
      const a = this.arg();
      const b = this.arg();
      return { t: 'fn', name: 'binom', args: [a, b] };
    }
    if (c === 'sqrt') {
      if (this.isCh('[')) {
        this.i++;
        const idx = this.sum(new Set([']']));
        this.expectCh(']');
        return { t: 'fn', name: 'root', args: [this.arg(), idx] };
      }
      return { t: 'fn', name: 'sqrt', args: [this.arg()] };
    }
    if (c === '{') {
      const inner = this.list(new Set(['\\}']));
      if (!this.isCmd('}')) throw new ParseError('unclosed \\{');
      this.i++;
      return {
        t: 'seq',
        open: '{',
        close: '}',
        items: inner.t === 'seq' && inner.open === '' ? inner.items : [inner],
      };
    }
    if (c === 'begin') return this.environment();
    if (c === 'emptyset') return { t: 'seq', open: '{', close: '}', items: [] };
    if (GREEK_CONST[c]) return GREEK_CONST[c]!;
    if (c === 'circ') return { t: 'sym', name: 'circ' };
    if (IGNORED_CMDS.has(c)) return this.isCh('{') ? this.arg() : this.primary(stops);
    if (FUNCS.has(c)) {
      let exp: Node | null = null;
      if (this.isCh('^')) {
        this.i++;
        exp = this.arg();
      }
      if (c === 'log' && this.isCh('_')) {
        this.i++;
        const b = this.arg();
        // `\log_e x` is ln x: an unbraced letter argument is read as a symbol, but a log's base e is
        // Euler's number, as in `\log_{e} x`.
        const base: Node = b.t === 'sym' && b.name === 'e' ? { t: 'const', name: 'e' } : b;
        const x = this.power(stops);
        const r: Node = {
          t: 'div',
          a: { t: 'fn', name: 'ln', args: [x] },
          b: { t: 'fn', name: 'ln', args: [base] },
        };
        return exp ? { t: 'pow', a: r, b: exp } : r;
      }
      // `\sin^{-1} x` is the inverse function arcsin x (the convention), not 1/sin x = csc x.
      const inverse = exp !== null && INVERSE[c] !== undefined && isMinusOne(exp);
      const f: Node = { t: 'fn', name: inverse ? INVERSE[c]! : c, args: [this.fnArgument(stops)] };
      return exp && !inverse ? { t: 'pow', a: f, b: exp } : f;
    }
    if (c === 'mathrm' || c === 'mathit') return this.arg();
    // Greek letters and unknown commands are symbols.
    if (/^[a-zA-Z]+$/.test(c)) return { t: 'sym', name: `\\${c}` };
    throw new ParseError(`unexpected \\${c}`);
  }

  private environment(): Node {
    this.expectCh('{');
    let name = '';
    while (this.peek() && !this.isCh('}')) name += this.toks[this.i++]!.v;
    this.expectCh('}');
    if (name === 'array' && this.isCh('{')) {
      // Column spec.
      let d = 0;
      do {
        if (this.isCh('{')) d++;
        if (this.isCh('}')) d--;
        this.i++;
      } while (d > 0 && this.i < this.toks.length);
    }
    const rows: Node[][] = [[]];
    const stops = new Set(['&', '\\\\']);
    for (;;) {
      if (this.isCmd('end')) {
        this.i++;
        this.expectCh('{');
        while (this.peek() && !this.isCh('}')) this.i++;
        this.expectCh('}');
        break;
      }
      if (this.isCmd('\\')) {
        this.i++;
        rows.push([]);
        continue;
      }
      if (this.isCh('&')) {
        this.i++;
        continue;
      }
      if (!this.peek()) throw new ParseError('unclosed environment');
      rows[rows.length - 1]!.push(this.list(new Set([...stops, '&'])));
    }
    const filled = rows.filter((r) => r.length > 0);
    if (name === 'cases') {
      // A piecewise function, every row `value & condition`: a set of (value, condition) pairs, so the
      // values stay tied to their conditions. Other cases (a system `x = 1 \\ y = 2`): its items.
      if (filled.length > 1 && filled.every((r) => r.length === 2))
        return {
          t: 'seq',
          open: '',
          close: '',
          items: filled.map((r): Node => ({ t: 'seq', open: '(', close: ')', items: r })),
        };
      return { t: 'seq', open: '', close: '', items: filled.flat() };
    }
    return { t: 'matrix', rows: filled };
  }
}

/**
 * `101_2`, `213_{4}`: digits with a base subscript are a numeral in that base, kept as the digits with
 * the base as their unit (so bare digits `101` take the other side's base, and `5` ≠ `101_2`; `3334_{10}`
 * ≠ `3334_9`). Null when the subscript is not a base 2–36 or a digit is too big for it.
 */
function inBase(x: Extract<Node, { t: 'num' }>, sub: Node): Node | null {
  if (sub.t !== 'num' || sub.decimals !== 0 || x.decimals !== 0) return null;
  const b = Number(sub.text);
  if (!(b >= 2 && b <= 36) || [...x.text].some((c) => Number(c) >= b)) return null;
  return { t: 'qty', x, unit: { dim: `base${b}`, n: 1n, d: 1n, name: `base ${b}` } };
}

const INVERSE: Record<string, string> = {
  sin: 'arcsin',
  cos: 'arccos',
  tan: 'arctan',
  sec: 'arcsec',
  csc: 'arccsc',
  cot: 'arccot',
};

function isMinusOne(n: Node): boolean {
  return n.t === 'neg' && n.x.t === 'num' && n.x.text === '1';
}

function unwrapGroup(n: Node): Node {
  // `(x)` is grouping; `(1,2)`, `[0,1)` and `[x]` keep their brackets.
  if (n.t === 'seq' && n.items.length === 1 && n.open === '(' && n.close === ')') return n.items[0]!;
  return n;
}

function add(a: Node, b: Node): Node {
  return a.t === 'add' ? { t: 'add', items: [...a.items, b] } : { t: 'add', items: [a, b] };
}

function mulOf(items: Node[]): Node {
  return items.length === 1 ? items[0]! : { t: 'mul', items };
}

function isSimpleFrac(n: Node): boolean {
  return n.t === 'div' && n.a.t === 'num' && n.b.t === 'num' && n.a.decimals === 0 && n.b.decimals === 0;
}

/** A compact, unambiguous rendering of a tree: used for subscripts and structural keys. */
export function show(n: Node): string {
  switch (n.t) {
    case 'num':
      return n.text;
    case 'sym':
      return n.name;
    case 'const':
      return `#${n.name}`;
    case 'text':
      return `"${n.s}"`;
    case 'add':
      return `(${n.items.map(show).join('+')})`;
    case 'neg':
      return `-${show(n.x)}`;
    case 'mul':
      return `(${n.items.map(show).join('*')})`;
    case 'div':
      return `(${show(n.a)}/${show(n.b)})`;
    case 'pow':
      return `(${show(n.a)}^${show(n.b)})`;
    case 'fn':
      return `${n.name}(${n.args.map(show).join(',')})`;
    case 'deg':
      return `${show(n.x)}°`;
    case 'pm':
      return `(${show(n.a)}±${show(n.b)})`;
    case 'seq':
      return `${n.open}${n.items.map(show).join(',')}${n.close}`;
    case 'rel':
      return n.items.map((x, i) => (i === 0 ? show(x) : `${n.ops[i - 1]}${show(x)}`)).join('');
    case 'union':
      return n.items.map(show).join('∪');
    case 'matrix':
      return `[${n.rows.map((r) => r.map(show).join('&')).join(';')}]`;
    case 'qty':
      return `${show(n.x)}[${n.unit.name}]`;
    case 'choice':
      return `(${n.letter})${n.x ? show(n.x) : ''}`;
    case 'assign':
      return `${n.name}:=${show(n.x)}`;
    case 'setminus':
      return `${show(n.a)}\\${show(n.b)}`;
  }
}

/** Parses a cleaned answer. Throws ParseError on anything it does not understand or that is too big. */
export function parseMath(s: string): Node {
  if (s.length > LIMITS.maxParseChars) throw new ParseError('answer too long to parse');
  const u = /^(.*?)\s*\\unit\{([^{}]*)\}$/.exec(s);
  if (u) {
    const x = parseMath(u[1]!);
    const unit = parseUnit(u[2]!);
    if (!unit) return x;
    // `x = 5 cm`: the unit belongs to the value, not to the equation.
    if (x.t === 'rel' && x.ops.every((o) => o === '=' || o === '≈')) {
      const last = x.items[x.items.length - 1]!;
      return { ...x, items: [...x.items.slice(0, -1), { t: 'qty', x: last, unit }] };
    }
    return { t: 'qty', x, unit };
  }
  const toks = tokenize(s);
  if (toks.length === 0) throw new ParseError('empty');
  return new Parser(toks).parseAll();
}
