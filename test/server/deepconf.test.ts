// deepconf end to end through the official SDK (issue 13): an upstream whose majority answer comes with
// unsure token distributions and whose minority comes with sure ones. bom asks the upstream for
// `top_logprobs: 20` itself, hides them from a client that did not ask, and says so when the upstream
// returns none. Also `selection.confidence` and `min_agreement` abstention.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedProblems } from '../fixtures/recorded.ts';
import { ask, type Loose, type Stack, sel, startStack } from './harness.ts';

const QUESTION = 'What is 5 + 8?';
const NO_LOGPROBS = 'What is 2 + 2?';
const flat = Array.from({ length: 20 }, (_, j) => ({ token: `t${j}`, logprob: Math.log(1 / 20) }));
const peaked = [
  { token: 'x', logprob: -0.001 },
  ...Array.from({ length: 19 }, (_, j) => ({ token: `y${j}`, logprob: -12 })),
];
const trace = (text: string, top: typeof flat, tokens = 6) => ({
  text,
  logprobs: Array.from({ length: tokens }, () => top[0]!.logprob),
  top_logprobs: Array.from({ length: tokens }, () => top),
});

const records = recordedProblems(
  [
    {
      id: 'unsure-majority',
      prompt: QUESTION,
      samples: [
        trace('I guess \\boxed{12}', flat),
        trace('The sum is \\boxed{13}', peaked),
        trace('maybe \\boxed{12}', flat),
        trace('\\boxed{12} perhaps', flat),
        trace('5 + 8 = \\boxed{13}', peaked),
        trace('probably \\boxed{12}', flat),
        trace('\\boxed{12}?', flat),
        trace('Clearly \\boxed{13}', peaked),
      ],
    },
    {
      id: 'no-logprobs',
      prompt: NO_LOGPROBS,
      samples: ['\\boxed{4}', '\\boxed{4}', '\\boxed{5}'].map((text) => ({ text })),
    },
  ]
    .map((r) => JSON.stringify(r))
    .join('\n'),
);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ problems: records });
});
afterAll(() => stack.close());

const create = (content: string, selection: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  stack.client.chat.completions.create({
    model: 'replay-model',
    messages: ask(content),
    seed: 0,
    ...extra,
    ...sel(selection),
  }) as unknown as Promise<Loose>;

describe('deepconf through the official SDK', () => {
  it('returns the sure minority where majority returns the unsure majority', async () => {
    const maj = await create(QUESTION, { strategy: 'majority', samples: 8 });
    expect(maj['choices'][0].selection.answer).toBe('12');
    const dc = await create(QUESTION, { strategy: 'deepconf', samples: 8 });
    expect(dc['choices'][0].selection.answer).toBe('13');
    expect(dc['selection'].fallback).toBe(false);
    expect(dc['selection'].scorer).toMatch(/^confidence:lowest-window:2048/);
    // bom asked the upstream for the top logprobs itself…
    expect(stack.replay.stats.lastBody).toMatchObject({ logprobs: true, top_logprobs: 20 });
    // …and the client, which did not ask, sees none.
    expect(dc['choices'][0].logprobs).toBeNull();
    // Weighted share: 3 sure traces (C ≈ 11.4 each) against 5 unsure (C = log 20 ≈ 3.0).
    const cSure = (0.001 + 19 * 12) / 20;
    const cUnsure = Math.log(20);
    expect(dc['choices'][0].selection.confidence).toBeCloseTo((3 * cSure) / (3 * cSure + 5 * cUnsure), 5);
    expect(dc['selection'].confidence_basis).toBe('weighted_share');
    expect(maj['choices'][0].selection.confidence).toBe(5 / 8);
    expect(maj['selection'].confidence_basis).toBe('vote_share');
  });

  it('keep = 10 keeps only the most confident traces; every variant agrees here', async () => {
    for (const variant of ['lowest-window', 'tail', 'bottom-fraction']) {
      const r = await create(QUESTION, { strategy: 'deepconf', samples: 8, keep: 10, variant, window: 2 });
      expect(r['choices'][0].selection.answer, variant).toBe('13');
      expect(r['choices'][0].selection.confidence).toBe(1);
    }
  });

  it('on /v1/completions too (top logprobs as {token: logprob} maps)', async () => {
    const r = (await stack.client.completions.create({
      model: 'replay-model',
      prompt: QUESTION,
      seed: 0,
      ...sel({ strategy: 'deepconf', samples: 8 }),
    })) as unknown as Loose;
    expect(r['choices'][0].selection.answer).toBe('13');
    expect(r['choices'][0].logprobs).toBeNull();
    expect(stack.replay.stats.lastBody).toMatchObject({ logprobs: 20 });
  });

  it('a client that asked for logprobs gets them, cut to its own top_logprobs', async () => {
    const r = await create(
      QUESTION,
      { strategy: 'deepconf', samples: 8 },
      { logprobs: true, top_logprobs: 2 },
    );
    const content = r['choices'][0].logprobs.content as Loose[];
    expect(content.length).toBe(6);
    for (const t of content) expect(t['top_logprobs']).toHaveLength(2);
  });

  it('an upstream without logprobs: a visible fallback to majority order, never a silent pick', async () => {
    const r = await create(NO_LOGPROBS, { strategy: 'deepconf', samples: 3 });
    expect(r['choices'][0].selection.answer).toBe('4');
    expect(r['selection'].fallback).toBe(true);
    expect(r['selection'].reason).toMatch(/no top logprobs.*fell back to majority order/);
  });

  it('the confidence and self-certainty scorers serve every reward strategy', async () => {
    for (const scorer of ['confidence', 'self-certainty']) {
      const r = await create(QUESTION, { strategy: 'best-of-n', samples: 8, scorer });
      expect(r['choices'][0].selection.answer, scorer).toBe('13');
      expect(r['selection'].fallback).toBe(false);
    }
  });

  it('min_agreement: below it the choice abstains, in a way a plain client sees', async () => {
    const r = await create(QUESTION, { strategy: 'majority', samples: 8, min_agreement: 0.7 });
    const choice = r['choices'][0];
    expect(choice.finish_reason).toBe('stop');
    expect(choice.message.content).toMatch(
      /^bom abstained: the leading answer has confidence 0.625, below min_agreement 0.7/,
    );
    expect(choice.message.refusal).toBe(choice.message.content);
    expect(choice.selection).toMatchObject({ abstained: true, answer: '12', confidence: 0.625 });
    const ok = await create(QUESTION, { strategy: 'majority', samples: 8, min_agreement: 0.6 });
    expect(ok['choices'][0].message.content).toContain('\\boxed{12}');
    expect(ok['choices'][0].selection.abstained).toBeUndefined();
  });

  it('min_agreement abstains in a stream too', async () => {
    const stream = await stack.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(QUESTION),
      seed: 0,
      stream: true,
      ...sel({ strategy: 'majority', samples: 8, min_agreement: 0.9 }),
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toMatch(/^bom abstained/);
  });
});
