import { describe, expect, it } from 'vitest';
import { compareAnswers, equivalent } from '../../src/answers/index.ts';

const same: [string, string][] = [
  // integers: sign, separators, AIME zero padding
  ['-5', '-5'],
  ['7425000', '7,425,000'],
  ['1000', '1 000'],
  ['11111111100', '11,\\! 111,\\! 111,\\! 100'],
  ['023', '23'],
  ['+3', '3'],
  // decimals
  ['0.4', '.4'],
  ['5', '5.0'],
  // fractions
  ['\\frac12', '0.5'],
  ['\\dfrac{1}{3}', '\\tfrac13'],
  ['1/2', '\\frac{1}{2}'],
  ['918\\frac{1}{2}', '918.5'],
  ['1 1/2', '1.5'],
  ['\\frac{10}{9}', '10/9'],
  // radicals and constants
  ['\\sqrt3', '\\sqrt{3}'],
  ['10\\sqrt{3} + \\sqrt4', '10\\sqrt3 + \\sqrt{4}'],
  ['\\frac{\\sqrt{3}}{3}', '\\frac{1}{\\sqrt{3}}'],
  ['\\frac{9}{4}\\pi', '\\frac94\\pi'],
  // scientific notation
  ['2.314814814815 \\times 10^{-3}', '\\frac{1}{432}'],
  ['1.5\\times10^{3}', '1500'],
  // percent, degrees, currency, units, text wrappers
  ['10\\%', '10'],
  ['28\\%', '28 percent'],
  ['90^\\circ', '90'],
  ['\\$10', '10'],
  ['10\\text{ cm}^2', '10'],
  ['10 weeks', '10'],
  ['17\\text{ any text}', '17'],
  ['\\text{Evelyn}', 'evelyn'],
  // equations and assignments
  ['x=3', '3'],
  ['k = \\frac{1}{3}', '1/3'],
  ['2x+4y-3=0', 'y=-\\frac{1}{2}x+\\frac{3}{4}'],
  ['x^2/4 + y^2/3 = 1', 'x^2/16 + y^2/12 = 1/4'],
  ['x < 1', '-x > -1'],
  ['x \\geq 5', '5 \\leq x'],
  ['(x, y) = (1, 2)', 'x = 1, y = 2'],
  ['(x, y) = (1, 2)', 'y = 2, x = 1'],
  // expressions with variables
  ['x^2+2x+1', '(x+1)^2'],
  ['\\tan^2(y)+1', '\\sec^2(y)'],
  ['\\sin(90^{\\circ}-x)', '\\cos(x)'],
  ['(2x+3)(2x-1)(2x+1)', '(2x - 1)(2x + 1)(2x + 3)'],
  // tuples, sets, lists, intervals
  ['(1,\\frac{9}{2})', '(1,4.5)'],
  ['\\{1,2,3\\}', '\\{3,2,1\\}'],
  ['1, 2, 3', '1, 3, 2'],
  ['1 \\pm \\sqrt{19}', '1-\\sqrt{19}, 1+\\sqrt{19}'],
  ['[0,1)', '[0, 1)'],
  ['-2 \\le x \\le 7', '[-2,7]'],
  ['x \\in [0.5, \\infty)', '[1/2, \\infty)'],
  ['(-\\infty, 1) \\cup (2, \\infty)', '(2,\\infty)\\cup(-\\infty,1)'],
  // matrices and vectors
  ['\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}', '\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}'],
  ['\\begin{pmatrix} 1 \\\\ 1/2 \\end{pmatrix}', '\\begin{pmatrix} 1 \\\\ 0.5 \\end{pmatrix}'],
  // complex numbers
  ['1+2i', 'i(2-i)'],
  ['\\frac34i', '\\frac{3}{4}i'],
  // plain text: case and spacing
  ['Even', '\\text{even}'],
  ['The  midpoints form a hexagon', 'the midpoints form a hexagon'],
];

const different: [string, string][] = [
  ['(x, y) = (1, 2)', 'x = 2, y = 1'],
  ['(a, b) = (1, 2)', 'x = 1, y = 2'],
  ['5', '500'],
  ['5', '0.05'],
  ['500', '0.05'],
  ['5', '5.001'],
  ['0.3', '\\frac13'],
  // A percent equals its number and its value, but that does not make them equal.
  ['10', '0.1'],
  ['10cm', '10'],
  ['x^2+2x+1', 'x^3+2x+1'],
  ['[0,1)', '(0,1)'],
  ['(1,2)', '(2,1)'],
  ['[1, 2, 3]', '(1, 3, 2)'],
  ['x > 5', 'x < 5'],
  ['\\sin(x)=\\frac{42}{59}', '\\cos(x)=\\frac{42}{59}'],
  ['5x - 7y + 11z + 4 = 0', 'x + y - z + 2 = 0'],
  ['\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}', '\\begin{pmatrix}1 & 2 \\\\ 3 & 5\\end{pmatrix}'],
  ['odd', '\\text{oddd}'],
  ['\\sqrt{67},-\\sqrt{85}', '\\sqrt{67}'],
  ['1+2i', '1-2i'],
  ['2', '\\frac{1+\\sqrt{5}}{2}'],
  ['7 = 11a+c', '11a+c'],
  // rounded decimals are not the exact values they round: only when rounding is asked for
  ['40\\pi', '125.663'],
  ['\\pi', '3.14'],
  ['\\sqrt2', '1.41'],
  ['\\frac73', '2.33'],
];

// A clock that never moves: results must not depend on machine speed (budgets are tested in hostile.test.ts).
const o = { now: () => 0 };

describe('equivalent', () => {
  it.each(same)('%s ≡ %s', (a, b) => {
    expect(equivalent(a, b, o)).toBe(true);
    expect(equivalent(b, a, o)).toBe(true);
  });
  it.each(different)('%s ≢ %s', (a, b) => {
    expect(equivalent(a, b, o)).toBe(false);
    expect(equivalent(b, a, o)).toBe(false);
  });

  it('honours the ordered-list policy', () => {
    expect(equivalent('10, 4, -2', '4, 10, -2')).toBe(true);
    expect(equivalent('10, 4, -2', '4, 10, -2', { listOrder: 'ordered' })).toBe(false);
  });

  it('rounds to a given precision when asked', () => {
    expect(equivalent('1/3', '0.333', { precision: 3 })).toBe(true);
    expect(equivalent('1/3', '0.333', { precision: 4 })).toBe(false);
    expect(equivalent('40\\pi', '125.663', { precision: 2 })).toBe(true);
    expect(equivalent('x + \\sqrt2I', 'x + 1.414I', { precision: 3 })).toBe(true);
    expect(equivalent('x + \\sqrt2I', 'x + 1.414I')).toBe(false);
  });

  it('rounds as the problem text asks', () => {
    const tenth = { problem: 'How long is the diagonal? Round your answer to the nearest tenth.' };
    expect(equivalent('\\sqrt{2}', '1.4', tenth)).toBe(true);
    expect(equivalent('\\sqrt{2}', '1.5', tenth)).toBe(false);
    expect(equivalent('\\pi', '3.14', { problem: 'Express your answer to two decimal places.' })).toBe(true);
    expect(equivalent('\\pi', '3.14', { problem: 'Express your answer as a common fraction.' })).toBe(false);
    expect(equivalent('\\frac{7}{3}', '2.3', { problem: 'to 2 significant figures' })).toBe(true);
    expect(equivalent('2.5', '3', { problem: 'to the nearest whole number' })).toBe(true);
  });

  it('says how it decided', () => {
    expect(compareAnswers('\\frac12', '0.5').how).toBe('key');
    expect(compareAnswers('x^2+2x+1', '(x+1)^2', o)).toMatchObject({
      how: 'function',
      types: ['expression', 'expression'],
    });
    expect(compareAnswers('\\{1,2\\}', '(1,2)', o)).toMatchObject({ equal: false, how: 'set:singleton' });
    expect(compareAnswers('\\{1,2\\}', '1:2', o)).toMatchObject({ equal: false, how: 'never:ratio~set' });
  });
});

describe('options asked for by a grader', () => {
  it('decimal comma only when asked, and never for thousands grouping or lists', () => {
    const o = { decimalComma: true };
    expect(equivalent('1,22', '1.22', o)).toBe(true);
    expect(equivalent('1000,99', '1000.99', o)).toBe(true);
    expect(equivalent('0,111', '0.111', o)).toBe(true);
    expect(equivalent('1,000', '1000', o)).toBe(true);
    expect(equivalent('1,22', '1.22')).toBe(false);
    expect(equivalent('21,16, 11', '21.16, 11', o)).toBe(false);
  });
});

describe('times of day, doubled backslashes, rounded decimals next to variables', () => {
  it.each([
    ['20:34', '20:34:00'],
    ['20:34', '08:34 \\text{P.M.}'],
    ['0:15', '12:15 a.m.'],
    ['\\\\begin{matrix} x \\\\\\\\ \\\\frac12 \\\\end{matrix}', '\\begin{matrix} x \\\\ 0.5 \\end{matrix}'],
  ])('%s ≡ %s', (a, b) => {
    // A semantic test: a generous budget so a cold JIT cannot turn it into a string comparison.
    expect(equivalent(a, b, { budgetMs: 1000 })).toBe(true);
    expect(equivalent(b, a, { budgetMs: 1000 })).toBe(true);
  });
  it.each([
    ['20:34', '8:34'],
    ['8:34 \\text{A.M.}', '20:34'],
    ['7:32', '7:32:10'],
    ['x + 1.414', 'x + 1.415'],
    ['x + \\sqrt2', 'x + 1.42'],
    ['x + \\sqrt2', 'x + 1.4'],
  ])('%s ≢ %s', (a, b) => {
    expect(equivalent(a, b, { budgetMs: 1000 })).toBe(false);
    expect(equivalent(b, a, { budgetMs: 1000 })).toBe(false);
  });
});

describe('set semantics, relation-vs-set direction, non-strict variables', () => {
  const o = { budgetMs: 1000 };
  it('sets ignore repeats; tuples joined by a glued "or" form a list', () => {
    expect(equivalent('(1,2),(3,4)', '(3,4), (1,2), (3,4)', o)).toBe(true);
    expect(equivalent('\\{1, 2\\}', '\\{1, 2, 2\\}', o)).toBe(true);
    expect(equivalent('\\{1, 2\\}', '\\{1, 2, 3\\}', o)).toBe(false);
    expect(equivalent('(1,2)', '(1,2,2)', o)).toBe(false);
    expect(equivalent('(11,7)or(7,11)', '(7,11),\\ (11,7)', o)).toBe(true);
  });
  it("setRelation 'gold-relation': only a relation gold matches a set prediction", () => {
    const g = { ...o, setRelation: 'gold-relation' as const };
    expect(equivalent('-2 \\le x \\le 7', 'x \\in [-2,7]', g)).toBe(true);
    expect(equivalent('x \\in [-2,7]', '-2 \\le x \\le 7', g)).toBe(false);
    expect(equivalent('x \\in [-2,7]', '-2 \\le x \\le 7', o)).toBe(true);
  });
  it('strict false: variable names do not matter', () => {
    expect(equivalent('f(x)', 'f(y)', o)).toBe(false);
    expect(equivalent('f(x)', 'f(y)', { ...o, strict: false })).toBe(true);
    expect(equivalent('x^2+1', 't^2+1', { ...o, strict: false })).toBe(true);
    expect(equivalent('x^2+1', 't^2+2', { ...o, strict: false })).toBe(false);
  });
});
