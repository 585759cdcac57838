// Grading helper: gold and prediction may each be a full response or a bare answer.
import { type EquivalenceOptions, compareAnswers } from './equivalent.ts';
import { type ExtractOptions, extractAnswer } from './extract.ts';

export interface CheckResult {
  readonly equal: boolean;
  readonly gold: string | null;
  readonly pred: string | null;
  /** How equality was decided (see Verdict.how), or `no-answer` when either side has none. */
  readonly how: string;
}

export function checkAnswer(
  gold: string,
  pred: string,
  options: EquivalenceOptions & Pick<ExtractOptions, 'choices'> = {},
): CheckResult {
  const g = extractAnswer(gold, { bare: true, ...pickChoices(options) }).value;
  const p = extractAnswer(pred, { bare: true, ...pickChoices(options) }).value;
  if (g === null || p === null) return { equal: false, gold: g, pred: p, how: 'no-answer' };
  const v = compareAnswers(g, p, options);
  return { equal: v.equal, gold: g, pred: p, how: v.how };
}

function pickChoices(o: Pick<ExtractOptions, 'choices'>): Pick<ExtractOptions, 'choices'> {
  return o.choices === undefined ? {} : { choices: o.choices };
}
