// The one place eval is wired to the server's answer code (src/answers): the same extraction,
// equivalence and clustering as `bom serve`, never a copy.
import { clusterAnswers, equivalent, extractAnswer } from '../src/answers/index.ts';
import type { AnswerTools } from './prepare.ts';

/**
 * Offline there is no request to keep fast, and the server's millisecond budgets would make a check
 * fall back to string comparison on a busy machine, i.e. results would depend on load. A generous
 * per-check budget keeps runs reproducible; the structural limits in src/answers still bound
 * pathological inputs.
 */
const OFFLINE = { budgetMs: 1000, requestBudgetMs: Number.POSITIVE_INFINITY } as const;

export const serverAnswerTools: AnswerTools | null = {
  name: 'src/answers',
  extract: (text) => extractAnswer(text),
  cluster: (answers) => clusterAnswers(answers, OFFLINE),
  isCorrect(answer, gold) {
    // Gold answers are bare (`\frac12`, `420`) or, in some files, a solution with \boxed{}.
    const g = extractAnswer(gold, { bare: true }).value;
    return g !== null && answer.value !== null && equivalent(g, answer.value, { budgetMs: OFFLINE.budgetMs });
  },
};
