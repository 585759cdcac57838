import { describe, expect, it } from 'vitest';
import { clusterAnswers, compareAnswers, extractAnswer, LIMITS, normalize } from '../../src/answers/index.ts';

const answer = (value: string) => ({ value, key: null, rule: 'test' });

describe('hostile input degrades to string comparison', () => {
  it('a 1 MB answer is refused at extraction, and compares as a string if passed in directly', () => {
    const inner = `${'1+'.repeat(500_000)}1`;
    expect(extractAnswer(`\\boxed{${inner}}`)).toEqual({ value: null, key: null, rule: 'too-long' });
    const n = normalize(inner);
    expect(n.kind).toBe('string');
    expect(n.fallback).toBe('too-long');
    expect(compareAnswers(inner, '1000001').how).toMatch(/^string:/);
  });

  it('10,000 nested braces', () => {
    const nested = `${'{'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    expect(extractAnswer(`so \\boxed{${nested}}`).rule).toBe('too-long');
    const small = `${'{'.repeat(1000)}1${'}'.repeat(1000)}`;
    expect(extractAnswer(`so \\boxed{${small}}`).value).toBe(small);
    expect(normalize(nested).kind).toBe('string');
    const parens = `${'('.repeat(300)}1${')'.repeat(300)}`;
    expect(normalize(parens).fallback).toMatch(/unparsed: nesting too deep/);
  });

  it('10^{10^{10}} is not computed and not merged with other huge numbers', () => {
    expect(equivalent3('10^{10^{10}}', '10^{10^{11}}')).toBe(false);
    expect(equivalent3('10^{10^{10}}', '10^{10^{10}}')).toBe(true);
    expect(equivalent3('2^{100}', '1267650600228229401496703205376')).toBe(true);
  });

  it('pathological expressions stay bounded', () => {
    const chain = Array.from({ length: 300 }, (_, i) => `x_${i}`).join('+');
    expect(typeof compareAnswers(chain, `${chain}+0`).equal).toBe('boolean');
    expect(compareAnswers('9^{9^{9^{9}}}!', '9^{9^{9^{9}}}!!').equal).toBe(false);
    expect(compareAnswers('\\frac{\\frac{\\frac{1}{}}{}}{', '1').how).toMatch(/^string:/);
  });

  it('a spent budget falls back to strings and says so', () => {
    let t = 0;
    const now = () => (t += 10);
    const v = compareAnswers('x^2+2x+1', '(x+1)^2', { now, budgetMs: 5 });
    expect(v.how).toBe('string:budget');
    expect(v.equal).toBe(false);
    const c = clusterAnswers(['x^2+2x+1', '(x+1)^2', '(x+1)^2'].map(answer), { now, requestBudgetMs: 5 });
    expect(c.degraded).toContain('request-budget');
    expect(c.clusters.map((k) => k.members)).toEqual([[0], [1, 2]]);
  });
});

describe('default budgets (LIMITS), with a fake clock', () => {
  it('a check within its default budget decides; one past it degrades to strings', () => {
    let t = 0;
    const slow = () => (t += LIMITS.comparisonMs + 1);
    expect(compareAnswers('x^2+2x+1', '(x+1)^2', { now: slow }).how).toBe('string:budget');
    let u = 0;
    const fast = () => (u += LIMITS.comparisonMs / 100);
    expect(compareAnswers('x^2+2x+1', '(x+1)^2', { now: fast })).toEqual({ equal: true, how: 'function' });
  });

  it('the default request budget stops slow checks and says so', () => {
    expect(LIMITS.requestMs).toBeLessThanOrEqual(10);
    let t = 0;
    const now = () => (t += LIMITS.requestMs / 2 + 1);
    const c = clusterAnswers(['x^2+2x+1', '(x+1)^2', '(x+1)^2', '2x+2x'].map(answer), { now });
    expect(c.degraded).toContain('request-budget');
    // Equal keys still cluster on the fast path; nothing different is ever merged.
    expect(c.clusters.map((k) => k.members)).toEqual([[0], [1, 2], [3]]);
  });
});

function equivalent3(a: string, b: string): boolean {
  return compareAnswers(a, b).equal;
}

describe('box scanning is linear and its output bounded (issue 14)', () => {
  const work = (text: string): number => {
    const w = { ops: 0 };
    extractAnswer(text, { work: w });
    return w.ops;
  };
  const shapes: [string, (n: number) => string][] = [
    ['unclosed boxes', (n) => '\\boxed{'.repeat(n)],
    ['nested boxes', (n) => `${'\\boxed{'.repeat(n)}1${'}'.repeat(n)}`],
    ['boxes in a row', (n) => '\\boxed{1}, '.repeat(n)],
    ['closed boxes then an open one', (n) => `${'\\boxed{2} '.repeat(n)}\\boxed{`],
    ['deep plain braces in a box', (n) => `\\boxed{${'{'.repeat(n)}1${'}'.repeat(n)}}`],
  ];
  it.each(shapes)('%s: work grows linearly with the text', (_name, make) => {
    const sizes = [1000, 4000, 16_000];
    const perChar = sizes.map((n) => work(make(n)) / make(n).length);
    // Constant work per character (a quadratic scan would grow 16-fold here).
    for (const r of perChar) expect(r).toBeLessThan(3);
    expect(perChar[2]! / perChar[0]!).toBeLessThan(1.2);
  });

  it('40,000 unclosed boxes and 10,000-deep nesting give bounded results', () => {
    expect(extractAnswer('\\boxed{'.repeat(40_000))).toMatchObject({ value: null, rule: 'truncated' });
    const deep = extractAnswer(`${'\\boxed{'.repeat(10_000)}1${'}'.repeat(10_000)}`);
    expect(deep.value).toBeNull();
    const joined = extractAnswer('\\boxed{1}, '.repeat(10_000));
    expect(joined.value!.length).toBeLessThanOrEqual(LIMITS.maxAnswerChars);
  });

  it('a truncated box is no answer, not its digits', () => {
    expect(extractAnswer('so \\boxed{4')).toMatchObject({ value: null, rule: 'truncated' });
    expect(extractAnswer('\\boxed{4', { bare: true }).value).toBeNull();
    expect(extractAnswer('first \\boxed{3}, then \\boxed{\\frac{1}{2').rule).toBe('truncated');
    // A box closed after an unclosed brace elsewhere is still an answer.
    expect(extractAnswer('\\boxed{\\boxed{4}}').value).toBe('\\boxed{4}');
  });
});
