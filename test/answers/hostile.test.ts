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

  it('a spent work budget falls back to strings and says so', () => {
    const v = compareAnswers('x^2+2x+1', '(x+1)^2', { budget: 5 });
    expect(v.how).toBe('string:budget');
    expect(v.equal).toBe(false);
    const c = clusterAnswers(['x^2+2x+1', '(x+1)^2', '(x+1)^2'].map(answer), { requestBudget: 0 });
    expect(c.degraded).toContain('request-budget');
    expect(c.clusters.map((k) => k.members)).toEqual([[0], [1, 2]]);
  });
});

describe('deterministic budgets (operation counts, not time)', () => {
  it('the default budget decides real checks, and no clock is read', () => {
    let t = 0;
    const slow = () => (t += 1000);
    const v = compareAnswers('x^2+2x+1', '(x+1)^2', { now: slow });
    expect(v).toMatchObject({ equal: true, how: 'function' });
    expect(v.work).toBeGreaterThan(0);
    expect(v.work).toBeLessThan(LIMITS.comparisonWork / 20);
    expect(t).toBe(0);
  });

  it('the same pair costs the same work every time', () => {
    const pairs: [string, string][] = [
      ['\\frac{x^2-1}{x-1}', 'x+1'],
      ['\\sin 2x', '2\\sin x\\cos x'],
      ['(-\\infty, 1) \\cup (2, \\infty)', '\\mathbb{R} \\setminus [1, 2]'],
    ];
    for (const [a, b] of pairs) {
      const first = compareAnswers(a, b);
      for (let k = 0; k < 5; k++) expect(compareAnswers(a, b)).toEqual(first);
    }
  });

  it('deprecated millisecond options map to operations', () => {
    expect(compareAnswers('x^2+2x+1', '(x+1)^2', { budgetMs: 0 }).how).toBe('string:budget');
    expect(compareAnswers('x^2+2x+1', '(x+1)^2', { budgetMs: 1000 }).how).toBe('function');
    const c = clusterAnswers(['x^2+2x+1', '(x+1)^2', '2x+2x'].map(answer), {
      requestBudgetMs: Number.POSITIVE_INFINITY,
    });
    expect(c.degraded).toEqual([]);
    expect(c.clusters.map((k) => k.members)).toEqual([[0, 1], [2]]);
  });

  it('the request budget stops slow checks; equal keys still cluster; nothing different merges', () => {
    const c = clusterAnswers(['x^2+2x+1', '(x+1)^2', '(x+1)^2', '2x+2x'].map(answer), { requestBudget: 10 });
    expect(c.degraded).toContain('request-budget');
    expect(c.clusters.map((k) => k.members)).toEqual([[0], [1, 2], [3]]);
  });
});

function equivalent3(a: string, b: string): boolean {
  return compareAnswers(a, b).equal;
}

describe('box scanning is linear and its output bounded', () => {
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
    ['few-shot run-ons (one cut at most)', (n) => '#### 1\nQuestion: 2?\n'.repeat(n)],
    ['unclosed frameboxes', (n) => '\\framebox{'.repeat(n)],
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

describe('new normalisations stay bounded on hostile answers', () => {
  it.each([
    ['digits before \\overline', `\\overline{3}${'1'.repeat(7000)}`],
    ['set-builder with spaces', `\\{x | ${' '.repeat(7000)}x`],
    ['number words', 'one '.repeat(1900)],
    ['units', `5 ${'cm '.repeat(2000)}`],
    ['Unicode', '²'.repeat(7000)],
    ['plain functions', 'sin('.repeat(1900)],
    ['matrices', `${'\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}'.repeat(40)}`],
    ['set differences', `\\mathbb{R}${'\\setminus\\{1\\}'.repeat(150)}`],
    ['digits, spaces and no percent or scale word', `${'1'.repeat(3000)}${' '.repeat(3000)}millio pc`],
    ['numbers each followed by spaces', `${'1.5   '.repeat(1300)}percen`],
    ['decimals before ellipses', `${'0.3333... '.repeat(700)}`],
    ['angle brackets', `${'\\langle '.repeat(900)}1`],
    ['digits before base words', `${'12 (bas '.repeat(800)}`],
    ['bracketed periods', `${'0.1(2'.repeat(1200)}`],
    ['fraction words', 'one third '.repeat(700)],
    ['percent closing a long answer', `${'1+'.repeat(3000)}1\\%`],
  ])('%s', (_name, text) => {
    const v = compareAnswers(text, `${text}1`);
    expect(typeof v.equal).toBe('boolean');
    expect(v.work).toBeLessThanOrEqual(LIMITS.comparisonWork + 10_000);
  });
});

describe('hostile inputs for the extraction rules of the blind extraction round stay bounded', () => {
  // Each pattern is anchored, or runs on a capped window (the last 400 / 600 / 2,000 characters, one
  // marker line of 500): a long input costs one linear pass, not a quadratic one.
  it.each([
    ['a long run of spaces before an open word', `${' '.repeat(100_000)}so`],
    ['many open brackets at the end', `the value is ${'('.repeat(50_000)}`],
    ['many end-of-proof marks', '$\\blacksquare$ '.repeat(20_000)],
    ['nested parentheses at the end', `x = 5 ${'('.repeat(10_000)}note${')'.repeat(10_000)}`],
    ['a long parenthetical remark', `x = 5 (${'word '.repeat(50_000)})`],
    ['many commentary sentences', `The answer is none. ${'This is because 3. '.repeat(10_000)}`],
    ['many questions', `We get 4. ${'Why 5? '.repeat(20_000)}`],
    ['many choice letters in prose', `${'A is B is C is the correct '.repeat(10_000)}`],
    ['many "I choose"', 'I choose I choose (B '.repeat(20_000)],
    ['many answer markers without values', 'the answer is for '.repeat(20_000)],
    ['many fillers after a marker', `The answer is ${'therefore '.repeat(20_000)}5`],
    ['many CJK markers', '答案是'.repeat(30_000)],
    ['many foreign markers', 'La respuesta es Die Antwort ist '.repeat(10_000)],
    ['a long percent run', `${'1'.repeat(50_000)}${'%'.repeat(50_000)}`],
    ['many Question lines', '\nQuestion:'.repeat(30_000)],
  ])('%s', (_name, s) => {
    const a = extractAnswer(s);
    expect(a.value === null || a.value.length <= LIMITS.maxAnswerChars + 100_000).toBe(true);
    expect(typeof a.rule).toBe('string');
  });

  it('a few-shot run-on is cut once: later examples do not decide the answer', () => {
    const text = `48 + 24 = 72⏎#### 72⏎⏎Question: How many?⏎Answer: 16⏎#### 16`.replace(/⏎/g, '\n');
    expect(extractAnswer(text)).toMatchObject({ value: '72', rule: 'gsm8k' });
    // Nothing before the example: the whole text is read.
    expect(extractAnswer('Question: How many?\nAnswer: 16').value).toBe('16');
  });
});
