export {
  createReplay,
  MAX_REPLAY_N,
  type Replay,
  type ReplayFaults,
  type ReplayOptions,
  type ReplayStats,
} from './app.ts';
export { promptOf, type RecordedProblem, type RecordedSample } from './samples.ts';
export { type FetchHandler, type FetchUpstreamOptions, fetchUpstream, replayUpstream } from './upstream.ts';
