// Public surface of src/reward: what the server, `bom score` and tests import.
export { cachedScorer, hashPrompt, hashText, ScoreCache } from './cache.ts';
export type { ScoreCacheOptions, ScoreCacheStats } from './cache.ts';
export { scoreCacheConfigSchema, scorerConfigSchema } from './config.ts';
export type { ScoreCacheConfig, ScorerConfig, ScorerConfigInput } from './config.ts';
export { FakeScorer, fakeScore } from './fake.ts';
export type { FakeScorerOptions } from './fake.ts';
export { HttpScorer } from './http.ts';
export type { HttpProtocol, HttpScorerOptions } from './http.ts';
export { ConfidenceScorer, type ConfidenceScorerOptions, SelfCertaintyScorer } from './confidence.ts';
export { LogprobScorer } from './logprob.ts';
export type { LogprobScorerOptions } from './logprob.ts';
export { createScorer } from './factory.ts';
export type { CreateScorerOptions } from './factory.ts';
export { buildScorerRegistry, type RewardSection, ScorerRegistry, type ScorerReadiness } from './registry.ts';
export { chatMessages, checkScores, promptText, responseText } from './scorer.ts';
export type { ChatMessage, ScorePrompt, ScoreResponse, Scorer } from './scorer.ts';
export { TransformersScorer } from './transformers.ts';
export type { TransformersScorerOptions } from './transformers.ts';
