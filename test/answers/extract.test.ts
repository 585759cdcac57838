import { describe, expect, it } from 'vitest';
import { extractAnswer } from '../../src/answers/index.ts';

describe('extractAnswer', () => {
  it.each([
    ['We get $x = \\boxed{\\frac{1}{2}}$.', '\\frac{1}{2}', 'boxed'],
    ['nested \\boxed{\\frac{\\sqrt{3}}{2}} end', '\\frac{\\sqrt{3}}{2}', 'boxed'],
    ['first \\boxed{1}, later \\fbox{2}', '2', 'boxed'],
    ['roots \\boxed{1} and \\boxed{-2}', '1, -2', 'boxed'],
    ['Final Answer: The final answer is $7$. I hope it is correct.', '7', 'final-answer'],
    ['So the answer is 42.', '42', 'answer-is'],
    ['Answer: 3.5', '3.5', 'answer-is'],
    ['blah\n#### 1,234', '1234', 'gsm8k'],
    ['thus we find $x=3$ here', 'x=3', 'math-delimited'],
    ['I think 12 apples, maybe 13', '13', 'last-number'],
  ])('%s', (text, value, rule) => {
    const a = extractAnswer(text);
    expect(a.value).toBe(value);
    expect(a.rule).toBe(rule);
    expect(a.key).not.toBeNull();
  });

  it('strips <think> reasoning and falls back to it', () => {
    expect(extractAnswer('<think>maybe \\boxed{5}</think>It is \\boxed{6}').value).toBe('6');
    const r = extractAnswer('<think>so \\boxed{5}</think>');
    expect(r).toMatchObject({ value: '5', rule: 'boxed:reasoning' });
    expect(extractAnswer('', { reasoning: 'the answer is 9' })).toMatchObject({
      value: '9',
      rule: 'answer-is:reasoning',
    });
    expect(extractAnswer('<think>unfinished and no answer').rule).toBe('no-answer');
  });

  it('multiple-choice letters when the task says so', () => {
    expect(extractAnswer('The answer is \\boxed{(C)}', { choices: 'ABCD' })).toMatchObject({
      value: 'C',
      rule: 'choice',
    });
    expect(extractAnswer("It's not A, therefore B", { choices: 'ABCD' })).toMatchObject({
      value: 'B',
      rule: 'choice',
    });
  });

  it('says why nothing was found', () => {
    expect(extractAnswer('')).toMatchObject({ value: null, key: null, rule: 'empty' });
    expect(extractAnswer('no digits here')).toMatchObject({ value: null, rule: 'no-answer' });
  });

  it('bare answers only when asked', () => {
    expect(extractAnswer('x^2+1', { bare: true })).toMatchObject({ value: 'x^2+1', rule: 'bare' });
    expect(extractAnswer('x^2+1').value).toBe('1');
  });
});
