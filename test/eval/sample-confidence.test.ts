// `bom sample --top-logprobs 20`: the store keeps each token's confidence compactly (token_confidence,
// token_self_certainty, 3 decimals) and the full top-k lists only on request; `bom replay` serves them
// back so the server computes the same confidences.
import { describe, expect, it } from 'vitest';
import { parseStore } from '../../eval/store.ts';
import { upstreamDraw } from '../../eval/upstream-draw.ts';
import { createReplay, replayUpstream } from '../../src/upstream/replay/index.ts';
import { toSample } from '../../src/upstream/fanout.ts';
import { recordedProblems } from '../fixtures/recorded.ts';

const ln = Math.log;
const top = (ps: number[]) => ps.map((p, j) => ({ token: `t${j}`, logprob: ln(p) }));
const problems = recordedProblems(
  JSON.stringify({
    id: 'q',
    prompt: 'What is 1+1?',
    samples: [
      {
        text: '\\boxed{2}',
        logprobs: [ln(0.9), ln(0.5)],
        top_logprobs: [top([0.9, 0.05, 0.05]), top([0.5, 0.25, 0.25])],
      },
    ],
  }),
);
const settings = {
  nMode: 'parallel' as const,
  concurrency: 1,
  retries: 0,
  retryBaseMs: 1,
  sampleTimeoutMs: 5000,
  deadlineMs: 5000,
};
const bench = { id: 'q', prompt: 'What is 1+1?', gold: '2' } as never;

describe('token confidences in the sample store', () => {
  it('keeps C_t and self-certainty rounded; full lists only on request; replay serves them back', async () => {
    const upstream = replayUpstream(createReplay({ problems }));
    const params = { logprobs: true, top_logprobs: 3 };
    const draw = upstreamDraw({ upstream, model: 'm', params, settings });
    const got = await draw(bench, [0], new AbortController().signal);
    const s = got.samples[0]!;
    const c0 = -(ln(0.9) + 2 * ln(0.05)) / 3;
    expect(s.token_confidence).toEqual([
      Math.round(c0 * 1000) / 1000,
      Math.round(((ln(2) + 2 * ln(4)) / 3) * 1000) / 1000,
    ]);
    expect(s.token_self_certainty).toHaveLength(2);
    expect(s.top_logprobs).toBeUndefined();
    const full = await upstreamDraw({ upstream, model: 'm', params, settings, keepTopLogprobs: true })(
      bench,
      [0],
      new AbortController().signal,
    );
    expect(full.samples[0]!.top_logprobs?.[1]?.map((e) => e.logprob)).toEqual(
      top([0.5, 0.25, 0.25]).map((e) => e.logprob),
    );

    // The compact record alone, served back: the server's C_t equals the stored one.
    const line = JSON.stringify({
      id: 'q',
      prompt: 'What is 1+1?',
      samples: [{ text: s.text, token_confidence: s.token_confidence }],
    });
    const compact = parseStore(line, 'store').records;
    const res = await replayUpstream(createReplay({ problems: compact })).chat(
      { model: 'm', messages: [{ role: 'user', content: 'What is 1+1?' }], logprobs: true, top_logprobs: 20 },
      { signal: new AbortController().signal },
    );
    const choice = (res['choices'] as Record<string, unknown>[])[0]!;
    expect(toSample('chat', choice, 0).tokenConfidence).toEqual(s.token_confidence);
  });
});
