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
// - transitivity and budgets: see clusterAnswers.
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
