// deepconf online (issue 13, Build 2): against a streaming replay upstream, warm-up traces set the
// threshold, a later trace is aborted as soon as a window of its token confidences falls below it
// (billed, not voting), and sampling stops at consensus. Samples are served one by one (concurrency
// 1), so every count here is exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedProblems } from '../fixtures/recorded.ts';
import { ask, type Loose, type Stack, sel, startStack } from './harness.ts';

const trace = (answer: string, c: number[]) => ({
  text: `so \\boxed{${answer}}`,
  token_confidence: c,
  completion_tokens: c.length,
});

const ONLINE = 'Online: which letter?';
const records = recordedProblems(
  JSON.stringify({
    id: 'online',
    prompt: ONLINE,
    samples: [
      // Warm-up (window 2): lowest-window confidences 5, 6, 4, 7 → keep 50: threshold 5.5.
      trace('A', [5, 5, 5, 5]),
      trace('B', [6, 6, 6, 6]),
      trace('A', [4, 4, 4, 4]),
      trace('A', [7, 7, 7, 7]),
      // Window means 9, 5 → aborted at its 3rd token.
      trace('B', [9, 9, 1, 1, 9, 9]),
      // Completes: A's kept weight 7 + 8 against B's 6 — no consensus yet.
      trace('A', [8, 8, 8, 8]),
      // Sure traces: A's share of the kept weight reaches 115 / 121 ≥ 0.95 after sample 10.
      trace('A', [20, 20, 20, 20]),
      trace('A', [20, 20, 20, 20]),
      trace('A', [20, 20, 20, 20]),
      trace('A', [20, 20, 20, 20]),
      trace('A', [20, 20, 20, 20]),
      trace('A', [20, 20, 20, 20]),
    ],
  }),
);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    problems: records,
    config: { upstream: { concurrency: 1, nMode: 'parallel' } },
  });
});
afterAll(() => stack.close());

const run = (selection: Record<string, unknown>) =>
  stack.client.chat.completions.create({
    model: 'replay-model',
    messages: ask(ONLINE),
    seed: 0,
    ...sel({ strategy: 'deepconf', samples: 12, warmup: 4, keep: 50, window: 2, ...selection }),
  }) as unknown as Promise<Loose>;

describe('deepconf online early termination', () => {
  it('aborts a trace whose window falls below the warm-up threshold, and stops at consensus', async () => {
    stack.replay.resetStats();
    const r = await run({});
    const online = r['selection'].online;
    expect(online).toMatchObject({
      warmup: 4,
      threshold: 5.5,
      aborted: 1,
      aborted_samples: [4],
      aborted_tokens: 3,
      stopped_early: true,
    });
    expect(online.reason).toMatch(/^consensus: A holds 0.95 of the kept confidence weight/);
    expect(online).toMatchObject({ not_started: 1, cancelled: 0, streamed: 7 });
    expect(r['choices'][0].selection.answer).toBe('A');
    // Used: the warm-up and the finished traces up to the consensus; the aborted one does not vote.
    const used = r['selection'].clusters
      .flatMap((c: Loose) => c.samples)
      .sort((a: number, b: number) => a - b);
    expect(used).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9, 10]);
    expect(r['selection'].samples.succeeded).toBe(used.length);
    const metrics = await (await fetch(`${stack.base.replace(/\/v1$/, '')}/metrics`)).text();
    expect(metrics).toMatch(/bom_online_aborted_samples_total\{strategy="deepconf"\} 1\b/);
    expect(metrics).toMatch(/bom_online_aborted_tokens_total\{strategy="deepconf"\} 3\b/);
    // (Whether the replay noticed the abort depends on how much of a short stream it had already
    // written: not asserted. bom's own account above is exact.)
    // Billed: every warm-up token, the aborted trace's 3 tokens, and the finished traces'.
    const finished = used.filter((i: number) => i >= 4).length;
    expect(r['usage'].completion_tokens).toBe(4 * 4 + 3 + 4 * finished);
    // The final vote filtered by the warm-up threshold: the warm-up traces below it are not eligible.
    expect(r['choices'][0].selection.confidence).toBeGreaterThan(0.9);
    // Every stream asked for top logprobs, and the client sees none.
    expect(stack.replay.stats.lastBody).toMatchObject({ stream: true, logprobs: true, top_logprobs: 20 });
    expect(r['choices'][0].logprobs).toBeNull();
  });

  it('a trace shorter than the window is never stopped; without consensus the budget is drawn', async () => {
    const r = await run({ window: 8, samples: 6 });
    // window 8 > every trace: warm-up confidences are whole means (5, 6, 4, 7), threshold 5.5; no
    // full window ever forms, so nothing is aborted.
    expect(r['selection'].online).toMatchObject({ aborted: 0, threshold: 5.5 });
    expect(r['selection'].samples.succeeded).toBe(6);
  });

  it('composes with the adaptive stop', async () => {
    const r = await run({ adaptive: { confidence: 0.6, min_samples: 1 } });
    expect(r['selection'].online.stopped_early).toBe(true);
    expect(r['selection'].online.reason).toMatch(/^(consensus|adaptive):/);
    expect(r['choices'][0].selection.answer).toBe('A');
  });
});
