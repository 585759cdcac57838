import { LocalGenerator } from './src/upstream/local/generator.ts';
const g = new LocalGenerator({ model: process.argv[2]! });
for (const n of [1, 4]) {
  const t0 = performance.now();
  const r = await g.generate({
    messages: [{ role: 'user', content: 'What is 2+2?' }],
    n,
    temperature: 1,
    topP: 1,
    topK: 0,
    maxTokens: 16,
    seed: 3,
  });
  console.log(
    n,
    (performance.now() - t0).toFixed(0),
    'ms',
    r.samples.map((s) => s.completionTokens + s.finishReason).join(','),
    JSON.stringify(r.samples[0]!.text.slice(0, 60)),
    r.samples[0]!.logprobs.slice(0, 3),
  );
}
