import { describe, expect, it } from 'vitest';
import { FakeScorer, fakeScore } from '../../src/reward/fake.ts';
import { scorerContract } from './contract.ts';

scorerContract('fake', () => ({
  scorer: new FakeScorer(),
  failing: () => new FakeScorer({ failWith: new Error('boom') }),
  slowCall: (signal) => new FakeScorer({ delayMs: 10_000 }).score({ prompt: 'p' }, ['a'], signal),
}));

describe('FakeScorer', () => {
  it('is a stable function of the text and counts calls', async () => {
    const f = new FakeScorer();
    expect(await f.score({ prompt: 'p' }, ['a', 'b'])).toEqual([fakeScore('a'), fakeScore('b')]);
    expect(fakeScore('a')).toBeGreaterThanOrEqual(-1);
    expect(fakeScore('a')).toBeLessThan(1);
    expect(f.calls).toBe(1);
    expect(f.scored).toEqual(['a', 'b']);
  });

  it('takes a custom score function of (response, prompt)', async () => {
    const f = new FakeScorer({ fn: (r, p) => r.length + p.length, id: 'len' });
    expect(f.id).toBe('len');
    expect(await f.score({ prompt: 'pp' }, ['abc'])).toEqual([5]);
  });
});
