// A scorer that answers with the wrong number of scores, NaN, Infinity or a string must fail the
// selection with one stable error, never rank answers by values that mean nothing (NaN compares
// false both ways, so a sort would pick whatever came first, with no flag).
import { describe, expect, it } from 'vitest';
import { BomError, type Sample } from '../../src/core/index.ts';
import type { Scorer } from '../../src/reward/index.ts';
import { lazyScores, mathAnswers, runPipeline } from '../../src/selection/index.ts';
import { bestOfN } from '../../strategies/index.ts';

const samples: Sample[] = ['\\boxed{1}', '\\boxed{2}', '\\boxed{3}'].map((text, index) => ({
  index,
  text,
  finishReason: 'stop',
}));

/** A non-cacheable scorer (as logprob and confidence are), so no cache stands in between. */
const returning = (fn: (n: number) => unknown[]): Scorer => ({
  id: 'broken',
  cacheable: false,
  score: async (_p, responses) => fn(responses.length) as number[],
});

const BAD: [string, (n: number) => unknown[]][] = [
  ['too few scores', (n) => Array.from({ length: n - 1 }, () => 1)],
  ['too many scores', (n) => Array.from({ length: n + 1 }, () => 1)],
  ['NaN', (n) => Array.from({ length: n }, (_, i) => (i === 1 ? Number.NaN : i))],
  ['Infinity', (n) => Array.from({ length: n }, (_, i) => (i === 0 ? Number.POSITIVE_INFINITY : i))],
  ['a string', (n) => Array.from({ length: n }, (_, i) => (i === 2 ? '7' : i))],
  ['not an array', () => ({ scores: [1, 2, 3] }) as unknown as unknown[]],
];

describe('scores a scorer returns are checked before any strategy reads them', () => {
  for (const [name, fn] of BAD) {
    it(`${name}: the selection fails with reward_invalid_scores naming the scorer`, async () => {
      const err = await runPipeline({
        samples,
        prompt: { prompt: 'q' },
        strategy: bestOfN,
        options: { k: 1 },
        answers: mathAnswers,
        scorer: returning(fn),
      }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(BomError);
      expect((err as BomError).code).toBe('reward_invalid_scores');
      expect((err as BomError).message).toContain('broken');
    });
  }

  it('lazyScores itself rejects a short batch with the same error (offline callers too)', async () => {
    const lazy = lazyScores(async (indices) => indices.slice(1).map(() => 1));
    const err = await lazy
      .scoreClusters([{ id: 0, key: 'a', answer: 'a', members: [0, 1], count: 2, frequency: 1 }])
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(BomError);
    expect((err as BomError).code).toBe('reward_invalid_scores');
  });
});
