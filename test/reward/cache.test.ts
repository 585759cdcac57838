import { describe, expect, it } from 'vitest';
import { BomError } from '../../src/core/errors.ts';
import { cachedScorer, hashPrompt, ScoreCache } from '../../src/reward/cache.ts';
import { FakeScorer } from '../../src/reward/fake.ts';
import { LogprobScorer } from '../../src/reward/logprob.ts';
import { scorerContract } from './contract.ts';

scorerContract('cached(fake)', () => ({
  scorer: cachedScorer(new FakeScorer(), new ScoreCache()),
  failing: () => cachedScorer(new FakeScorer({ failWith: new Error('boom') }), new ScoreCache()),
  slowCall: (signal) =>
    cachedScorer(new FakeScorer({ delayMs: 10_000 }), new ScoreCache()).score({ prompt: 'p' }, ['a'], signal),
}));

describe('cachedScorer', () => {
  const prompt = { prompt: 'What is 2+2?' };

  it('never caches what is not one finite score per response: it fails, and the next call scores again', async () => {
    let calls = 0;
    const nan = {
      id: 'nan-then-short',
      score: async (_p: unknown, r: readonly unknown[]) => {
        calls++;
        return calls === 1 ? r.map(() => Number.NaN) : r.slice(1).map(() => 1);
      },
    };
    const cache = new ScoreCache();
    const s = cachedScorer(nan, cache);
    for (let i = 0; i < 2; i++) {
      const err = await s.score(prompt, ['a', 'b']).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(BomError);
      expect((err as BomError).code).toBe('reward_invalid_scores');
    }
    expect(calls).toBe(2);
    expect(cache.stats().entries).toBe(0);
  });

  it('scores only misses, once per distinct response, and counts hits and misses', async () => {
    const inner = new FakeScorer();
    const cache = new ScoreCache();
    const s = cachedScorer(inner, cache);
    const first = await s.score(prompt, ['a', 'b', 'a']);
    expect(inner.scored).toEqual(['a', 'b']);
    expect(first[0]).toBe(first[2]);
    const second = await s.score(prompt, ['b', 'c', 'a']);
    expect(inner.scored).toEqual(['a', 'b', 'c']);
    expect(second).toEqual([first[1], (await inner.score(prompt, ['c']))[0], first[0]]);
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 4, entries: 3 });
  });

  it('makes no inner call when everything hits', async () => {
    const inner = new FakeScorer();
    const s = cachedScorer(inner, new ScoreCache());
    await s.score(prompt, ['a']);
    await s.score(prompt, ['a', 'a']);
    expect(inner.calls).toBe(1);
  });

  it('keys by scorer id and by prompt (messages and plain prompt differ)', async () => {
    const cache = new ScoreCache();
    const a = new FakeScorer({ id: 'A' });
    const b = new FakeScorer({ id: 'B' });
    await cachedScorer(a, cache).score(prompt, ['x']);
    await cachedScorer(b, cache).score(prompt, ['x']);
    await cachedScorer(a, cache).score({ prompt: 'other' }, ['x']);
    await cachedScorer(a, cache).score({ messages: [{ role: 'user', content: 'What is 2+2?' }] }, ['x']);
    expect(a.calls + b.calls).toBe(4);
    expect(hashPrompt({ prompt: 'q' })).not.toBe(hashPrompt({ messages: [{ role: 'user', content: 'q' }] }));
  });

  it('is bounded by entries and by bytes, evicting least recently used', async () => {
    const byCount = new ScoreCache({ maxEntries: 2 });
    const s = cachedScorer(new FakeScorer(), byCount);
    await s.score(prompt, ['a', 'b', 'c']);
    expect(byCount.stats().entries).toBe(2);

    const bySize = new ScoreCache({ maxBytes: 600 });
    await cachedScorer(new FakeScorer(), bySize).score(
      prompt,
      Array.from({ length: 50 }, (_, i) => `r${i}`),
    );
    expect(bySize.stats().bytes).toBeLessThanOrEqual(600);
    expect(bySize.stats().entries).toBeLessThan(50);
    expect(bySize.stats().entries).toBeGreaterThan(0);
  });

  it('does not cache a failed call', async () => {
    const cache = new ScoreCache();
    await expect(
      cachedScorer(new FakeScorer({ failWith: new Error('x') }), cache).score(prompt, ['a']),
    ).rejects.toThrow();
    expect(cache.stats().entries).toBe(0);
  });

  it('passes non-cacheable scorers through unchanged', () => {
    const lp = new LogprobScorer();
    expect(cachedScorer(lp, new ScoreCache())).toBe(lp);
  });

  it('forwards ready and close', async () => {
    const inner = new FakeScorer();
    const s = cachedScorer(inner, new ScoreCache());
    await s.ready?.();
    await s.close?.();
    expect(inner.closed).toBe(true);
  });
});
