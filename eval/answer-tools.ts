// The one place eval is wired to the server's answer code (src/answers): the same extraction,
// equivalence and clustering as `bom serve`, never a copy.
import { clusterAnswers, equivalent, extractAnswer } from '../src/answers/index.ts';
import type { AnswerTools } from './prepare.ts';

export const serverAnswerTools: AnswerTools | null = {
  name: 'src/answers',
  extract: (text) => extractAnswer(text),
  // Offline there is no request to keep fast, and a wall-clock budget would make results depend on
  // machine load; per-comparison limits inside src/answers still bound pathological inputs.
  cluster: (answers) => clusterAnswers(answers, { requestBudgetMs: Number.POSITIVE_INFINITY }),
  isCorrect(answer, gold) {
    // Gold answers are bare (`\frac12`, `420`) or, in some files, a solution with \boxed{}.
    const g = extractAnswer(gold, { bare: true }).value;
    return g !== null && answer.value !== null && equivalent(g, answer.value);
  },
};
