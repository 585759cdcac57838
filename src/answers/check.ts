// Grading helper: gold and prediction may each be a full response or a bare answer.
import { type EquivalenceOptions, compareAnswers } from './equivalent.ts';
import { type ExtractOptions, extractAnswer } from './extract.ts';
import { normalize } from './normalize.ts';

export interface CheckResult {
  readonly equal: boolean;
  readonly gold: string | null;
  readonly pred: string | null;
  /** How equality was decided (see Verdict.how), or `no-answer` when either side has none. */
  readonly how: string;
  /** The typed values parsed from the two answers (`number`, `set`, …), null for a side with no answer. */
  readonly types: readonly [string | null, string | null];
}

/** Extraction settings a grader may set: a multiple-choice task, the extraction targets. */
export type CheckOptions = Pick<ExtractOptions, 'choices' | 'targets'>;

export function checkAnswer(
  gold: string,
  pred: string,
  options: EquivalenceOptions & CheckOptions = {},
): CheckResult {
  const g = extractAnswer(gold, { bare: true, ...pickChoices(options) }).value;
  const p = extractAnswer(pred, { bare: true, ...pickChoices(options) }).value;
  if (g === null || p === null) {
    const types = [
      g === null ? null : normalize(g, options).type,
      p === null ? null : normalize(p, options).type,
    ] as const;
    return { equal: false, gold: g, pred: p, how: 'no-answer', types };
  }
  const v = compareAnswers(g, p, options);
  return { equal: v.equal, gold: g, pred: p, how: v.how, types: v.types };
}

function pickChoices(o: CheckOptions): CheckOptions {
  return {
    ...(o.choices === undefined ? {} : { choices: o.choices }),
    ...(o.targets === undefined ? {} : { targets: o.targets }),
  };
}
