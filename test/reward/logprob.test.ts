import { describe, expect, it } from 'vitest';
import { BomError } from '../../src/core/errors.ts';
import { LogprobScorer } from '../../src/reward/logprob.ts';
import type { Sample } from '../../src/core/types.ts';
import { scorerContract } from './contract.ts';

/** Deterministic per-token logprobs derived from the text, as an upstream would send them. */
function withLogprobs(text: string) {
  return { text, logprobs: [...text].slice(0, 8).map((c) => -(c.charCodeAt(0) % 7) / 10) };
}

scorerContract('logprob', () => ({
  scorer: new LogprobScorer(),
  response: withLogprobs,
  failing: () => new LogprobScorer(), // the contract passes plain strings: no logprobs
}));

describe('LogprobScorer', () => {
  it('scores the mean token logprob by default, the sum on request', async () => {
    const r = [{ text: 'a', logprobs: [-1, -3] }];
    expect(await new LogprobScorer().score({ prompt: '' }, r)).toEqual([-2]);
    expect(await new LogprobScorer({ aggregate: 'sum' }).score({ prompt: '' }, r)).toEqual([-4]);
  });

  it('accepts pipeline Samples as they are', async () => {
    const samples: Sample[] = [
      { index: 0, text: 'x', finishReason: 'stop', logprobs: [-0.5] },
      { index: 1, text: 'y', finishReason: 'stop', logprobs: [-0.1, -0.3] },
    ];
    const scores = await new LogprobScorer().score({ prompt: 'q' }, samples);
    expect(scores[0]).toBeCloseTo(-0.5);
    expect(scores[1]).toBeCloseTo(-0.2);
  });

  it('names the response without logprobs, or substitutes the configured score', async () => {
    const err = await new LogprobScorer()
      .score({ prompt: '' }, [{ text: 'a', logprobs: [-1] }, 'b'])
      .catch((e) => e);
    expect(err).toBeInstanceOf(BomError);
    expect(err.code).toBe('logprobs_missing');
    expect(err.message).toContain('response 1');
    expect(
      await new LogprobScorer({ missing: -99 }).score({ prompt: '' }, ['b', { text: 'e', logprobs: [] }]),
    ).toEqual([-99, -99]);
  });

  it('is not cacheable (same text, other logprobs)', () => {
    expect(new LogprobScorer().cacheable).toBe(false);
  });
});
