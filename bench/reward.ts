// Reward-scoring benchmarks. Prints figures and ratios; never part of `npm test`.
//   npm run bench -- reward (or npx tsx bench/reward.ts)   tiny + minilm-l6-h384 + bert-base shapes
//   npx tsx bench/reward.ts bert-large      add shapes by name (bert-large writes a 1.2 GB file)
// Models are generated into bench/results/models/ (gitignored); weights are random (timing only).
// 1. overhead: TransformersScorer.score(prompt, [response]) vs a raw onnxruntime-node session
//    fed the same token ids (scorer time includes tokenization, the queue and tensor building);
// 2. cache-hit cost of cachedScorer;
// 3. cost per ~212-token response per shape, and what Best-of-16 costs.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AutoTokenizer } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { cachedScorer, ScoreCache } from '../src/reward/cache.ts';
import { TransformersScorer } from '../src/reward/transformers.ts';
import { ensureTinyModels } from '../test/fixtures/build-tiny-rm.ts';
import { buildShapeFolder, paramCount, SHAPES, type Shape } from './_shapes.ts';

const OUT = resolve(import.meta.dirname, 'results', 'models');
const tiny = ensureTinyModels(join(OUT, 'tiny'));
const vocab = Object.keys(
  (JSON.parse(readFileSync(join(tiny.bert, 'tokenizer.json'), 'utf8')) as { model: { vocab: object } }).model
    .vocab,
);

// ~212 tokens in total: a 30-word prompt and a ~175-word response.
const words = 'the answer is 4 because we checked the sum and it is correct so the final value is'.split(' ');
const text = (n: number, offset: number) =>
  Array.from({ length: n }, (_, i) => words[(i + offset) % words.length]).join(' ');
const PROMPT = { prompt: text(30, 3) };
const RESPONSE = text(178, 0);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeEach(n: number, fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - t0) / n;
}

interface Row {
  model: string;
  tokens: number;
  rawMs: number;
  scorerMs: number;
  /** Fastest round: noise only ever adds time, so min/min is the cleaner overhead ratio. */
  rawMin: number;
  scorerMin: number;
  tokenizeMs: number;
}

async function overhead(name: string, dir: string, budgetMs: number): Promise<Row> {
  const scorer = new TransformersScorer({ model: dir });
  await scorer.ready();
  const tok = (await AutoTokenizer.from_pretrained(dir, { local_files_only: true })) as unknown as (
    t: string,
    o: object,
  ) => { input_ids: number[]; attention_mask: number[]; token_type_ids: number[] };
  const enc = tok(PROMPT.prompt, { text_pair: RESPONSE, return_tensor: false });
  const L = enc.input_ids.length;
  const t = (xs: number[]) => new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), [1, L]);
  const feeds = {
    input_ids: t(enc.input_ids),
    attention_mask: t(enc.attention_mask),
    token_type_ids: t(enc.token_type_ids),
  };
  // From a buffer, as transformers.js does, with the same options the scorer passes.
  const session = await ort.InferenceSession.create(readFileSync(join(dir, 'onnx', 'model.onnx')), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionProviders: ['cpu'],
  });
  // Same numbers from both paths, or the comparison is void.
  const rawScore = ((await session.run(feeds)).logits!.data as Float32Array)[0]!;
  const [viaScorer] = await scorer.score(PROMPT, [RESPONSE]);
  if (Math.abs(rawScore - viaScorer!) > 1e-4 * Math.max(1, Math.abs(rawScore))) {
    throw new Error(`${name}: raw ${rawScore} != scorer ${viaScorer}`);
  }
  const once = await timeEach(3, () => session.run(feeds));
  const n = Math.max(3, Math.min(2000, Math.round(budgetMs / 10 / Math.max(once, 0.001))));
  const raw: number[] = [];
  const sc: number[] = [];
  for (let round = 0; round < 12; round++) {
    // Interleaved rounds in alternating order (ABBA) so drift and other tenants hit both sides alike.
    const runRaw = async () => raw.push(await timeEach(n, () => session.run(feeds)));
    const runScorer = async () => sc.push(await timeEach(n, () => scorer.score(PROMPT, [RESPONSE])));
    if (round % 2 === 0) {
      await runRaw();
      await runScorer();
    } else {
      await runScorer();
      await runRaw();
    }
  }
  const tokenizeMs = await timeEach(200, async () =>
    tok(PROMPT.prompt, { text_pair: RESPONSE, return_tensor: false }),
  );
  await session.release();
  await scorer.close();
  return {
    model: name,
    tokens: L,
    rawMs: median(raw),
    scorerMs: median(sc),
    rawMin: Math.min(...raw),
    scorerMin: Math.min(...sc),
    tokenizeMs,
  };
}

async function cacheCost(): Promise<void> {
  const inner = new TransformersScorer({ model: tiny.bert });
  const cache = new ScoreCache();
  const s = cachedScorer(inner, cache);
  const responses = Array.from({ length: 16 }, (_, i) => `${RESPONSE} ${i}`);
  for (let i = 0; i < 50; i++) await inner.score(PROMPT, responses); // warm the JIT first
  const miss = await timeEach(100, async () => {
    cache.clear();
    await s.score(PROMPT, responses);
  });
  await s.score(PROMPT, responses);
  const hit = await timeEach(2000, () => s.score(PROMPT, responses));
  console.log('\n## cache (Best-of-16, ~1 KB responses)');
  console.log(
    `all hits:   ${((hit / 16) * 1000).toFixed(1)} µs per response (${hit.toFixed(3)} ms per call of 16)`,
  );
  console.log(
    `all misses: ${((miss / 16) * 1000).toFixed(1)} µs per response on the tiny model (hashing + tokenizing + a trivial graph)`,
  );
  console.log(`stats: ${JSON.stringify(cache.stats())}`);
  await s.close?.();
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(3));

async function main(): Promise<void> {
  const wanted = new Set(['minilm-l6-h384', 'bert-base', ...process.argv.slice(2)]);
  const shapes = SHAPES.filter((s) => wanted.has(s.name));
  console.log(
    `# reward bench: node ${process.version}, ort ${ort.env.versions.common}, intraOpNumThreads 1, batch 1`,
  );
  const rows: Row[] = [await overhead('tiny-bert-rm (toy)', tiny.bert, 3000)];
  const perShape: { shape: Shape; row: Row }[] = [];
  for (const shape of shapes) {
    const t0 = performance.now();
    const dir = buildShapeFolder(shape, tiny.bert, OUT, vocab.length);
    console.log(`built ${shape.name} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const row = await overhead(shape.name, dir, 8000);
    rows.push(row);
    perShape.push({ shape, row });
  }
  console.log(
    '\n## transformers.js scorer vs raw onnxruntime-node (same model, same token ids; median ms per response)',
  );
  console.log('| model | tokens | raw ORT | scorer | ratio (medians) | ratio (fastest rounds) | tokenize |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.model} | ${r.tokens} | ${fmt(r.rawMs)} | ${fmt(r.scorerMs)} | ${(r.scorerMs / r.rawMs).toFixed(3)}× | ${(r.scorerMin / r.rawMin).toFixed(3)}× | ${fmt(r.tokenizeMs)} |`,
    );
  }
  console.log(
    '(the toy graph costs microseconds, so its ratio only shows the fixed cost per response: tokenizing ~210 tokens + tensors)',
  );
  console.log('\n## cost per response (fp32, random weights, 1 thread)');
  console.log('| shape | non-emb params | ms/response | responses/s | GFLOP/s | Best-of-16 |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  let gflops = 0;
  for (const { shape, row } of perShape) {
    const g = (2 * paramCount(shape) * row.tokens) / (row.scorerMs / 1000) / 1e9;
    gflops = Math.max(gflops, g);
    console.log(
      `| ${shape.name} | ${(paramCount(shape) / 1e6).toFixed(0)} M | ${fmt(row.scorerMs)} | ${(1000 / row.scorerMs).toFixed(2)} | ${g.toFixed(0)} | ${((16 * row.scorerMs) / 1000).toFixed(2)} s |`,
    );
  }
  if (gflops > 0) {
    // Skywork-Reward-V2-Qwen3-0.6B: ~0.44 B non-embedding parameters; q8 speed-up 3.1-3.3x measured in notes.
    const qwenMs = ((2 * 0.44e9 * 212) / (gflops * 1e9)) * 1000;
    console.log(
      `| qwen3-0.6b (estimate from GFLOP/s) | 440 M | ~${qwenMs.toFixed(0)} fp32, ~${(qwenMs / 3.2).toFixed(0)} q8 | | | ~${((16 * qwenMs) / 1000).toFixed(0)} s fp32, ~${((16 * qwenMs) / 3.2 / 1000).toFixed(1)} s q8 |`,
    );
  }
  await cacheCost();
}

await main();
