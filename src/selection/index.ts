// The one selection pipeline, used by the server and by offline evaluation (a parity test keeps
// them equal): the voting rule, the answer service, lazy scores and the strategy call.
export { type AnswerService, type ClusterContext, mathAnswers, offlineMathAnswers } from './answers.ts';
export {
  ADAPTIVE_DEFAULTS,
  type AdaptiveRule,
  type AdaptiveSettings,
  adaptiveSettings,
  betaLeadConfidence,
  binomialCdf,
  type Criterion,
  criterionOf,
  decideStop,
  incompleteBetaInt,
  overtakeChance,
  reachChance,
  regretChance,
  scoreTargets,
  scoringOrder,
  type StopDecision,
  type StopState,
  windowFor,
} from './adaptive.ts';
export { type LazyScores, lazyScores, type ScoreSamples, scoresFromArray } from './lazy-scores.ts';
export { type PipelineInput, type PipelineResult, runPipeline } from './pipeline.ts';
export {
  type Ballot,
  castVotes,
  readBallot,
  truncatedPositions,
  type VotingSample,
  voidsTruncated,
} from './votes.ts';
export {
  cutPoint,
  DEFAULT_WARMUP,
  ONLINE_CONSENSUS,
  type OnlineRule,
  type OnlineState,
  onlineRule,
  onlineStop,
  warmupThreshold,
} from './online.ts';
