import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverAnswerTools } from '../eval/answer-tools.ts';
import type { BenchmarkProblem } from '../eval/benchmarks.ts';
import { formatDuration, formatProgress } from '../eval/progress.ts';
import { type DrawFn, parseShard, runSampling, selectProblems } from '../eval/sampler.ts';
import { openStore } from '../eval/store.ts';
import { upstreamDraw } from '../eval/upstream-draw.ts';
import { type Listening, listen } from '../src/server/serve.ts';
import { createOpenAIUpstream } from '../src/upstream/openai-client.ts';
import { createReplay, parseSamples } from '../src/upstream/replay/index.ts';

const problems: BenchmarkProblem[] = Array.from({ length: 10 }, (_, i) => ({
  id: `p${i}`,
  prompt: `What is ${i} + ${i}?`,
  gold: String(2 * i),
}));
const tmpStore = () => join(mkdtempSync(join(tmpdir(), 'bom-sample-')), 'out.jsonl');

/** Answers every problem correctly, except that `failing` problems lose their last sample once. */
function fakeDraw(failing: Set<string>): DrawFn & { calls: string[] } {
  const calls: string[] = [];
  const fn = async (p: BenchmarkProblem, n: number) => {
    calls.push(p.id);
    const fail = failing.delete(p.id);
    const samples = Array.from({ length: fail ? n - 1 : n }, () => ({
      text: `so \\boxed{${p.gold}}`,
      finish_reason: 'stop',
      completion_tokens: 5,
    }));
    return {
      samples,
      failures: fail ? 1 : 0,
      lastError: fail ? 'HTTP 500' : undefined,
      promptTokens: 3,
      completionTokens: 5 * samples.length,
    };
  };
  return Object.assign(fn as DrawFn, { calls });
}

describe('bom sample (fake upstream)', () => {
  it('writes complete pools, leaves failed problems for a rerun, and resumes without redoing work', async () => {
    const file = tmpStore();
    const draw = fakeDraw(new Set(['p3']));
    let store = openStore(file);
    const first = await runSampling({
      problems,
      store,
      draw,
      n: 4,
      concurrency: 3,
      extract: serverAnswerTools!.extract,
    });
    store.close();
    expect(first.written).toBe(9);
    expect(first.failed).toEqual([{ id: 'p3', error: '3/4 samples arrived: HTTP 500' }]);
    store = openStore(file);
    const second = await runSampling({ problems, store, draw, n: 4, concurrency: 3 });
    store.close();
    expect(second).toMatchObject({ skipped: 9, written: 1, failed: [] });
    expect(draw.calls.filter((c) => c === 'p3')).toHaveLength(2);
    expect(draw.calls).toHaveLength(11);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id).sort()).toEqual(problems.map((p) => p.id).sort());
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
  const recorded = parseSamples(
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
      extract: serverAnswerTools!.extract,
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
});
