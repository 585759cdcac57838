// Local generation throughput: samples/s and tokens/s at N = 1, 4, 8, and one batched
// generate call vs N sequential ones, on the tiny fixture model and on a random-weight model of
// Qwen2.5-0.5B's shape (built once into bench/results/, ~2 GB; BENCH_LM_PRESET=small for a quick run).
//
//   npm run bench -- local-generation
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildRandomLm, PRESETS, parameterCount } from '../test/fixtures/build-random-lm.ts';
import { buildTinyLm, TINY_LM_DIR } from '../test/fixtures/build-tiny-lm.ts';
import { LocalGenerator } from '../src/upstream/local/generator.ts';

const messages = [
  { role: 'user', content: 'Natalia sold clips to 48 of her friends in April. How many clips?' },
];

async function measure(g: LocalGenerator, n: number, maxTokens: number) {
  await g.generate({ messages, n: 1, temperature: 1, topP: 1, topK: 0, maxTokens: 2, seed: 0 }); // warm-up
  const t0 = performance.now();
  const r = await g.generate({ messages, n, temperature: 1, topP: 1, topK: 0, maxTokens, seed: 1 });
  const seconds = (performance.now() - t0) / 1000;
  const tokens = r.samples.reduce((s, x) => s + x.completionTokens, 0);
  return { seconds, tokens, samplesPerS: n / seconds, tokensPerS: tokens / seconds };
}

async function table(label: string, dir: string, maxTokens: number, dtype: 'fp32' | 'q8' = 'fp32') {
  const batched = new LocalGenerator({ model: dir, maxBatch: 8, dtype });
  const sequential = new LocalGenerator({ model: dir, maxBatch: 1, dtype });
  const t0 = performance.now();
  await batched.load();
  await sequential.load();
  console.log(
    `\n${label}: load ${((performance.now() - t0) / 2000).toFixed(2)} s per model, ${maxTokens} tokens per sample`,
  );
  const rows: { n: number; batchedTps: number; sequentialTps: number }[] = [];
  for (const n of [1, 4, 8]) {
    const b = await measure(batched, n, maxTokens);
    const s = n === 1 ? b : await measure(sequential, n, maxTokens);
    rows.push({ n, batchedTps: b.tokensPerS, sequentialTps: s.tokensPerS });
    console.log(
      `N=${n}: batched ${b.samplesPerS.toFixed(2)} samples/s, ${b.tokensPerS.toFixed(1)} tokens/s (${b.seconds.toFixed(2)} s)` +
        (n === 1
          ? ''
          : ` | sequential ${s.samplesPerS.toFixed(2)} samples/s, ${s.tokensPerS.toFixed(1)} tokens/s` +
            ` → batching ${(b.tokensPerS / s.tokensPerS).toFixed(2)}× faster`),
    );
  }
  await batched.close();
  await sequential.close();
  return rows;
}

buildTinyLm(TINY_LM_DIR);
await table('tiny fixture model (bigram, 13-token answers)', TINY_LM_DIR, 32);

const presetName = process.env['BENCH_LM_PRESET'] ?? 'qwen2.5-0.5b';
const shape = PRESETS[presetName]!;
const params = parameterCount(shape);
const maxTokens = Number(process.env['BENCH_LM_TOKENS'] ?? 24);
for (const dtype of (process.env['BENCH_LM_DTYPES'] ?? 'q8,fp32').split(',') as ('fp32' | 'q8')[]) {
  const dir = join(import.meta.dirname, 'results', `random-lm-${presetName}`);
  const file = join(dir, 'onnx', dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx');
  if (!existsSync(file)) {
    console.log(`\nbuilding ${file} (${(params / 1e6).toFixed(0)} M parameters, ${dtype})…`);
    buildRandomLm(dir, shape, dtype);
  }
  const rows = await table(`random-weight ${presetName} shape, ${dtype}`, dir, maxTokens, dtype);
  const best = Math.max(...rows.map((r) => r.batchedTps));
  console.log(
    `effective compute at the best batch (${dtype}): ${((best * 2 * params) / 1e9).toFixed(1)} GFLOP/s (2 × ${(params / 1e6).toFixed(0)} M parameters per token)`,
  );
}
