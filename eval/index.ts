// Offline evaluation's one door: what the `bom` commands (and benchmarks) use. Nothing in src/
// imports eval/ except src/commands, and only through this file.
export { compare } from './ab.ts';
export { simulateTraces, type TraceSimulation } from './confidence-traces.ts';
export { parseArm, parseArms } from './arms.ts';
export { type BenchmarkProblem, loadBenchmark } from './benchmarks.ts';
export { type EvalOptions, type EvalRun, type EvalSummary, evaluate, prepareAll } from './evaluate.ts';
export {
  detectFormat,
  type LoadedSamples,
  loadSamples,
  parseSamples,
  type SampleFormat,
  sampleFormats,
} from './formats.ts';
export { type Arm, clusteringOfDraw, runGrid, trialSeed } from './grid.ts';
export { type OnBadLine, readInputFile, writeOutputFile } from './jsonl.ts';
export { firstCorrectRank, passAtK } from './passk.ts';
export { perProblemRows } from './per-problem.ts';
export { type AnswerMode, type PreparedProblem, prepareProblem } from './prepare.ts';
export { formatProgress, type ProgressState } from './progress.ts';
export { renderAb } from './report-ab.ts';
export { renderHtml } from './report-html.ts';
export { renderTable } from './report-text.ts';
export { parseShard, runSampling, selectProblems } from './sampler.ts';
export { runScoring } from './scoring.ts';
export { simulateRecords, simulationKinds } from './sim-source.ts';
export { simulatePassAtK } from './simulate.ts';
export { openStore, type ProblemRecord, type SampleStore } from './store.ts';
export { majorityTrap, rewardHacking, type SyntheticProblem } from './synthetic.ts';
export { upstreamDraw } from './upstream-draw.ts';
