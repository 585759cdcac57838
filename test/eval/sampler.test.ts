import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineMathAnswers } from '../../src/selection/index.ts';
import type { BenchmarkProblem } from '../../eval/benchmarks.ts';
import { formatDuration, formatProgress } from '../../eval/progress.ts';
import { type DrawFn, parseShard, runSampling, selectProblems } from '../../eval/sampler.ts';
import { openStore } from '../../eval/store.ts';
import { upstreamDraw } from '../../eval/upstream-draw.ts';
import { type Listening, listen } from '../../src/server/serve.ts';
import { createOpenAIUpstream } from '../../src/upstream/openai-client.ts';
import { createReplay } from '../../src/upstream/replay/index.ts';
import { recordedProblems } from '../fixtures/recorded.ts';

const problems: BenchmarkProblem[] = Array.from({ length: 10 }, (_, i) => ({
  id: `p${i}`,
  prompt: `What is ${i} + ${i}?`,
  gold: String(2 * i),
}));
const tmpStore = () => join(mkdtempSync(join(tmpdir(), 'bom-sample-')), 'out.jsonl');

/** Answers every problem correctly, except that `failing` problems lose their last sample once. */
function fakeDraw(failing: Set<string>): DrawFn & { calls: { id: string; indices: number[] }[] } {
  const calls: { id: string; indices: number[] }[] = [];
  const fn = async (p: BenchmarkProblem, asked: readonly number[]) => {
    calls.push({ id: p.id, indices: [...asked] });
    const fail = failing.delete(p.id);
    const indices = fail ? asked.slice(0, -1) : [...asked];
    const samples = indices.map(() => ({
      text: `so \\boxed{${p.gold}}`,
      finish_reason: 'stop',
      completion_tokens: 5,
    }));
    return {
      samples,
      indices,
      failures: fail ? 1 : 0,
      lastError: fail ? 'HTTP 500' : undefined,
      promptTokens: 3,
      completionTokens: 5 * samples.length,
    };
  };
  return Object.assign(fn as DrawFn, { calls });
}

describe('bom sample (fake upstream)', () => {
  it('writes every pool (a short one with its missing indices) and a rerun draws only what is missing', async () => {
    const file = tmpStore();
    const draw = fakeDraw(new Set(['p3']));
    let store = openStore(file);
    const first = await runSampling({
      problems,
      store,
      draw,
      n: 4,
      concurrency: 3,
      answers: offlineMathAnswers,
    });
    store.close();
    expect(first).toMatchObject({ written: 10, incomplete: 1 });
    expect(first.failed).toEqual([
      { id: 'p3', error: '3/4 samples: HTTP 500; kept, a rerun draws only the missing ones' },
    ]);
    const partial = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((l) => l.id === 'p3');
    expect(partial.samples).toHaveLength(3);
    expect(partial.missing).toEqual([3]);
    store = openStore(file);
    const second = await runSampling({ problems, store, draw, n: 4, concurrency: 3 });
    store.close();
    expect(second).toMatchObject({ skipped: 9, written: 1, toppedUp: 1, incomplete: 0, failed: [] });
    expect(draw.calls.filter((c) => c.id === 'p3').map((c) => c.indices)).toEqual([[0, 1, 2, 3], [3]]);
    expect(draw.calls).toHaveLength(11);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // Append-only: the partial line stays, the topped-up pool follows it.
    expect(lines).toHaveLength(11);
    expect(lines[10]).toMatchObject({ id: 'p3', samples: { length: 4 } });
    expect(lines[10].missing).toBeUndefined();
    expect(lines[10].samples.slice(0, 3)).toEqual(partial.samples);
    expect([...new Set(lines.map((l) => l.id))].sort()).toEqual(problems.map((p) => p.id).sort());
    const p2 = lines.find((l) => l.id === 'p2');
    expect(p2.samples[0]).toMatchObject({ answer: '4', finish_reason: 'stop', completion_tokens: 5 });
    expect(p2.gold).toBe('4');
  });

  it('shards and limits deterministically; every problem lands in exactly one shard', () => {
    const shards = [0, 1, 2].map((i) =>
      selectProblems(problems, { shard: parseShard(`${i}/3`) }).map((p) => p.id),
    );
    expect(shards.flat().sort()).toEqual(problems.map((p) => p.id).sort());
    expect(shards[1]).toEqual(['p1', 'p4', 'p7']);
    expect(selectProblems(problems, { shard: parseShard('1/3'), limit: 2 }).map((p) => p.id)).toEqual([
      'p1',
      'p4',
    ]);
    expect(() => parseShard('3/3')).toThrow(/shard/);
    expect(() => parseShard('a/b')).toThrow(/shard/);
  });

  it('formats progress with rates and an ETA', () => {
    const line = formatProgress({
      startedMs: 0,
      nowMs: 10_000,
      done: 5,
      total: 20,
      samples: 40,
      tokens: 8000,
      failed: 1,
    });
    expect(line).toContain('5/20');
    expect(line).toContain('4.0 samples/s');
    expect(line).toContain('800 tok/s');
    expect(line).toContain('ETA 30s');
    expect(line).toContain('1 failed');
    expect(formatDuration(3725)).toBe('1h02m');
  });
});

describe('bom sample against the replay upstream on loopback (real HTTP, openai SDK)', () => {
  let upstream: Listening;
  const recorded = recordedProblems(
    problems
      .slice(0, 3)
      .map((p) =>
        JSON.stringify({
          id: p.id,
          prompt: p.prompt,
          samples: [`\\boxed{${p.gold}}`, '\\boxed{1}', `ok \\boxed{${p.gold}}`],
        }),
      )
      .join('\n'),
  );
  beforeAll(async () => {
    upstream = await listen(createReplay({ problems: recorded, models: ['m'] }).app, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await upstream.close(0);
  });

  it('draws N samples per problem through the server fan-out and stores them', async () => {
    const file = tmpStore();
    const store = openStore(file);
    const draw = upstreamDraw({
      upstream: createOpenAIUpstream({ url: `${upstream.url}/v1`, apiKey: 'x' }),
      model: 'm',
      params: { temperature: 0.7 },
      settings: {
        nMode: 'auto',
        concurrency: 4,
        retries: 1,
        retryBaseMs: 5,
        sampleTimeoutMs: 5000,
        deadlineMs: 10_000,
      },
    });
    const report = await runSampling({
      problems: problems.slice(0, 3),
      store,
      draw,
      n: 3,
      concurrency: 2,
      answers: offlineMathAnswers,
    });
    store.close();
    expect(report).toMatchObject({ written: 3, failed: [] });
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    for (const l of lines) {
      expect(l.samples).toHaveLength(3);
      expect(l.samples.every((s: { answer: string | null }) => typeof s.answer === 'string')).toBe(true);
    }
  });
  it('keeps reasoning_content, records the answer found there, and bom replay serves it back', async () => {
    const withReasoning = recordedProblems(
      JSON.stringify({
        id: 'r',
        prompt: 'What is 3*4?',
        samples: [
          { text: 'Done.', reasoning_content: '3*4 = \\boxed{12}' },
          { text: 'It is \\boxed{13}', reasoning_content: 'maybe \\boxed{12}' },
        ],
      }),
    );
    const replay = await listen(createReplay({ problems: withReasoning, models: ['m'] }).app, 0, '127.0.0.1');
    try {
      const file = tmpStore();
      const store = openStore(file);
      const draw = upstreamDraw({
        upstream: createOpenAIUpstream({ url: `${replay.url}/v1`, apiKey: 'x' }),
        model: 'm',
        params: { seed: 0 },
        settings: {
          nMode: 'parallel',
          concurrency: 2,
          retries: 0,
          retryBaseMs: 5,
          sampleTimeoutMs: 5000,
          deadlineMs: 10_000,
        },
      });
      const problem = { id: 'r', prompt: 'What is 3*4?', gold: '12' };
      await runSampling({
        problems: [problem],
        store,
        draw,
        n: 2,
        concurrency: 1,
        answers: offlineMathAnswers,
      });
      store.close();
      const [line] = recordedProblems(readFileSync(file, 'utf8'));
      expect(line!.samples.map((x) => [x.text, x.reasoning_content, x.answer])).toEqual([
        ['Done.', '3*4 = \\boxed{12}', '12'],
        ['It is \\boxed{13}', 'maybe \\boxed{12}', '13'],
      ]);
      // The stored file is itself a replay source that serves the reasoning again.
      const again = await listen(
        createReplay({ problems: recordedProblems(readFileSync(file, 'utf8')), models: ['m'] }).app,
        0,
        '127.0.0.1',
      );
      try {
        const res = await createOpenAIUpstream({ url: `${again.url}/v1`, apiKey: 'x' }).chat(
          { model: 'm', messages: [{ role: 'user', content: 'What is 3*4?' }], seed: 0 },
          { signal: AbortSignal.timeout(5000) },
        );
        const message = (res['choices'] as { message: Record<string, unknown> }[])[0]!.message;
        expect(message['reasoning_content']).toBe('3*4 = \\boxed{12}');
      } finally {
        await again.close(0);
      }
    } finally {
      await replay.close(0);
    }
  });
});
