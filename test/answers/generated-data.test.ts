// Generated equivalence tests seeded with real gold answers: the 5,000 typed MATH test answers and the
// MATH-500 answers (shared data, read in place; skipped cleanly when absent). Each gold is parsed, rendered
// back in other surface styles (fraction commands, products, \left…\right, Unicode, spacing, reordered
// sets, pmatrix/bmatrix), and each rendering must equal the gold; near misses built from the value
// (off by one, ×10, rounded decimals of irrational values, swapped tuples, flipped brackets, a dropped set
// element, a set for a tuple, a changed matrix entry) must not.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedDataFile } from '../../eval/shared-data.ts';
import type { Node } from '../../src/answers/ast.ts';
import { evaluate, exact, freeSymbols, terminates } from '../../src/answers/evaluate.ts';
import { compareAnswers, normalize } from '../../src/answers/index.ts';
import { render, STYLES } from './render.ts';

const MATH5000 = sharedDataFile('benchmarks/math_test5000_mario_annotation.json');
const MATH500 = sharedDataFile('benchmarks/math500_test.jsonl');

function golds(): string[] {
  const out: string[] = [];
  if (MATH5000)
    for (const r of JSON.parse(readFileSync(MATH5000, 'utf8')) as { answer: unknown }[])
      out.push(String(r.answer));
  if (MATH500)
    for (const l of readFileSync(MATH500, 'utf8').split('\n'))
      if (l.trim() !== '') out.push((JSON.parse(l) as { answer: string }).answer);
  return [...new Set(out)];
}

/** The finite decimal expansion of n/d (d of the form 2^a 5^b), digit by digit. */
function exactDecimal(n: bigint, d: bigint): string {
  const neg = n < 0n;
  let a = neg ? -n : n;
  let k = 0;
  while (a % d !== 0n) {
    a *= 10n;
    k++;
  }
  const digits = (a / d).toString().padStart(k + 1, '0');
  const s = k === 0 ? digits : `${digits.slice(0, -k)}.${digits.slice(-k)}`;
  return (neg ? '-' : '') + s;
}

const num = (s: string): Node => ({
  t: 'num',
  text: s,
  decimals: s.includes('.') ? s.split('.')[1]!.length : 0,
});
const value = (n: Node): number => evaluate(n, new Map())[0];

/** Near misses of a parsed gold that are certainly a different value. */
function nearMisses(n: Node): Node[] {
  const out: Node[] = [];
  if (n.t === 'seq' && (n.open === '(' || n.open === '[') && n.items.length >= 2) {
    const [a, b] = n.items as [Node, Node];
    const va = value(a);
    const vb = value(b);
    if (
      Number.isFinite(va) &&
      Number.isFinite(vb) &&
      Math.abs(va - vb) > 1e-9 &&
      n.open === '(' &&
      n.close === ')'
    )
      out.push({ ...n, items: [b, a, ...n.items.slice(2)] });
    if (n.items.length === 2 && Number.isFinite(va) && n.open !== n.close.replace(')', '(').replace(']', '['))
      out.push({ ...n, open: n.open === '(' ? '[' : '(' });
    if (n.open === '(' && n.close === ')' && new Set(n.items.map(value)).size === n.items.length)
      out.push({ ...n, open: '{', close: '}' });
  }
  if (n.t === 'seq' && (n.open === '{' || n.open === '') && n.items.length >= 2) {
    const vals = n.items.map(value);
    if (vals.every(Number.isFinite) && new Set(vals).size === vals.length)
      out.push({ ...n, items: n.items.slice(1) });
  }
  if (n.t === 'matrix' && n.rows.length > 0 && n.rows[0]!.length > 0) {
    const rows = n.rows.map((r) => [...r]);
    rows[0]![0] = { t: 'add', items: [rows[0]![0]!, num('1')] };
    out.push({ t: 'matrix', rows });
  }
  const ex = ['seq', 'matrix', 'rel', 'union', 'text', 'assign', 'choice', 'qty'].includes(n.t)
    ? null
    : exact(n);
  if (ex) {
    out.push({ t: 'add', items: [n, num('1')] });
    if (ex.n !== 0n) out.push({ t: 'mul', items: [num('10'), n] });
  } else if (!['seq', 'matrix', 'rel', 'union', 'text', 'assign', 'choice', 'qty'].includes(n.t)) {
    if (freeSymbols(n).size === 0) {
      const v = value(n);
      const im = evaluate(n, new Map())[1];
      if (Number.isFinite(v) && im === 0 && Math.abs(v) > 1e-3 && Math.abs(v) < 1e9) {
        // A rounded decimal of an irrational value is not the value.
        for (const d of [2, 3]) out.push(num(v.toFixed(d)));
      }
    } else out.push({ t: 'add', items: [n, num('1')] });
  }
  return out;
}

describe.skipIf(MATH5000 === null && MATH500 === null)(
  'generated forms of real gold answers (MATH, MATH-500)',
  () => {
    const all = golds();
    const parsed = all
      .map((g) => ({ g, n: normalize(g) }))
      .filter(({ n }) => n.kind !== 'string' && n.kind !== 'text' && n.forms.length > 0);

    it('parses nearly every gold answer into a typed value', () => {
      expect(parsed.length / all.length).toBeGreaterThan(0.97);
    });

    it('every rendering equals its gold, both ways', () => {
      const failures: string[] = [];
      let checks = 0;
      for (const { g, n } of parsed) {
        const node = n.forms[0]!;
        for (const st of STYLES) {
          let text: string;
          try {
            text = render(node, st);
          } catch {
            continue;
          }
          checks++;
          const ab = compareAnswers(g, text);
          const ba = compareAnswers(text, g);
          if (!ab.equal || !ba.equal) failures.push(`${g}  ≠  ${text}  (${ab.how})`);
        }
      }
      expect(failures.slice(0, 30)).toEqual([]);
      expect(checks).toBeGreaterThan(6000);
    });

    it('no near miss equals its gold', () => {
      const merges: string[] = [];
      let checks = 0;
      for (const { g, n } of parsed) {
        const node = n.forms[0]!;
        for (const m of nearMisses(node)) {
          const text = render(m, STYLES[checks % STYLES.length]!);
          checks++;
          const ab = compareAnswers(g, text);
          const ba = compareAnswers(text, g);
          if (ab.equal || ba.equal) merges.push(`${g}  =  ${text}  (${ab.how} / ${ba.how})`);
        }
      }
      expect(merges).toEqual([]);
      expect(checks).toBeGreaterThan(2500);
    });

    it('exact decimals of terminating gold fractions are equal, rounded ones of others are not', () => {
      const wrong: string[] = [];
      for (const { g, n } of parsed) {
        const ex = n.kind === 'exact' ? exact(n.forms[0]!) : null;
        if (!ex || ex.d === 1n) continue;
        const v = Number(ex.n) / Number(ex.d);
        if (terminates(ex)) {
          const dec = exactDecimal(ex.n, ex.d);
          if (!compareAnswers(g, dec).equal) wrong.push(`${g} ≠ ${dec}`);
        } else if (compareAnswers(g, v.toFixed(3)).equal) wrong.push(`${g} = ${v.toFixed(3)}`);
      }
      expect(wrong).toEqual([]);
    });
  },
);
