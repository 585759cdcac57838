import { describe, expect, it } from 'vitest';
import { equivalent, extractAnswer } from '../../src/answers/index.ts';

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

  it('a bare money amount keeps its dollar sign (an escaped \\$ is not a math delimiter)', () => {
    expect(extractAnswer('\\$5', { bare: true })).toMatchObject({ value: '\\$5', rule: 'bare' });
    // Graded against a gold of \$5, 5 cents is another amount, not a bare 5.
    const gold = extractAnswer('\\$5', { bare: true }).value!;
    expect(equivalent(gold, '5 \\text{ cents}')).toBe(false);
    expect(equivalent(gold, '500 \\text{ cents}')).toBe(true);
  });
});

describe('extractAnswer: markers, math regions and fallbacks', () => {
  it.each([
    // The Minerva closing line after the last box wins over intermediate boxes.
    [
      'so \\boxed{200} then \\boxed{255}. Final Answer: The final answer is $10,455$. I hope it is correct.',
      '10,455',
    ],
    // "final answer … is X": the answer follows ` is `.
    ['Final Answer: The volume of $ABCDEFGH$ is 120. I hope it is correct.', '120'],
    ['Final Answer: The largest $n$ is 34.', '34'],
    // Prose after the marker: its first number.
    ['Final Answer: Jane started growing Sphere 3 hours ago.', '3'],
    ['Réponse: Janeth aura encore 220 $ à payer d’ici 12 mois.', '220'],
    ['答案：每份应该是 (\\frac{2}{5}) 吨。', '\\frac{2}{5}'],
    // No marker: whatever comes last, a math region or a plain number (fractions included).
    ['we have $d = \\frac{90}{n}$ so there are 12 sequences.', '12'],
    ['P(A) = 2/3. Therefore the probability is 2/3.', '2/3'],
    // A percent sign after the last number stays with it (`or 37.5%` is 0.375, not 37.5).
    ['the error $$\\frac{a}{b} \\geq 2$$ increases by 100%.', '100\\%'],
    ['Let $x=1$. So $y = 4$.', 'y = 4'],
    // Regions joined by connectors, and boxes joined by one connector word.
    ['the roots are $1$ and $2$ and $3$', '1, 2, 3'],
    ['$21,16$ or $11$', '21,16, 11'],
    ['\\boxed{1} papers and \\boxed{2} bins', '1, 2'],
    ['$y_1 = \\boxed{x+1}$ and $y_2 = \\boxed{x-1}$', 'x+1, x-1'],
    ['\\boxed{(3, 3)} \\text{ for part (a) and } \\boxed{(1, 1)}', '(3, 3), (1, 1)'],
    ['\\boxed{1} no no no no no \\boxed{2}', '2'],
    ['\\boxed{1} and and and or thus but \\boxed{2} and \\boxed{3}', '2, 3'],
    // An escaped dollar stays inside the region; prose between two currency signs is not math.
    ['Answer $ \\frac{1}{2} \\$ = \\frac{10}{9} $', '\\frac{1}{2} \\$ = \\frac{10}{9}'],
    ['how many $? just about 1$', '1'],
    // Multilingual text without markers: the last number, not the whole text as a bare answer.
    ['所以一共有3 + 10 = 13只鸟和鹳鸟。', '13'],
  ])('%s', (text, value) => {
    expect(extractAnswer(text, { bare: true }).value).toBe(value);
  });

  it('inline math never spans a line break', () => {
    expect(extractAnswer('Answer $ \n 9 \n $', { targets: ['latex'] }).value).toBeNull();
    expect(extractAnswer('Answer \\( \n 9 \n \\)', { targets: ['latex'] }).value).toBeNull();
    expect(extractAnswer('Answer $ 9 $', { targets: ['latex'] }).value).toBe('9');
  });

  it('LaTeX-only targets have no plain-number fallback', () => {
    expect(extractAnswer('so it is 9', { targets: ['latex'] }).value).toBeNull();
    expect(extractAnswer('so it is 9').value).toBe('9');
  });

  it.each([
    ['thinking about it I think the correct answer is C', 'C'],
    ["Let's think step by step. It's not A because it doesn't make sense, therefore I think it's B", 'B'],
    ["The answer is for sure D, it can't be A or B", 'D'],
    ["The answer: D, it doesn't make sense for it to be A or B", 'D'],
    ["D. it can't be A or B", 'D'],
    ['(D) Alina', 'D'],
    ['Alina and the answer is\n(C) Cecile', 'C'],
    ['A Peter\nCelina bum', 'A'],
    ['réponse est C non A', 'C'],
    ['B。不是 A', 'B'],
    ['B不是 A', 'B'],
  ])('multiple-choice letter in %j', (text, letter) => {
    expect(extractAnswer(text, { choices: 'ABCD', bare: true })).toMatchObject({
      value: letter,
      rule: 'choice',
    });
  });
});

describe('extractAnswer: rules of the blind extraction round', () => {
  it('a response cut mid-sentence has no answer; a finished one keeps its last number', () => {
    expect(extractAnswer('so the perimeter is $6x = 48$, so')).toMatchObject({
      value: null,
      rule: 'truncated',
    });
    expect(extractAnswer('The count is $(3+1)(2+1) =').rule).toBe('truncated');
    expect(extractAnswer('Therefore there are 12 ways').value).toBe('12');
    // An answer given before the cut still counts.
    expect(extractAnswer('The answer is 12. To verify, $3 \\cdot 4 =').value).toBe('12');
  });

  it('reasoning gives only explicit answers: an unclosed <think> with numbers is no answer', () => {
    expect(extractAnswer('<think>17 students, so 51 pencils. Then the teacher').value).toBeNull();
    expect(extractAnswer('<think>So \\boxed{7}.</think> I hope this helps!').value).toBe('7');
    expect(extractAnswer('', { reasoning: 'the total is 12' }).value).toBeNull();
  });

  it('closing commentary does not supply the last number', () => {
    expect(extractAnswer('So $x = 4$ (since $x > 0$, we discard $x = -3$).').value).toBe('x = 4');
    expect(
      extractAnswer('So she saved 35 dollars. This is because 50 - 15 = 35, and the budget was 50.').value,
    ).toBe('35');
    expect(extractAnswer('Thus the prime is $p = 2$. $\\blacksquare$').value).toBe('p = 2');
    expect(extractAnswer('This completes the proof. $\\square$').value).toBeNull();
    // A remark in parentheses has words; a bare parenthesis is not set aside.
    expect(extractAnswer('So $x = 4$ (2 roots in all)').value).toBe('x = 4');
  });

  it('choice letters in prose, and marker values after fillers', () => {
    expect(extractAnswer('The correct option is B.').value).toBe('B');
    expect(extractAnswer('Thus, (D) is the correct answer.').value).toBe('D');
    expect(extractAnswer('(A) is the only option that works, so I choose A.').value).toBe('A');
    expect(extractAnswer('So the answer is option C.').value).toBe('C');
    expect(extractAnswer('The answer is therefore 14.').value).toBe('14');
    expect(extractAnswer('La réponse est donc 12.').value).toBe('12');
    expect(extractAnswer('所以答案是 5。我们用了 3 个步骤。').value).toBe('5');
    // "what the answer is for n = 5" is not a statement of the answer.
    expect(extractAnswer('We need what the answer is for $n = 5$. So $f(5) = 26$.').value).toBe('f(5) = 26');
  });
});
