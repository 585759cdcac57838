import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScoring } from '../../eval/scoring.ts';
import { openStore, type ProblemRecord } from '../../eval/store.ts';
import { cachedScorer, FakeScorer, ScoreCache } from '../../src/reward/index.ts';

const records: ProblemRecord[] = ['a', 'b', 'c'].map((id) => ({
  id,
  prompt: `q ${id}`,
  gold: '1',
  samples: [{ text: 'same' }, { text: 'same' }, { text: `other ${id}`, reward: 7 }],
}));

describe('bom score', () => {
  it('adds rewards to unscored samples, keeps recorded ones, scores duplicates once, and resumes', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bom-score-')), 'scored.jsonl');
    const fake = new FakeScorer({ fn: (r) => r.length });
    const scorer = cachedScorer(fake, new ScoreCache());
    let out = openStore(file);
    const first = await runScoring({ records: records.slice(0, 2), out, scorer, concurrency: 1 });
    out.close();
    expect(first).toMatchObject({ written: 2, scoredSamples: 4, failed: [] });
    // 'same' under prompt a, then under prompt b: the cache is keyed by prompt too.
    expect(fake.scored).toEqual(['same', 'same']);
    out = openStore(file);
    const second = await runScoring({ records, out, scorer, concurrency: 2 });
    out.close();
    expect(second).toMatchObject({ skipped: 2, written: 1 });
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ProblemRecord);
    expect(lines.map((l) => l.id)).toEqual(['a', 'b', 'c']);
    expect(lines[0]?.samples.map((s) => s.reward)).toEqual([4, 4, 7]);
    expect(lines[0]?.meta?.['scorer']).toBe('fake');
  });

  it('a failing scorer leaves the problem out (named) so a rerun retries it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bom-score-')), 'scored.jsonl');
    const out = openStore(file);
    const report = await runScoring({
      records: records.slice(0, 1),
      out,
      scorer: new FakeScorer({ failWith: new Error('model exploded') }),
      concurrency: 1,
    });
    out.close();
    expect(report.failed).toEqual([{ id: 'a', error: expect.stringContaining('model exploded') }]);
    expect(report.written).toBe(0);
  });

  it('a scorer that returns NaN or too few scores fails the problem instead of writing rewards (NaN would be stored as null)', async () => {
    for (const fn of [
      (r: readonly unknown[]) => r.map(() => Number.NaN),
      (r: readonly unknown[]) => r.slice(1).map(() => 1),
    ]) {
      const file = join(mkdtempSync(join(tmpdir(), 'bom-score-')), 'scored.jsonl');
      const out = openStore(file);
      const report = await runScoring({
        records: records.slice(0, 1),
        out,
        scorer: { id: 'broken', cacheable: false, score: async (_p, r) => fn(r) },
        concurrency: 1,
      });
      out.close();
      expect(report.written).toBe(0);
      expect(report.failed).toEqual([{ id: 'a', error: expect.stringContaining('broken') }]);
      expect(readFileSync(file, 'utf8')).toBe('');
    }
  });
});
