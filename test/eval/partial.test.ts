// "No sample already paid for is lost": short pools are written with their `missing` indices, a rerun
// draws only those (sample i keeps seed + i), the topped-up pool is appended, and every reader takes
// the last line per problem. Real HTTP against the replay upstream on loopback, seeded and offline.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchmarkProblem } from '../../eval/benchmarks.ts';
import { loadSamples } from '../../eval/formats.ts';
import { runSampling } from '../../eval/sampler.ts';
import { runScoring } from '../../eval/scoring.ts';
import { openStore, type ProblemRecord, parseStore } from '../../eval/store.ts';
import { upstreamDraw } from '../../eval/upstream-draw.ts';
import { FakeScorer } from '../../src/reward/index.ts';
import { type Listening, listen } from '../../src/server/serve.ts';
import type { FanOutSettings } from '../../src/upstream/fanout.ts';
import { createOpenAIUpstream } from '../../src/upstream/openai-client.ts';
import { createReplay } from '../../src/upstream/replay/index.ts';
import { recordedProblems } from '../fixtures/recorded.ts';

const N = 6;
const SEED = 100;
const problems: BenchmarkProblem[] = Array.from({ length: 4 }, (_, i) => ({
  id: `q${i}`,
  prompt: `Question number ${i}?`,
  gold: String(i),
}));
// Six distinct recorded answers per problem; with a seed the replay serves recorded[(seed + j) mod 6],
// so a stored text names the seed it was drawn with.
const recorded = (p: BenchmarkProblem, j: number) => `${p.id} draw ${j} \\boxed{${j}}`;
/** What an uninterrupted run stores: sample i was drawn with seed + i. */
const expected = (p: BenchmarkProblem) => Array.from({ length: N }, (_, i) => recorded(p, (SEED + i) % N));

const tmp = () => mkdtempSync(join(tmpdir(), 'bom-partial-'));
const readLines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ProblemRecord);
const lastPer = (lines: ProblemRecord[]) => new Map(lines.map((l) => [l.id, l]));

describe('partial pools against the replay upstream (loopback)', () => {
  const replay = createReplay({
    problems: recordedProblems(
      problems
        .map((p) =>
          JSON.stringify({
            id: p.id,
            prompt: p.prompt,
            samples: Array.from({ length: N }, (_, j) => recorded(p, j)),
          }),
        )
        .join('\n'),
    ),
    models: ['m'],
    seed: 3,
  });
  // The interrupt (as SIGINT does): the client's `cutAt`-th call aborts the run and nothing is sent
  // after it. Calls already on the wire may still reach the replay; `reset` waits for them so they
  // do not count in the next run's stats.
  const gate = {
    sent: 0,
    received: 0,
    pending: 0,
    cutAt: Number.POSITIVE_INFINITY,
    controller: new AbortController(),
  };
  const cutting: typeof fetch = async (input, init) => {
    if (gate.controller.signal.aborted || gate.sent + 1 >= gate.cutAt) {
      gate.controller.abort(new Error('interrupted'));
      throw new DOMException('interrupted', 'AbortError');
    }
    gate.sent++;
    return fetch(input, init);
  };
  const front = new Hono();
  front.all('*', async (c) => {
    gate.received++;
    gate.pending++;
    try {
      return await replay.app.fetch(c.req.raw, c.env as never);
    } finally {
      gate.pending--;
    }
  });
  let server: Listening;
  beforeAll(async () => {
    server = await listen(front, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await server.close(0);
  });

  const draw = (nMode: FanOutSettings['nMode']) =>
    upstreamDraw({
      upstream: createOpenAIUpstream({ url: `${server.url}/v1`, apiKey: 'x', fetch: cutting }),
      model: 'm',
      params: { temperature: 0.7, seed: SEED },
      settings: {
        nMode,
        concurrency: 1,
        retries: 0,
        retryBaseMs: 1,
        sampleTimeoutMs: 5000,
        deadlineMs: 10_000,
      },
    });
  const reset = async (faults = {}) => {
    for (let i = 0; i < 100 && gate.received < gate.sent; i++) await new Promise((r) => setTimeout(r, 5));
    while (gate.pending > 0 || replay.stats.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
    replay.setFaults(faults);
    replay.resetStats();
    gate.sent = 0;
    gate.received = 0;
    gate.cutAt = Number.POSITIVE_INFINITY;
    gate.controller = new AbortController();
  };

  it('writes short pools with their missing indices, then tops up only those with seed + i', async () => {
    const file = join(tmp(), 'store.jsonl');
    await reset({ errorRate: 0.3 });
    let store = openStore(file);
    const first = await runSampling({ problems, store, draw: draw('parallel'), n: N, concurrency: 1 });
    store.close();
    const partial = readLines(file);
    const short = partial.filter((l) => (l.missing?.length ?? 0) > 0);
    expect(short.length).toBeGreaterThan(0);
    expect(first.incomplete).toBe(short.length);
    expect(first.failed.map((f) => f.id)).toEqual(short.map((l) => l.id));
    // Every sample that arrived is stored, under the seed it was drawn with.
    expect(partial.reduce((s, l) => s + l.samples.length, 0)).toBe(first.samples);
    for (const l of partial) {
      const p = problems.find((q) => q.id === l.id)!;
      const kept = expected(p).filter((_, i) => !(l.missing ?? []).includes(i));
      expect(l.samples.map((s) => s.text)).toEqual(kept);
    }
    const before = readFileSync(file, 'utf8');

    await reset();
    store = openStore(file);
    // 'auto' would use one n call; with a seed and scattered indices the top-up goes one by one.
    const second = await runSampling({ problems, store, draw: draw('auto'), n: N, concurrency: 2 });
    store.close();
    expect(second).toMatchObject({ toppedUp: short.length, incomplete: 0, failed: [] });
    const wanted = short.flatMap((l) => l.missing!.map((i) => SEED + i));
    expect([...replay.stats.seeds].sort((a, b) => a - b)).toEqual(wanted.sort((a, b) => a - b));
    // Append-only: the earlier lines are untouched, the topped-up pools follow them.
    const after = readFileSync(file, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    const last = lastPer(readLines(file));
    for (const p of problems) {
      expect(last.get(p.id)!.samples.map((s) => s.text)).toEqual(expected(p));
      expect(last.get(p.id)!.missing).toBeUndefined();
    }
    // A third run has nothing left to draw.
    await reset();
    store = openStore(file);
    const third = await runSampling({ problems, store, draw: draw('auto'), n: N, concurrency: 2 });
    store.close();
    expect(third).toMatchObject({ skipped: problems.length, written: 0 });
    expect(replay.stats.requests).toBe(0);
  });

  it('an interrupted run writes what arrived for the problems in flight; the rerun completes them', async () => {
    const file = join(tmp(), 'store.jsonl');
    await reset();
    gate.cutAt = 6;
    let store = openStore(file);
    const first = await runSampling({
      problems,
      store,
      draw: draw('parallel'),
      n: N,
      concurrency: 2,
      signal: gate.controller.signal,
    });
    store.close();
    expect(gate.controller.signal.aborted).toBe(true);
    const partial = readLines(file);
    // Two problems were in flight, each with at least its first sample back: both are kept.
    expect(partial.map((l) => l.id).sort()).toEqual(['q0', 'q1']);
    expect(partial.reduce((s, l) => s + l.samples.length, 0)).toBe(first.samples);
    for (const l of partial) {
      expect(l.samples.length).toBeGreaterThan(0);
      expect(l.samples.length + l.missing!.length).toBe(N);
    }
    expect(first.failed.every((f) => f.error.includes('interrupted'))).toBe(true);

    await reset();
    store = openStore(file);
    const second = await runSampling({ problems, store, draw: draw('parallel'), n: N, concurrency: 2 });
    store.close();
    expect(second).toMatchObject({ toppedUp: 2, written: 4, failed: [] });
    // Only the missing samples of q0/q1 and the whole of q2/q3 were drawn.
    expect(replay.stats.seeds).toHaveLength(second.samples);
    expect(second.samples).toBe(partial.reduce((s, l) => s + l.missing!.length, 0) + 2 * N);
    const last = lastPer(readLines(file));
    for (const p of problems) expect(last.get(p.id)!.samples.map((s) => s.text)).toEqual(expected(p));
  });

  it('--allow-partial keeps short pools as they are (no top-up, not a failure)', async () => {
    const file = join(tmp(), 'store.jsonl');
    await reset({ failFirst: 2 });
    let store = openStore(file);
    const first = await runSampling({
      problems: problems.slice(0, 1),
      store,
      draw: draw('parallel'),
      n: N,
      concurrency: 1,
      allowPartial: true,
    });
    store.close();
    expect(first).toMatchObject({ written: 1, incomplete: 1, failed: [] });
    expect(readLines(file)[0]!.missing).toEqual([0, 1]);
    await reset();
    store = openStore(file);
    const second = await runSampling({
      problems: problems.slice(0, 1),
      store,
      draw: draw('parallel'),
      n: N,
      concurrency: 1,
      allowPartial: true,
    });
    store.close();
    expect(second).toMatchObject({ skipped: 1, written: 0 });
    expect(replay.stats.requests).toBe(0);
  });
});

describe('the last line per problem wins, for every reader', () => {
  const dir = tmp();
  const file = join(dir, 'store.jsonl');
  const sample = (text: string) => ({ text, answer: text === 'w' ? '9' : '1', reward: text === 'w' ? 2 : 1 });
  const full = (id: string) => ({
    id,
    prompt: `p ${id}`,
    gold: '1',
    samples: ['1', '1', 'w', '1'].map(sample),
  });
  // a: partial line, then its topped-up pool; b: complete; c: still short (3 of 4).
  const lines = [
    { id: 'a', prompt: 'p a', gold: '1', samples: [sample('w')], missing: [0, 1, 3] },
    full('b'),
    { id: 'c', prompt: 'p c', gold: '1', samples: ['1', 'w', '1'].map(sample), missing: [3] },
    { ...full('a'), samples: ['1', '1', 'w', '1'].map(sample) },
  ];
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);

  it('store, formats and replay loaders return one record per id, the last one, in first-seen order', () => {
    const parsed = parseStore(readFileSync(file, 'utf8'), file).records;
    expect(parsed.map((r) => [r.id, r.samples.length])).toEqual([
      ['a', 4],
      ['b', 4],
      ['c', 3],
    ]);
    expect(parsed[0]!.missing).toBeUndefined();
    expect(loadSamples(file).records.map((r) => r.samples.length)).toEqual([4, 4, 3]);
    const store = openStore(file);
    expect(store.existing.get('a')!.samples).toHaveLength(4);
    store.close();
    expect(recordedProblems(readFileSync(file, 'utf8')).map((p) => [p.id, p.samples.length])).toEqual([
      ['a', 4],
      ['b', 4],
      ['c', 3],
    ]);
  });

  it('the schema checks missing indices', () => {
    const bad = `${JSON.stringify({ id: 'x', samples: [{ text: 't' }], missing: [1, 1] })}\n${JSON.stringify({ id: 'y', samples: [{ text: 't' }], missing: [2] })}\n`;
    const { records, bad: errors } = parseStore(bad, 'bad.jsonl', 'skip');
    expect(records).toHaveLength(0);
    expect(errors.map((e) => [e.line, e.message])).toEqual([
      [1, expect.stringContaining("'missing'")],
      [2, expect.stringContaining("'missing'")],
    ]);
  });

  it('bom eval and bom ab see the topped-up pool; a still-short problem is skipped at N above its pool', () => {
    const bin = new URL('../../bin/bom.mjs', import.meta.url).pathname;
    const bom = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    const ev = bom(
      'eval',
      '--samples',
      file,
      '--strategies',
      'majority',
      '--N',
      '3,4',
      '--k',
      '1',
      '--trials',
      '3',
      '--json',
    );
    expect(ev.status, ev.stderr).toBe(0);
    const doc = JSON.parse(ev.stdout);
    expect(doc.skipped).toEqual([{ N: 4, count: 1, ids: ['c'] }]);
    expect(doc.warnings.join('\n')).toMatch(/1 problems have incomplete pools/);
    const ab = bom(
      'ab',
      '--samples',
      file,
      '--a',
      'best-of-majority:alpha=0.3',
      '--b',
      'best-of-n',
      '--N',
      '4',
      '--json',
    );
    expect(ab.status, ab.stderr).toBe(0);
    expect(JSON.parse(ab.stdout).comparisons[0]).toMatchObject({ N: 4, problems: 2 });
  });

  it('bom score keeps the rewards it computed for a partial pool and scores only the new samples', async () => {
    const scoredFile = join(dir, 'scored.jsonl');
    const scorer = new FakeScorer({ fn: (r) => r.length });
    const unscored = (records: ProblemRecord[]) =>
      records.map((r) => ({ ...r, samples: r.samples.map(({ reward: _r, ...s }) => s) }));
    const partialOnly = unscored(parseStore(`${JSON.stringify(lines[0])}\n`, 'x').records);
    let out = openStore(scoredFile);
    await runScoring({ records: partialOnly, out, scorer, concurrency: 1 });
    out.close();
    expect(scorer.scored).toEqual(['w']);
    out = openStore(scoredFile);
    const report = await runScoring({
      records: unscored(loadSamples(file).records),
      out,
      scorer,
      concurrency: 1,
    });
    out.close();
    // 'a' grew: its one old sample keeps its reward; b and c are new.
    expect(report).toMatchObject({ written: 3, reusedSamples: 1, skipped: 0 });
    expect(scorer.scored.slice(1).filter((t) => t === 'w')).toHaveLength(2);
    const last = lastPer(readLines(scoredFile));
    expect(readLines(scoredFile)).toHaveLength(4);
    expect(last.get('a')!.samples.map((s) => s.reward)).toEqual([1, 1, 1, 1]);
    out = openStore(scoredFile);
    const again = await runScoring({
      records: unscored(loadSamples(file).records),
      out,
      scorer,
      concurrency: 1,
    });
    out.close();
    expect(again).toMatchObject({ skipped: 3, written: 0 });
  });
});
