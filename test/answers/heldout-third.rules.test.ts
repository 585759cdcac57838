// Unit tests for the rules fixed after the third blind round (heldout-third.txt): binomial notations,
// `\log_e`, a sentence's point after a dollar amount, piecewise `cases`. Each rule has near misses and a
// hostile input, so a rule that merges too much or runs long fails here.
import { describe, expect, it } from 'vitest';
import { checkAnswer, compareAnswers, LIMITS } from '../../src/answers/index.ts';

const eq = (a: string, b: string, problem?: string) =>
  checkAnswer(a, b, problem === undefined ? {} : { problem }).equal;

describe('binomial notations', () => {
  it.each([
    ['{}_{10}C_3', '120'],
    ['{}_{10}C_{3}', '\\binom{10}{3}'],
    ['_{5}C_{2}', '10'],
    ['^{6}C_2', '15'],
    ['{}^nC_k', '\\binom{n}{k}'],
    ['C(10,3)', '120'],
    ['C(10, 3)', '\\dbinom{10}{3}'],
  ])('%s = %s', (a, b) => {
    expect(eq(a, b)).toBe(true);
    expect(eq(b, a)).toBe(true);
  });
  it.each([
    ['{}_{10}C_3', '{}_{10}C_4'],
    ['C(10,3)', '(10,3)'],
    ['x_iC_j', '\\binom{i}{j}'],
    ['AC(1,2)', 'A\\binom{1}{2}'],
    ['C(x,3)', '\\binom{x}{3}'],
  ])('%s ≠ %s', (a, b) => {
    expect(eq(a, b)).toBe(false);
  });
});

describe('log base e', () => {
  it('\\log_e x is ln x, braced or not', () => {
    expect(eq('\\log_e 2', '\\ln 2')).toBe(true);
    expect(eq('\\log_e(5)', '\\ln 5')).toBe(true);
    expect(eq('\\log_e x', '\\ln x')).toBe(true);
    expect(eq('\\log_e 2', '\\log_2 e')).toBe(false);
    expect(eq('\\log_e 2', '\\ln 3')).toBe(false);
  });
});

describe('a point after a dollar amount', () => {
  it('closes the sentence, not the amount', () => {
    expect(eq('\\$4.99.', '4.99')).toBe(true);
    expect(eq('\\$12.', '\\$12')).toBe(true);
    expect(eq('\\$4.99.', '\\$4.9')).toBe(false);
    expect(eq('\\$4.99.', '499')).toBe(false);
  });
});

describe('piecewise cases', () => {
  const f = '\\begin{cases} x+1 & x<0 \\\\ x^2 & x\\ge0 \\end{cases}';
  it('keeps each value with its condition', () => {
    expect(eq(f, '\\begin{cases} x^2 & x\\ge0 \\\\ x+1 & x<0 \\end{cases}')).toBe(true);
    expect(eq(f, '\\begin{cases} x^2 & x<0 \\\\ x+1 & x\\ge0 \\end{cases}')).toBe(false);
    expect(eq(f, '\\begin{cases} x+1 & x\\le0 \\\\ x^2 & x>0 \\end{cases}')).toBe(false);
  });
  it('reads the comma after a value and the word before a condition as punctuation', () => {
    expect(eq(f, '\\begin{cases} x+1, & \\text{if } x<0 \\\\ x^2, & \\text{for } x\\ge0 \\end{cases}')).toBe(
      true,
    );
    expect(eq(f, '\\begin{cases} 1+x & if x<0 \\\\ x^2 & if x\\ge0 \\end{cases}')).toBe(true);
    expect(eq(f, '\\begin{cases} x+1, & \\text{if } x<0 \\\\ x^3, & \\text{if } x\\ge0 \\end{cases}')).toBe(
      false,
    );
  });
  it('a system in cases is still its equations', () => {
    expect(eq('\\begin{cases} x = 1 \\\\ y = 2 \\end{cases}', 'x = 1, y = 2')).toBe(true);
  });
});

describe('the new rules stay bounded on hostile answers', () => {
  it.each([
    ['unclosed cases', '\\begin{cases} & if '.repeat(900)],
    ['cases cells', `\\begin{cases}${'x, & \\text{if } x<0 \\\\ '.repeat(300)}\\end{cases}`],
    ['prefix subscripts', '{}_{1}'.repeat(1500)],
    ['nCk fragments', '_1C_'.repeat(2000)],
    ['C( fragments', 'C(1,'.repeat(2000)],
  ])('%s', (_name, text) => {
    const v = compareAnswers(text, `${text}1`);
    expect(typeof v.equal).toBe('boolean');
    expect(v.work).toBeLessThanOrEqual(LIMITS.comparisonWork + 10_000);
  });
});
