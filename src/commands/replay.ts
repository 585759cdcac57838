import { defineCommand } from 'citty';
import { listen } from '../server/serve.ts';
import { createReplay, loadSamples } from '../upstream/replay/index.ts';

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

export default defineCommand({
  meta: {
    name: 'replay',
    description: 'An OpenAI-compatible upstream that serves recorded samples, with fault injection',
  },
  args: {
    samples: {
      type: 'string',
      required: true,
      description: 'JSONL of problems with samples (generic or Qwen eval format)',
    },
    port: { type: 'string', default: '8000' },
    host: { type: 'string', default: '127.0.0.1' },
    model: { type: 'string', default: 'replay', description: 'Model id(s) to list, comma-separated' },
    'error-rate': { type: 'string', description: 'Probability a call fails' },
    'error-status': { type: 'string', description: 'Status of injected failures (default 500)' },
    'latency-ms': { type: 'string', description: 'Added latency per call' },
    'timeout-rate': { type: 'string', description: 'Probability a call never answers' },
    'disconnect-rate': { type: 'string', description: 'Probability a call is cut mid-answer' },
    'reject-n': { type: 'boolean', description: 'Answer 400 to n > 1 (llama.cpp style)' },
    'ignore-n': { type: 'boolean', description: 'Return one choice whatever n says' },
    seed: { type: 'string', default: '1' },
  },
  async run({ args }) {
    const problems = loadSamples(args.samples);
    const replay = createReplay({
      problems,
      models: args.model.split(','),
      seed: Number(args.seed),
      faults: {
        errorRate: num(args['error-rate']),
        errorStatus: num(args['error-status']),
        latencyMs: num(args['latency-ms']),
        timeoutRate: num(args['timeout-rate']),
        disconnectRate: num(args['disconnect-rate']),
        rejectN: args['reject-n'],
        ignoreN: args['ignore-n'],
      },
    });
    const l = await listen(replay.app, Number(args.port), args.host);
    process.stdout.write(
      `bom replay: ${problems.length} problems on ${l.url}/v1 (stats at ${l.url}/_replay/stats)\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => l.close(2000).then(resolve);
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
  },
});
