// `bom sample` without the CLI: for each benchmark problem not yet in the store, draw N samples and
// append one line. Problems run concurrently under a cap. Nothing paid for is dropped: a problem
// whose samples did not all arrive (upstream failures, or the run interrupted) is written with the
// samples it got and the indices still `missing`; a rerun draws only those (sample i keeps seed + i)
// and appends the merged pool as a new line, which supersedes the partial one (last line wins).
import { BomError } from '../src/core/index.ts';
import { type AnswerService, readBallot } from '../src/selection/index.ts';
import type { BenchmarkProblem } from './benchmarks.ts';
import {
  type ProblemRecord,
  type SampleStore,
  type StoredSample,
  StoreWriteError,
  sampleIndices,
} from './store.ts';

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
  /**
   * When an append fails (disk full): drawing stops at once (nothing more is paid for), the records
   * not yet written are held in memory and retried every `intervalMs` for up to `holdMs` (free some
   * space meanwhile), or until the signal aborts. Default: every 5 s for 10 minutes.
   */
  storeRetry?: { intervalMs: number; holdMs: number };
  /** Called once, when the first append fails, with what is held in memory (the CLI prints one line). */
  onStoreFailure?: (info: StoreFailure) => void;
}

export interface StoreFailure {
  readonly error: StoreWriteError;
  /** Problems and samples drawn but not written, held in memory while the writes are retried. */
  readonly problems: number;
  readonly samples: number;
  readonly intervalMs: number;
  readonly holdMs: number;
}

export interface SamplingReport {
  /** Already in the store (resumed past). */
  skipped: number;
  /** Lines appended: new problems and topped-up ones, complete or not. */
  written: number;
  /** Of those, problems that were in the store with samples missing and were drawn again. */
  toppedUp: number;
  /** Problems stored with a pool still short after this run (written, with `missing`). */
  incomplete: number;
  /** Problems drawn this run that got no sample at all (interrupted, or every call failed): nothing stored. */
  empty: number;
  /** Drawn but never written (the store's disk stayed full): lost with this process, a rerun draws them again. */
  unwritten: { problems: number; samples: number };
  /** Why writing stopped, when it did (the first append failure). */
  storeError?: string;
  /** Problems never drawn because the run stopped early (interrupted, or the store failed). */
  notDrawn: number;
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
    empty: 0,
    unwritten: { problems: 0, samples: 0 },
    notDrawn: 0,
    failed: [],
    samples: 0,
    tokens: 0,
  };
  const signal = o.signal ?? new AbortController().signal;
  // Aborted by the caller's signal, or by a failed append: no new draw starts, draws in flight stop.
  const stopDrawing = new AbortController();
  const onAbort = () => stopDrawing.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  const drawSignal = stopDrawing.signal;
  let storeFailure: StoreWriteError | null = null;
  let announced = false;
  /** Records drawn but not yet written (the store failed), in draw order. */
  const held: { job: Job; record: ProblemRecord; got: DrawnSamples }[] = [];
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

  /** Counts one problem's outcome once its record is written (or for good not). */
  const account = (job: Job, record: ProblemRecord, got: DrawnSamples, written: boolean) => {
    if (written) {
      report.written++;
      if (job.prior) report.toppedUp++;
    }
    const missing = record.missing?.length ?? 0;
    if (missing === 0 && written) return;
    if (got.samples.length === 0) report.empty++;
    else if (written) report.incomplete++;
    if (written && o.allowPartial) return;
    const n = record.samples.length + missing;
    const why =
      storeFailure && !written && got.samples.length > 0
        ? `: drawn but not written (${storeFailure.errno})`
        : storeFailure
          ? ': drawing stopped (store write failed)'
          : signal.aborted
            ? ': interrupted'
            : got.lastError
              ? `: ${got.lastError}`
              : '';
    const kept = written ? '; kept, a rerun draws only the missing ones' : '; nothing stored';
    report.failed.push({ id: job.problem.id, error: `${n - missing}/${n} samples${why}${kept}` });
  };

  const tryAppend = (record: ProblemRecord): boolean => {
    try {
      o.store.append(record);
      return true;
    } catch (err) {
      if (!(err instanceof StoreWriteError)) throw err;
      storeFailure ??= err;
      return false;
    }
  };

  const worker = async () => {
    while (next < jobs.length && !drawSignal.aborted) {
      const job = jobs[next++]!;
      const { problem } = job;
      try {
        // An aborted draw returns what already arrived; it is written below like any short pool.
        const got = await o.draw(problem, job.indices, drawSignal);
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
        if (got.samples.length === 0) account(job, record, got, false);
        else if (held.length === 0 && tryAppend(record)) account(job, record, got, true);
        else {
          // The store cannot take it (or holds earlier ones): keep it in memory, stop paying for more.
          held.push({ job, record, got });
          if (!announced) {
            announced = true;
            stopDrawing.abort(storeFailure);
            o.onStoreFailure?.({
              error: storeFailure!,
              problems: held.length,
              samples: held.reduce((a, h) => a + h.got.samples.length, 0),
              intervalMs: retry.intervalMs,
              holdMs: retry.holdMs,
            });
          }
        }
      } catch (err) {
        if (drawSignal.aborted) break;
        report.failed.push({ id: problem.id, error: err instanceof Error ? err.message : String(err) });
      }
      done++;
      tick();
    }
  };
  const retry = o.storeRetry ?? { intervalMs: 5000, holdMs: 600_000 };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, jobs.length)) }, worker));

  // Held records: retried until they are written, the hold time runs out, or the caller aborts.
  const holdUntil = performance.now() + retry.holdMs;
  while (held.length > 0) {
    while (held.length > 0 && tryAppend(held[0]!.record)) {
      const h = held.shift()!;
      account(h.job, h.record, h.got, true);
    }
    if (held.length === 0 || signal.aborted || performance.now() + retry.intervalMs > holdUntil) break;
    await sleep(retry.intervalMs, signal);
  }
  for (const h of held) {
    report.unwritten.problems++;
    report.unwritten.samples += h.got.samples.length;
    account(h.job, h.record, h.got, false);
  }
  if (storeFailure) report.storeError = (storeFailure as StoreWriteError).message;
  report.notDrawn = Math.max(0, jobs.length - next);
  signal.removeEventListener('abort', onAbort);
  return report;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
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
