import { defineCommand } from 'citty';
import { BomError } from '../core/index.ts';
import { num, oneOf } from './args.ts';
import { sourceArgs } from './source.ts';
import { listen } from '../server/index.ts';
import { loadSamples, type OnBadLine, sampleFormats } from '../../eval/index.ts';
import { createReplay } from '../upstream/index.ts';

const rate = (n: number) => n >= 0 && n <= 1;
const int =
  (min: number, max = Number.MAX_SAFE_INTEGER) =>
  (n: number) =>
    Number.isInteger(n) && n >= min && n <= max;

export default defineCommand({
  meta: {
    name: 'replay',
    description: 'An OpenAI-compatible upstream that serves recorded samples, with fault injection',
  },
  args: {
    samples: {
      type: 'string',
      required: true,
      description: 'recorded samples: a bom store or a known recorded-sample file',
    },
    format: sourceArgs.format,
    'on-bad-line': sourceArgs['on-bad-line'],
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
    // Flags are checked before the file is read: a typo is one line, not a server with NaN faults.
    const port = num('port', args.port, int(0, 65535)) ?? 8000;
    const seed = num('seed', args.seed, int(Number.MIN_SAFE_INTEGER)) ?? 1;
    const faults = {
      errorRate: num('error-rate', args['error-rate'], rate),
      errorStatus: num('error-status', args['error-status'], int(400, 599)),
      latencyMs: num('latency-ms', args['latency-ms'], int(0)),
      timeoutRate: num('timeout-rate', args['timeout-rate'], rate),
      disconnectRate: num('disconnect-rate', args['disconnect-rate'], rate),
      rejectN: args['reject-n'],
      ignoreN: args['ignore-n'],
    };
    const format = oneOf('format', args.format, ['auto', ...sampleFormats] as const) ?? 'auto';
    const onBadLine = oneOf<OnBadLine>('on-bad-line', args['on-bad-line'], ['skip', 'stop']) ?? 'stop';
    const loaded = loadSamples(args.samples, { format, onBadLine });
    for (const b of loaded.bad)
      process.stderr.write(`warning: ${b.file}:${b.line}: ${b.message} (skipped)\n`);
    const problems = loaded.records;
    if (problems.length === 0) {
      throw new BomError(`${args.samples}: no problems to serve`, {
        code: 'bad_samples_file',
        param: 'samples',
      });
    }
    const replay = createReplay({ problems, models: args.model.split(','), seed, faults });
    const l = await listen(replay.app, port, args.host);
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
