// `bom sample` without the CLI: for each benchmark problem not yet in the store, draw N samples and
// append one line. Problems run concurrently under a cap; a problem whose samples did not all arrive
// is not written (a rerun retries it), so the store only holds complete pools unless asked otherwise.
import { BomError } from '../src/errors.ts';
import type { Answer } from '../src/types.ts';
import type { BenchmarkProblem } from './benchmarks.ts';
import type { SampleStore, StoredSample } from './store.ts';

export interface DrawnSamples {
  readonly samples: readonly StoredSample[];
  /** How many of the requested samples failed, and the last failure's message. */
  readonly failures: number;
  readonly lastError?: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly model?: string | null;
}

/** Draws n samples for one problem (the upstream fan-out in production, a fake in tests). */
export type DrawFn = (problem: BenchmarkProblem, n: number, signal: AbortSignal) => Promise<DrawnSamples>;

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
  /** Records the extracted answer with each sample (the server's extraction). */
  extract?: (text: string) => Answer;
  /** Write problems with fewer than n samples instead of leaving them for a rerun. */
  allowPartial?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; samples: number; tokens: number; failed: number }) => void;
  extraMeta?: Record<string, unknown>;
}

export interface SamplingReport {
  /** Already in the store (resumed past). */
  skipped: number;
  written: number;
  failed: { id: string; error: string }[];
  samples: number;
  tokens: number;
}

export async function runSampling(o: SamplingOptions): Promise<SamplingReport> {
  const todo = o.problems.filter((p) => !o.store.has(p.id));
  const report: SamplingReport = {
    skipped: o.problems.length - todo.length,
    written: 0,
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
      total: todo.length,
      samples: report.samples,
      tokens: report.tokens,
      failed: report.failed.length,
    });

  const worker = async () => {
    while (next < todo.length && !signal.aborted) {
      const problem = todo[next++]!;
      try {
        const got = await o.draw(problem, o.n, signal);
        report.samples += got.samples.length;
        report.tokens += got.completionTokens;
        if (got.samples.length < o.n && !o.allowPartial) {
          report.failed.push({
            id: problem.id,
            error: `${got.samples.length}/${o.n} samples arrived${got.lastError ? `: ${got.lastError}` : ''}`,
          });
        } else {
          const samples = o.extract
            ? got.samples.map((s) => ({ ...s, answer: o.extract!(s.text).value }))
            : [...got.samples];
          o.store.append({
            id: problem.id,
            ...(problem.prompt !== undefined ? { prompt: problem.prompt } : {}),
            ...(problem.messages !== undefined ? { messages: problem.messages } : {}),
            gold: problem.gold,
            samples,
            meta: {
              ...problem.meta,
              ...o.extraMeta,
              ...(got.model ? { model: got.model } : {}),
              usage: { prompt_tokens: got.promptTokens, completion_tokens: got.completionTokens },
            },
          });
          report.written++;
        }
      } catch (err) {
        if (signal.aborted) break;
        report.failed.push({ id: problem.id, error: err instanceof Error ? err.message : String(err) });
      }
      done++;
      tick();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, todo.length)) }, worker));
  return report;
}
