// Selection strategies: pure functions of clusters (+ lazy scores), each defined with the frame in
// define.ts, registered in registry.ts, and validated by the one options schema in options.ts.
export { bestOfMajority } from './best-of-majority.ts';
export { bestOfN } from './best-of-n.ts';
export { DEFAULT_KEEP, deepconf, deepconfScorer } from './deepconf.ts';
export type { RankContext, RankResult, SelectionInput, Strategy } from './define.ts';
export { defineStrategy, parseStrategyOptions } from './define.ts';
export { majority } from './majority.ts';
export {
  adaptiveSettingsSchema,
  DEFAULT_ALPHA,
  mergeOptions,
  minimumVotes,
  optionFlag,
  optionSubKey,
  parseOptionValue,
  parseSubOptionValue,
  type SelectionConfig,
  selectionConfigSchema,
  selectionFields,
  type SelectionOptions,
  type SelectionRequest,
  selectionRequestSchema,
  type StrategyOptionName,
  strategyOptionFields,
  strategyOptionNames,
  type StrategyOptions,
  type StrategyOptionsInput,
  strategyOptionsSchema,
} from './options.ts';
export {
  getStrategy,
  PASS_THROUGH,
  resolveStrategyName,
  shortNames,
  strategies,
  strategyNames,
} from './registry.ts';
export { weightedMajority } from './weighted-majority.ts';
