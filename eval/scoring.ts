// `bom score` without the CLI: adds a reward to every sample of every problem, writing a new store.
// Resumable: a problem whose output line (the last one for its id) holds the same samples is skipped.
// One whose input changed since (a partial pool `bom sample` topped up) is scored again, reusing the
// rewards that line already has for the same texts from the same scorer, and appended as a new line
// (last line wins). The scorer is wrapped in the shared score cache, so duplicate responses (common
// when samples agree verbatim) are scored once.
import { checkScores, type Scorer } from '../src/reward/index.ts';
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
  /** Rewards carried over from an earlier output line of the same problem (not scored again). */
  reusedSamples: number;
  failed: { id: string; error: string }[];
}

export async function runScoring(o: ScoringOptions): Promise<ScoringReport> {
  const todo = o.records.filter((r) => {
    const prev = o.out.existing.get(r.id);
    return prev ? !samePool(prev, r) : !o.out.has(r.id);
  });
  const report: ScoringReport = {
    skipped: o.records.length - todo.length,
    written: 0,
    scoredSamples: 0,
    reusedSamples: 0,
    failed: [],
  };
  const signal = o.signal ?? new AbortController().signal;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < todo.length && !signal.aborted) {
      const record = todo[next++]!;
      try {
        // Rewards this scorer already computed for this problem (an earlier, shorter pool).
        const prev = o.out.existing.get(record.id);
        const known = new Map<string, number>();
        if (prev && prev.meta?.['scorer'] === o.scorer.id) {
          for (const s of prev.samples) if (typeof s.reward === 'number') known.set(s.text, s.reward);
        }
        const samples = record.samples.map((s) => ({ ...s }));
        const need: number[] = [];
        samples.forEach((s, i) => {
          if (!o.rescore && typeof s.reward === 'number') return;
          const reward = known.get(s.text);
          if (reward === undefined) need.push(i);
          else {
            s.reward = reward;
            report.reusedSamples++;
          }
        });
        let rewards: number[] = [];
        if (need.length > 0) {
          const prompt = record.messages ? { messages: record.messages } : { prompt: record.prompt ?? '' };
          // A NaN would be written as null (a reward that looks never computed), a short list as holes.
          rewards = checkScores(
            o.scorer.id,
            need.length,
            await o.scorer.score(
              prompt,
              // The object form: logprob and confidence scorers read the stored per-token data.
              need.map((i) => {
                const s = record.samples[i]!;
                return {
                  text: s.text,
                  ...(s.logprobs ? { logprobs: s.logprobs } : {}),
                  ...(s.token_confidence ? { tokenConfidence: s.token_confidence } : {}),
                  ...(s.token_self_certainty ? { tokenSelfCertainty: s.token_self_certainty } : {}),
                };
              }),
              signal,
            ),
          );
        }
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

/** The same samples (by text, in order) and the same missing indices: nothing new to score. */
function samePool(a: ProblemRecord, b: ProblemRecord): boolean {
  const ma = a.missing ?? [];
  const mb = b.missing ?? [];
  return (
    a.samples.length === b.samples.length &&
    a.samples.every((s, i) => s.text === b.samples[i]!.text) &&
    ma.length === mb.length &&
    ma.every((m, i) => m === mb[i])
  );
}
