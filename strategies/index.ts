export { bestOfMajority } from './best-of-majority.ts';
export { bestOfN } from './best-of-n.ts';
export type { RankContext, RankResult, SelectionInput, Strategy } from './define.ts';
export { defineStrategy, parseStrategyOptions } from './define.ts';
export { majority } from './majority.ts';
export type { StrategyOptions, StrategyOptionsInput } from './options.ts';
export { DEFAULT_ALPHA, minimumVotes, strategyOptionsSchema } from './options.ts';
export { getStrategy, strategies, strategyNames } from './registry.ts';
export { weightedMajority } from './weighted-majority.ts';
