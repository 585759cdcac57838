// `bom sample` without the CLI: for each benchmark problem not yet in the store, draw N samples and
// append one line. Problems run concurrently under a cap. Nothing paid for is dropped: a problem
// whose samples did not all arrive (upstream failures, or the run interrupted) is written with the
// samples it got and the indices still `missing`; a rerun draws only those (sample i keeps seed + i)
// and appends the merged pool as a new line, which supersedes the partial one (last line wins).
import { BomError } from '../src/core/index.ts';
import { type AnswerService, readBallot } from '../src/selection/index.ts';
import type { BenchmarkProblem } from './benchmarks.ts';
import { type ProblemRecord, type SampleStore, type StoredSample, sampleIndices } from './store.ts';

export interface DrawnSamples {
  readonly samples: readonly StoredSample[];
  /** The fan-out index of each sample that arrived (one of the indices asked for), in order. */
  readonly indices: readonly number[];
  /** How many of the requested samples failed, and the last failure's message. */
  readonly failures: number;
  readonly lastError?: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly model?: string | null;
}

/**
 * Draws the samples at these fan-out indices for one problem (0..N-1 at first, the missing ones on a
 * top-up; sample i is sent with seed + i). The upstream fan-out in production, a fake in tests.
 * When the signal aborts it should return what already arrived rather than throw.
 */
export type DrawFn = (
  problem: BenchmarkProblem,
  indices: readonly number[],
  signal: AbortSignal,
) => Promise<DrawnSamples>;

/** `i/n` (0 ≤ i < n): keep the problems at positions ≡ i mod n, to split a benchmark across machines. */
export function parseShard(value: string | undefined): { index: number; count: number } | null {
  if (value === undefined || value === '') return null;
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count) {
    throw new BomError(`--shard should be i/n with 0 ≤ i < n, got '${value}'`, {
      code: 'invalid_option',
      param: 'shard',
    });
  }
  return { index, count };
}

export function selectProblems(
  problems: readonly BenchmarkProblem[],
  options: { shard?: { index: number; count: number } | null; limit?: number },
): BenchmarkProblem[] {
  const sharded = options.shard
    ? problems.filter((_, i) => i % options.shard!.count === options.shard!.index)
    : [...problems];
  return options.limit === undefined ? sharded : sharded.slice(0, options.limit);
}

export interface SamplingOptions {
  problems: readonly BenchmarkProblem[];
  store: SampleStore;
  draw: DrawFn;
  n: number;
  /** Problems in flight at once. */
  concurrency: number;
  /** Records each sample's own answer (the server's extraction, reasoning fallback included). */
  answers?: AnswerService;
  /**
   * Accept incomplete pools: a problem already in the store with samples missing is not topped up,
   * and a problem left short in this run is not counted as failed. (Short pools are written either way.)
   */
  allowPartial?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; samples: number; tokens: number; failed: number }) => void;
  extraMeta?: Record<string, unknown>;
}

export interface SamplingReport {
  /** Already in the store (resumed past). */
  skipped: number;
  /** Lines appended: new problems and topped-up ones, complete or not. */
  written: number;
  /** Of those, problems that were in the store with samples missing and were drawn again. */
  toppedUp: number;
  /** Problems whose pool is still short after this run (written, with `missing`, unless no sample arrived). */
  incomplete: number;
  /** Problems still short (unless allowPartial) or that failed outright: a rerun draws what is missing. */
  failed: { id: string; error: string }[];
  samples: number;
  tokens: number;
}

interface Job {
  readonly problem: BenchmarkProblem;
  /** The partial pool already in the store, when this is a top-up. */
  readonly prior?: ProblemRecord;
  /** Fan-out indices to draw. */
  readonly indices: readonly number[];
}

export async function runSampling(o: SamplingOptions): Promise<SamplingReport> {
  const jobs: Job[] = [];
  let skipped = 0;
  for (const problem of o.problems) {
    const prior = o.store.existing.get(problem.id);
    if (prior === undefined) {
      if (o.store.has(problem.id)) skipped++;
      else jobs.push({ problem, indices: Array.from({ length: o.n }, (_, i) => i) });
    } else if ((prior.missing?.length ?? 0) > 0 && !o.allowPartial) {
      jobs.push({ problem, prior, indices: prior.missing! });
    } else skipped++;
  }
  const report: SamplingReport = {
    skipped,
    written: 0,
    toppedUp: 0,
    incomplete: 0,
    failed: [],
    samples: 0,
    tokens: 0,
  };
  const signal = o.signal ?? new AbortController().signal;
  let next = 0;
  let done = 0;
  const tick = () =>
    o.onProgress?.({
      done,
      total: jobs.length,
      samples: report.samples,
      tokens: report.tokens,
      failed: report.failed.length,
    });

  const worker = async () => {
    while (next < jobs.length && !signal.aborted) {
      const job = jobs[next++]!;
      const { problem } = job;
      try {
        // An aborted draw returns what already arrived; it is written below like any short pool.
        const got = await o.draw(problem, job.indices, signal);
        report.samples += got.samples.length;
        report.tokens += got.completionTokens;
        const service = o.answers;
        const fresh = service
          ? got.samples.map((s) => ({
              ...s,
              answer: readBallot(
                { text: s.text, reasoning: s.reasoning_content, finishReason: s.finish_reason ?? null },
                service,
              ).answer.value,
            }))
          : [...got.samples];
        const record = merged(o, job, got, fresh);
        // Nothing arrived: nothing to keep, and the store already says what is missing (or a rerun
        // draws the problem from scratch).
        if (got.samples.length > 0) {
          o.store.append(record);
          report.written++;
          if (job.prior) report.toppedUp++;
        }
        const missing = record.missing?.length ?? 0;
        if (missing > 0) {
          report.incomplete++;
          if (!o.allowPartial) {
            const n = record.samples.length + (record.missing?.length ?? 0);
            const kept = got.samples.length > 0 ? '; kept, a rerun draws only the missing ones' : '';
            const why = signal.aborted ? ': interrupted' : got.lastError ? `: ${got.lastError}` : '';
            report.failed.push({
              id: problem.id,
              error: `${n - missing}/${n} samples${why}${kept}`,
            });
          }
        }
      } catch (err) {
        if (signal.aborted) break;
        report.failed.push({ id: problem.id, error: err instanceof Error ? err.message : String(err) });
      }
      done++;
      tick();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, jobs.length)) }, worker));
  return report;
}

/** The pool after this draw: earlier samples and new ones by fan-out index, the rest `missing`. */
function merged(
  o: SamplingOptions,
  job: Job,
  got: DrawnSamples,
  fresh: readonly StoredSample[],
): ProblemRecord {
  const { problem, prior } = job;
  const byIndex = new Map<number, StoredSample>();
  if (prior) {
    sampleIndices(prior).forEach((i, j) => {
      byIndex.set(i, prior.samples[j]!);
    });
  }
  const asked = new Set(job.indices);
  if (got.indices.length !== fresh.length)
    throw new Error(`draw returned ${fresh.length} samples but ${got.indices.length} indices`);
  got.indices.forEach((i, j) => {
    if (!asked.has(i) || byIndex.has(i)) throw new Error(`draw returned sample index ${i}, not asked for`);
    byIndex.set(i, fresh[j]!);
  });
  const n = prior ? prior.samples.length + job.indices.length : job.indices.length;
  const samples: StoredSample[] = [];
  const missing: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = byIndex.get(i);
    if (s) samples.push(s);
    else missing.push(i);
  }
  const usage = {
    prompt_tokens: got.promptTokens + priorUsage(prior, 'prompt_tokens'),
    completion_tokens: got.completionTokens + priorUsage(prior, 'completion_tokens'),
  };
  const base: ProblemRecord = prior
    ? {
        ...prior,
        samples,
        meta: { ...(got.model ? { model: got.model } : {}), ...prior.meta, usage },
      }
    : {
        id: problem.id,
        ...(problem.prompt !== undefined ? { prompt: problem.prompt } : {}),
        ...(problem.messages !== undefined ? { messages: problem.messages } : {}),
        gold: problem.gold,
        samples,
        meta: {
          ...problem.meta,
          ...o.extraMeta,
          ...(got.model ? { model: got.model } : {}),
          usage,
        },
      };
  const { missing: _drop, ...rest } = base;
  return missing.length > 0 ? { ...rest, missing } : rest;
}

/** Tokens already paid for this problem (meta.usage of its partial line), so usage stays the total. */
function priorUsage(prior: ProblemRecord | undefined, key: 'prompt_tokens' | 'completion_tokens'): number {
  const usage = prior?.meta?.['usage'];
  const v = typeof usage === 'object' && usage !== null ? (usage as Record<string, unknown>)[key] : undefined;
  return typeof v === 'number' ? v : 0;
}
