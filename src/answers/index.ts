// Public surface of answer handling: extraction, typed answer values, equivalence and clustering (pure,
// no I/O). docs/answers.md has the types, the type-pair table with an example per rule, and the policies:
// - every answer parses into a typed value (number, complex, expression, relation, assignment, tuple, set,
//   list, interval, matrix, quantity, choice, ratio, text); one table decides each pair of types, and a
//   pair not in it is never equal (`never:ratio~set`).
// - numbers: exact values compare exactly; a rounded decimal is not an irrational or non-terminating value
//   (`3.14` ≠ π) unless `precision`, `tolerance` or the `problem` text asks for rounding.
// - percent: the sign is dropped, `10\%` = `10`, unless a problem text never says "percent" (then 10% =
//   0.1); never both. Degrees: `90^\circ` = `90` = π/2 (the sign written). Ratios: `3:2` = 3/2 = `6:4`.
//   Units: quantities with exact factors, `5 cm` = `0.05 m`, a bare number takes the other side's unit,
//   dimensions never mix; `10cm` ≠ 10. Bases: `101_2` = `101` ≠ 5.
// - assignments keep their names (`x=2` ≠ `y=2`; maps are order-free); sets ≠ tuples; bare lists are sets
//   unless `listOrder: 'ordered'`.
// - extraction is linear in the text and bounded (LIMITS.maxAnswerChars); a truncated `\boxed{` is no answer.
// - budgets count operations (LIMITS.comparisonWork, requestWork), never time: verdicts are the same on
//   any machine; `budgetMs`/`requestBudgetMs` are mapped by LIMITS.workPerMs, `now` is ignored.
export { type CheckResult, checkAnswer } from './check.ts';
export {
  type AnswerClustering,
  type AnswerClusterOptions,
  type ClusterOptions,
  clusterAnswers,
  clusterByKey,
  fromGroups,
} from './cluster.ts';
export {
  compareAnswers,
  type EquivalenceOptions,
  equivalent,
  typeRules,
  type Verdict,
} from './equivalent.ts';
export { type ExtractOptions, type ExtractRule, extractAnswer } from './extract.ts';
export { LIMITS } from './limits.ts';
export { type AnswerType, type Normalized, type NormalizeOptions, normalize } from './normalize.ts';
