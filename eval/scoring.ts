// `bom score` without the CLI: adds a reward to every sample of every problem, writing a new store.
// Resumable: problems already in the output are skipped; the scorer is wrapped in the shared score
// cache, so duplicate responses (common when samples agree verbatim) are scored once.
import type { Scorer } from '../src/reward/index.ts';
import type { ProblemRecord, SampleStore } from './store.ts';

export interface ScoringOptions {
  records: readonly ProblemRecord[];
  out: SampleStore;
  scorer: Scorer;
  /** Problems scored at once (each is one scorer call with all its samples). */
  concurrency: number;
  /** Re-score samples that already carry a reward (default: keep them). */
  rescore?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; samples: number; failed: number }) => void;
}

export interface ScoringReport {
  skipped: number;
  written: number;
  scoredSamples: number;
  failed: { id: string; error: string }[];
}

export async function runScoring(o: ScoringOptions): Promise<ScoringReport> {
  const todo = o.records.filter((r) => !o.out.has(r.id));
  const report: ScoringReport = {
    skipped: o.records.length - todo.length,
    written: 0,
    scoredSamples: 0,
    failed: [],
  };
  const signal = o.signal ?? new AbortController().signal;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < todo.length && !signal.aborted) {
      const record = todo[next++]!;
      try {
        const need = record.samples.flatMap((s, i) => (o.rescore || typeof s.reward !== 'number' ? [i] : []));
        let rewards: number[] = [];
        if (need.length > 0) {
          const prompt = record.messages ? { messages: record.messages } : { prompt: record.prompt ?? '' };
          rewards = await o.scorer.score(
            prompt,
            need.map((i) => record.samples[i]!.text),
            signal,
          );
        }
        const samples = record.samples.map((s) => ({ ...s }));
        need.forEach((i, j) => {
          samples[i]!.reward = rewards[j]!;
        });
        o.out.append({ ...record, samples, meta: { ...record.meta, scorer: o.scorer.id } });
        report.written++;
        report.scoredSamples += need.length;
      } catch (err) {
        if (signal.aborted) break;
        report.failed.push({ id: record.id, error: err instanceof Error ? err.message : String(err) });
      }
      done++;
      o.onProgress?.({
        done,
        total: todo.length,
        samples: report.scoredSamples,
        failed: report.failed.length,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, todo.length)) }, worker));
  return report;
}
