// The answer service the pipeline is handed: src/answers' extraction and equivalence clustering.
// An interface, so the server, the offline tools and tests can each supply their own.
import { clusterAnswers, equivalent, extractAnswer } from '../answers/index.ts';
import type { Answer, Clustering } from '../core/index.ts';

export interface AnswerService {
  /** `reasoning`: the upstream's separate reasoning_content, searched when the text itself has no answer. */
  extract(text: string, options?: { reasoning?: string }): Answer;
  cluster(answers: readonly Answer[], options: ClusterContext): Clustering;
  /** Whether an answer equals a gold answer (offline grading). */
  isCorrect(answer: Answer, gold: string, context?: { problem?: string | undefined }): boolean;
}

export interface ClusterContext {
  truncated?: ReadonlySet<number> | undefined;
  /**
   * The problem text. A decimal equals an exact value it rounds to only when rounding is asked for,
   * and the problem is where it is asked ("round to the nearest tenth").
   */
  problem?: string | undefined;
}

/** Rounding instructions close the problem statement; a bounded tail keeps each check cheap. */
const PROBLEM_TAIL = 2000;
const tail = (problem: string | undefined) =>
  problem === undefined ? {} : { problem: problem.slice(-PROBLEM_TAIL) };

/**
 * The server's answer code. Its clustering budgets are wall-clock milliseconds (LIMITS in
 * src/answers): a request must never block the event loop for long.
 */
export const mathAnswers: AnswerService = {
  extract: (text, options) =>
    extractAnswer(text, options?.reasoning !== undefined ? { reasoning: options.reasoning } : {}),
  cluster: (answers, { truncated, problem }) =>
    clusterAnswers(answers, { ...(truncated ? { truncated } : {}), ...tail(problem) }),
  isCorrect: (answer, gold, context) => grade(answer, gold, tail(context?.problem)),
};

/**
 * Offline there is no request to keep fast, and the server's millisecond budgets would make a check
 * fall back to string comparison on a busy machine, i.e. results would depend on load. A generous
 * per-check budget keeps runs reproducible; the structural limits in src/answers still bound
 * pathological inputs.
 */
const OFFLINE = { budgetMs: 1000, requestBudgetMs: Number.POSITIVE_INFINITY } as const;

/** The same extraction and equivalence as `mathAnswers`, with budgets that do not depend on load. */
export const offlineMathAnswers: AnswerService = {
  extract: mathAnswers.extract,
  cluster: (answers, { truncated, problem }) =>
    clusterAnswers(answers, { ...(truncated ? { truncated } : {}), ...tail(problem), ...OFFLINE }),
  isCorrect: (answer, gold, context) =>
    grade(answer, gold, { budgetMs: OFFLINE.budgetMs, ...tail(context?.problem) }),
};

function grade(answer: Answer, gold: string, options: { budgetMs?: number; problem?: string }): boolean {
  // Gold answers are bare (`\frac12`, `420`) or, in some files, a solution with \boxed{}.
  const g = extractAnswer(gold, { bare: true }).value;
  return g !== null && answer.value !== null && equivalent(g, answer.value, options);
}
