// The confidence and self-certainty scorers: the shared scorer contract, and exact values from the
// per-token arrays the fan-out computes (`toSample`) out of hand-made top-logprob lists.
import { describe, expect, it } from 'vitest';
import { BomError, ScoresUnavailable, tokenConfidence, tokenSelfCertainty } from '../../src/core/index.ts';
import { ConfidenceScorer, SelfCertaintyScorer } from '../../src/reward/index.ts';
import { toSample } from '../../src/upstream/fanout.ts';
import { scorerContract } from './contract.ts';

/** Deterministic top-3 lists per character of the text, as an upstream's logprobs would arrive. */
function withTopLogprobs(text: string) {
  const lists = [...text].slice(0, 12).map((c) => {
    const a = -((c.charCodeAt(0) % 7) + 1) / 10;
    return [a, a - 1, a - 2 - (c.charCodeAt(0) % 3)];
  });
  return {
    text,
    tokenConfidence: lists.map(tokenConfidence),
    tokenSelfCertainty: lists.map(tokenSelfCertainty),
  };
}

scorerContract('confidence', () => ({
  scorer: new ConfidenceScorer({ window: 4 }),
  response: withTopLogprobs,
  failing: () => new ConfidenceScorer(),
}));

scorerContract('self-certainty', () => ({
  scorer: new SelfCertaintyScorer(),
  response: withTopLogprobs,
  failing: () => new SelfCertaintyScorer(),
}));

describe('confidence scorers on what the fan-out reads', () => {
  const ln = Math.log;
  // Chat choice with three tokens, top-2 each: C_t = 0.5·(−log p1 − log p2).
  const choice = {
    index: 0,
    finish_reason: 'stop',
    message: { role: 'assistant', content: 'abc' },
    logprobs: {
      content: [
        [ln(0.9), ln(0.1)],
        [ln(0.5), ln(0.5)],
        [ln(0.99), ln(0.01)],
      ].map((top) => ({
        token: 't',
        logprob: top[0],
        top_logprobs: top.map((logprob) => ({ token: 't', logprob })),
      })),
    },
  };

  it('toSample computes C_t and self-certainty per token', () => {
    const s = toSample('chat', choice, 0);
    expect(s.tokenConfidence).toEqual([
      Math.round((-(ln(0.9) + ln(0.1)) / 2) * 1e6) / 1e6,
      Math.round(ln(2) * 1e6) / 1e6,
      Math.round((-(ln(0.99) + ln(0.01)) / 2) * 1e6) / 1e6,
    ]);
    expect(s.tokenSelfCertainty?.[1]).toBe(0);
    // completions: top_logprobs as {token: logprob} dicts
    const c = toSample(
      'completion',
      {
        text: 'ab',
        logprobs: { token_logprobs: [-0.1, -0.2], top_logprobs: [{ a: -0.1, b: -3 }, { c: -0.2 }] },
      },
      0,
    );
    expect(c.tokenConfidence).toEqual([1.55, 0.2]);
    // no top lists: no confidences
    expect(
      toSample(
        'chat',
        { ...choice, logprobs: { content: [{ token: 't', logprob: -1, top_logprobs: [] }] } },
        0,
      ).tokenConfidence,
    ).toBeUndefined();
  });

  it('scores the trace: lowest window, tail, bottom fraction; self-certainty is the mean', async () => {
    const r = { text: 'x', tokenConfidence: [5, 4, 1, 2, 6, 6], tokenSelfCertainty: [1, 2, 3] };
    expect(await new ConfidenceScorer({ window: 2 }).score({ prompt: '' }, [r])).toEqual([1.5]);
    expect(await new ConfidenceScorer({ window: 2, variant: 'tail' }).score({ prompt: '' }, [r])).toEqual([
      6,
    ]);
    expect(
      await new ConfidenceScorer({ window: 2, variant: 'bottom-fraction', fraction: 0.4 }).score(
        { prompt: '' },
        [r],
      ),
    ).toEqual([2]);
    expect(await new SelfCertaintyScorer().score({ prompt: '' }, [r])).toEqual([2]);
  });

  it('without top logprobs: ScoresUnavailable naming the response and what to do', async () => {
    const err = await new ConfidenceScorer()
      .score({ prompt: '' }, [{ text: 'a', logprobs: [-1] }])
      .catch((e) => e);
    expect(err).toBeInstanceOf(ScoresUnavailable);
    expect(err).toBeInstanceOf(BomError);
    expect(err.code).toBe('logprobs_missing');
    expect(err.message).toMatch(/response 0 has no top logprobs.*top_logprobs: 20/);
  });

  it('asks for top logprobs, is not cacheable, names its settings in its id', () => {
    const s = new ConfidenceScorer({ variant: 'tail', window: 64, topLogprobs: 5 });
    expect([s.needsLogprobs, s.cacheable, s.topLogprobs, s.id]).toEqual([
      true,
      false,
      5,
      'confidence:tail:64:top5',
    ]);
    expect(new SelfCertaintyScorer().id).toBe('self-certainty:top20');
  });
});
