// Public surface of answer handling: extraction, normalisation, equivalence and clustering (pure, no I/O).
//
// Policies where public checkers disagree (notes/equivalence.md §3):
// - percent: the sign is dropped, `10\%` = `10` (hendrycks, NeMo, MARIO); never also = 0.1, because
//   that would put 10 and 0.1 in one cluster.
// - list order: tuples `(a,b)` and intervals are ordered; sets `\{…\}` and bare lists `a, b` are
//   unordered (solution sets). `listOrder: 'ordered'` gives hendrycks/math's order-sensitive lists.
// - units: words after a number are dropped (`10 weeks`, `10\text{ cm}^2`); a short unit glued to the
//   number is not (`10cm` ≠ 10, as MARIO_EVAL).
// - tolerance: exact rationals compare exactly (`5` ≠ `5.001`); other values within 1e-9 relative;
//   a written decimal with ≥ 3 significant digits matches a value with no short exact decimal form
//   that it rounds to (`0.333` = 1/3). No rule ever rescales by powers of ten.
// - sets and bare lists ignore repeats (`1, 1, 2` = `1, 2`); clock times are `H:MM` (`08:34 P.M.` = `20:34`).
// - extraction without a marker takes whatever comes last, a math region or a plain number; `$…$` never
//   spans a line break; regions or boxes joined by one `and`/`or`/`,` are one answer.
// - grader options, off by default because they would merge things a server must keep apart:
//   `decimalComma` (`1,22` = 1.22), `setRelation: 'gold-relation'` (Math-Verify's one-way rule),
//   `strict: false` (variable names ignored), `precision`, `listOrder: 'ordered'`, and for extraction
//   `choices` (multiple-choice letters) and `targets` (LaTeX only: no plain-number fallback).
// - transitivity and budgets: see clusterAnswers. Default budgets (LIMITS): 2 ms per check and 10 ms of
//   slow-path checks per request; past them answers compare as strings (never a false merge).
export { type CheckResult, checkAnswer } from './check.ts';
export {
  type AnswerClustering,
  type AnswerClusterOptions,
  type ClusterOptions,
  clusterAnswers,
  clusterByKey,
  fromGroups,
} from './cluster.ts';
export { compareAnswers, type EquivalenceOptions, equivalent, type Verdict } from './equivalent.ts';
export { type ExtractOptions, type ExtractRule, extractAnswer } from './extract.ts';
export { LIMITS } from './limits.ts';
export { type Normalized, type NormalizeOptions, normalize } from './normalize.ts';
