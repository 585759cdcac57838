// Adaptive sampling end to end: the official SDK against bom against the replay upstream. The rule
// stops the draw, the calls still in flight are aborted (the replay counts them), the samples used
// are a prefix of a fixed run's with the same seed, and metadata, usage and progress say so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedProblems } from '../fixtures/recorded.ts';
import { ask, eventually, type Loose, type Stack, sel, startStack } from './harness.ts';

const boxed = (v: string, lp = -0.5) => ({ text: `so \\boxed{${v}}`, logprobs: [lp] });
const fixture = [
  { id: 'nine', prompt: 'Nine every time (adaptive)', samples: Array.from({ length: 16 }, () => boxed('9')) },
  {
    id: 'mixed',
    prompt: 'Mostly three (adaptive)',
    samples: ['3', '4', '3', '3', '5', '3', '3', '3', '4', '3', '3', '3', '3', '3', '2', '3'].map((v, i) =>
      boxed(v, -0.1 * (i % 5) - (v === '3' ? 0 : 1)),
    ),
  },
];
const problems = recordedProblems(fixture.map((p) => JSON.stringify(p)).join('\n'));

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    problems,
    config: { selection: { scorer: 'logprob' }, upstream: { nMode: 'parallel' } },
  });
});
afterAll(() => stack.close());

async function chat(prompt: string, selection: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return (await stack.client.chat.completions.create({
    model: 'replay-model',
    messages: ask(prompt),
    seed: 0,
    ...extra,
    ...sel(selection),
  })) as unknown as Loose;
}

describe('adaptive sampling through the server', () => {
  it('by default (the regret rule) stops after 3 unanimous votes of 16: little accuracy is left to gain', async () => {
    const res = await chat('Nine every time (adaptive)', {
      strategy: 'majority',
      samples: 16,
      adaptive: true,
    });
    const s = res['selection'];
    expect(res['choices'][0].selection.answer).toBe('9');
    expect(s.samples.succeeded).toBe(3);
    expect(s.stopped_early).toBe(true);
    expect(s.stop).toMatchObject({ rule: 'regret', threshold: 0.98, samples_used: 3, samples_saved: 13 });
    // The expected accuracy lost to a new answer overtaking in the 13 left: 1093/65536 (by enumeration).
    expect(s.stop.confidence).toBeCloseTo(1 - 1093 / 65536, 6);
    expect(s.stop.reason).toMatch(/expected accuracy lost by stopping before 13 more samples ≤ 0\.0167/);
  });

  it('the predictive rule stops after 3 unanimous votes of 16: the others cannot well catch up', async () => {
    const res = await chat('Nine every time (adaptive)', {
      strategy: 'majority',
      samples: 16,
      adaptive: { rule: 'predictive' },
    });
    const s = res['selection'];
    expect(res['choices'][0].selection.answer).toBe('9');
    expect(s.samples.succeeded).toBe(3);
    expect(s.stopped_early).toBe(true);
    expect(s.stop).toMatchObject({ rule: 'predictive', threshold: 0.95, samples_used: 3, samples_saved: 13 });
    // A new answer must win 9 of the 13 left against 3 votes: P = 1/34 (docs/adaptive.md).
    expect(s.stop.confidence).toBeCloseTo(33 / 34, 6);
  });

  it('the beta rule stops after 4 unanimous votes of 16 and says so in metadata and usage', async () => {
    const res = await chat('Nine every time (adaptive)', {
      strategy: 'majority',
      samples: 16,
      adaptive: { rule: 'beta' },
    });
    const s = res['selection'];
    expect(res['choices'][0].selection.answer).toBe('9');
    expect(s.samples.succeeded).toBe(4);
    expect(s.stopped_early).toBe(true);
    expect(s.stop).toMatchObject({ rule: 'beta', threshold: 0.95, samples_used: 4, samples_saved: 12 });
    expect(s.stop.confidence).toBeCloseTo(31 / 32, 6);
    // Usage bills what was drawn: the used samples and any that landed after the stop.
    const perSample = s.usage.calls[0].completion_tokens;
    expect(res['usage'].completion_tokens).toBe(perSample * s.stop.drawn);
    expect(s.stop.drawn).toBeGreaterThanOrEqual(4);
    expect(s.stop.drawn).toBeLessThanOrEqual(5);
  });

  it('aborts the calls still in flight when it stops (the upstream sees the aborts)', async () => {
    stack.replay.resetStats();
    stack.replay.setFaults({ hangFromSeed: 4 });
    try {
      // One wave of 8 parallel calls; seeds 4..7 hang; the rule decides at sample 4 and cancels them.
      const res = await chat('Nine every time (adaptive)', {
        strategy: 'majority',
        samples: 8,
        adaptive: { min_samples: 4, batch: 8 },
      });
      expect(res['selection'].samples.succeeded).toBe(4);
      expect(res['selection'].stop.cancelled).toBe(4);
      expect(res['selection'].failures).toEqual([]);
      await eventually(() => stack.replay.stats.aborted === 4);
      expect(stack.replay.stats.completed).toBe(4);
    } finally {
      stack.replay.setFaults({});
    }
  });

  it('with a seed the samples used are a prefix of a fixed run, in order (sample i sent with seed + i)', async () => {
    for (const strategy of ['majority', 'best-of-n', 'best-of-majority', 'weighted-majority']) {
      stack.replay.resetStats();
      const adaptive = await chat(
        'Mostly three (adaptive)',
        { strategy, samples: 16, adaptive: { batch: 3 } },
        { seed: 5 },
      );
      const t = adaptive['selection'].samples.succeeded as number;
      expect([...stack.replay.stats.seeds].sort((a, b) => a - b).slice(0, t)).toEqual(
        Array.from({ length: t }, (_, i) => 5 + i),
      );
      // A fixed run of t samples with the same seed selects exactly the same.
      const fixed = await chat('Mostly three (adaptive)', { strategy, samples: t }, { seed: 5 });
      expect(adaptive['selection'].clusters, strategy).toEqual(fixed['selection'].clusters);
      expect(adaptive['choices'][0].message.content).toBe(fixed['choices'][0].message.content);
      const used = adaptive['selection'].clusters
        .flatMap((c: Loose) => c.samples)
        .sort((a: number, b: number) => a - b);
      expect(used).toEqual(Array.from({ length: t }, (_, i) => i));
    }
  });

  it('reward strategies score as samples arrive and report it; the budget can run out undecided', async () => {
    const res = await chat('Mostly three (adaptive)', { strategy: 'best-of-n', samples: 6, adaptive: true });
    const s = res['selection'];
    expect(s.stop.rule).toBe('reward');
    expect(s.scored_samples).toBe(s.samples.succeeded);
    if (!s.stopped_early) expect(s.stop.reason).toMatch(/ran out|decided at the budget/);
  });

  it('streams progress comments and the stop', async () => {
    const res = await fetch(`${stack.base}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'replay-model',
        messages: ask('Nine every time (adaptive)'),
        stream: true,
        seed: 0,
        selection: { strategy: 'majority', samples: 16, adaptive: { rule: 'beta' } },
      }),
    });
    const text = await res.text();
    expect(text).toMatch(/: sampled 3\/16, leader 3 votes/);
    expect(text).toMatch(/: sampled 4\/16, stopped: decided after 4 of 16 samples/);
    expect(text).toMatch(/"stopped_early":true/);
  });

  it('/v1/completions samples adaptively too (the same run.ts path): best_of is the maximum N', async () => {
    stack.replay.resetStats();
    const res = (await stack.client.completions.create({
      model: 'replay-model',
      prompt: 'Nine every time (adaptive)',
      best_of: 16,
      seed: 0,
      ...sel({ strategy: 'majority', adaptive: { rule: 'beta' } }),
    })) as unknown as Loose;
    expect(res['object']).toBe('text_completion');
    expect(res['choices'][0].text).toContain('\\boxed{9}');
    const s = res['selection'];
    expect(s.samples).toMatchObject({ requested: 16, succeeded: 4 });
    expect(s.stopped_early).toBe(true);
    expect(s.stop).toMatchObject({ rule: 'beta', samples_used: 4, samples_saved: 12 });
    expect(s.stop.confidence).toBeCloseTo(31 / 32, 6);
    expect(res['usage'].completion_tokens).toBe(s.usage.calls[0].completion_tokens * s.stop.drawn);
    // Only the first waves went out: never all 16.
    expect(stack.replay.stats.requests).toBeLessThan(16);
  });

  it('/v1/completions streams the adaptive stop', async () => {
    const res = await fetch(`${stack.base}/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'replay-model',
        prompt: 'Nine every time (adaptive)',
        stream: true,
        seed: 0,
        selection: { strategy: 'majority', samples: 16, adaptive: true },
      }),
    });
    const text = await res.text();
    expect(text).toMatch(/: sampled 3\/16, stopped: decided after 3 of 16 samples/);
    expect(text).toMatch(/"stopped_early":true/);
  });

  it('rejects bad adaptive settings naming the field', async () => {
    await expect(chat('Nine every time (adaptive)', { adaptive: { confidence: 1.5 } })).rejects.toMatchObject(
      {
        status: 400,
      },
    );
  });
});
