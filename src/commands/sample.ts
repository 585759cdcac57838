import { defineCommand } from 'citty';
import { finishRun, progressPrinter } from './batch-run.ts';
import { offlineMathAnswers } from '../selection/index.ts';
import { loadBenchmark } from '../../eval/index.ts';
import { httpUrl, intIn, MAX_SAMPLES_PER_PROBLEM, num, oneOf } from './args.ts';
import type { OnBadLine } from '../../eval/index.ts';
import { parseShard, runSampling, selectProblems } from '../../eval/index.ts';
import { openStore } from '../../eval/index.ts';
import { upstreamDraw } from '../../eval/index.ts';
import { BomError } from '../core/index.ts';
import { createOpenAIUpstream } from '../upstream/index.ts';

const DEFAULT_SYSTEM = 'Please reason step by step, and put your final answer within \\boxed{}.';

export default defineCommand({
  meta: {
    name: 'sample',
    description:
      'Draw N samples per benchmark problem from an OpenAI-compatible upstream into a resumable store',
  },
  args: {
    benchmark: {
      type: 'string',
      description: 'benchmark file (GSM8K, MATH-500, AIME, AMC, HMMT or generic JSONL)',
      required: true,
    },
    out: { type: 'string', description: 'sample store (JSONL); an existing one is resumed', required: true },
    model: { type: 'string', description: 'upstream model name', required: true },
    url: {
      type: 'string',
      description: 'upstream base URL (default $OPENAI_BASE_URL or http://127.0.0.1:8000/v1)',
    },
    'api-key': { type: 'string', description: 'upstream API key (default $OPENAI_API_KEY)' },
    samples: { type: 'string', description: 'samples per problem (N, at most 100000)', default: '8' },
    temperature: { type: 'string', description: 'sampling temperature', default: '0.7' },
    'top-p': { type: 'string', description: 'nucleus sampling' },
    'max-tokens': { type: 'string', description: 'completion token limit' },
    seed: {
      type: 'string',
      description: 'base seed sent upstream (sample i gets seed + i when sent one by one)',
    },
    system: {
      type: 'string',
      description: 'system prompt for problems without messages',
      default: DEFAULT_SYSTEM,
    },
    concurrency: { type: 'string', description: 'problems in flight', default: '4' },
    'fanout-concurrency': {
      type: 'string',
      description: 'upstream calls in flight per problem',
      default: '8',
    },
    retries: { type: 'string', description: 'retries per upstream call (429/5xx/connection)', default: '2' },
    timeout: { type: 'string', description: 'per-sample timeout, seconds', default: '600' },
    limit: { type: 'string', description: 'at most this many problems (after --shard)' },
    shard: { type: 'string', description: 'i/n: only problems at positions ≡ i (mod n)' },
    'allow-partial': {
      type: 'boolean',
      description:
        'accept short pools: do not top up problems stored with samples missing, and do not fail the run for them (short pools are stored either way)',
    },
    'top-logprobs': {
      type: 'string',
      description:
        "ask for this many top logprobs per token (1–20) and store each token's confidence (token_confidence) for deepconf",
    },
    'top-logprobs-full': {
      type: 'boolean',
      description:
        'with --top-logprobs: also store the full top-k lists per token (large: ~50 bytes per entry)',
    },
    'on-bad-line': {
      type: 'string',
      description: 'skip or stop at a malformed line of the benchmark or of an existing --out store',
      default: 'stop',
    },
  },
  async run({ args }) {
    const onBadLine = oneOf<OnBadLine>('on-bad-line', args['on-bad-line'], ['skip', 'stop']) ?? 'stop';
    const samples = intIn('samples', args.samples, 1, MAX_SAMPLES_PER_PROBLEM) ?? 8;
    const url = httpUrl('url', args.url ?? process.env['OPENAI_BASE_URL'] ?? 'http://127.0.0.1:8000/v1');
    const bench = loadBenchmark(args.benchmark, onBadLine);
    for (const b of bench.bad) process.stderr.write(`warning: ${b.file}:${b.line}: ${b.message} (skipped)\n`);
    const limit = num('limit', args.limit, (n) => Number.isInteger(n) && n >= 0);
    const problems = selectProblems(bench.problems, {
      shard: parseShard(args.shard),
      ...(limit !== undefined ? { limit } : {}),
    });
    const ungraded = problems.filter((p) => p.gold === null).length;
    if (ungraded > 0)
      process.stderr.write(`note: ${ungraded} problems have no gold answer; Pass@k will need one\n`);
    const int = (flag: string, v: string | undefined) => num(flag, v, (n) => Number.isInteger(n) && n >= 1);
    const params: Record<string, unknown> = {
      temperature: num('temperature', args.temperature, (n) => n >= 0),
    };
    const topP = num('top-p', args['top-p'], (n) => n > 0 && n <= 1);
    if (topP !== undefined) params['top_p'] = topP;
    const maxTokens = int('max-tokens', args['max-tokens']);
    if (maxTokens !== undefined) params['max_tokens'] = maxTokens;
    const seed = num('seed', args.seed, Number.isInteger);
    if (seed !== undefined) params['seed'] = seed;
    const topLogprobs = num(
      'top-logprobs',
      args['top-logprobs'],
      (n) => Number.isInteger(n) && n >= 1 && n <= 20,
    );
    if (topLogprobs !== undefined) {
      params['logprobs'] = true;
      params['top_logprobs'] = topLogprobs;
    }

    const upstream = createOpenAIUpstream({
      url,
      apiKey: args['api-key'] ?? process.env['OPENAI_API_KEY'] ?? 'none',
    });
    const timeoutMs = (num('timeout', args.timeout, (n) => n > 0) ?? 600) * 1000;
    const draw = upstreamDraw({
      upstream,
      model: args.model,
      system: args.system,
      params,
      ...(args['top-logprobs-full'] ? { keepTopLogprobs: true } : {}),
      settings: {
        nMode: 'auto',
        concurrency: int('fanout-concurrency', args['fanout-concurrency']) ?? 8,
        retries: num('retries', args.retries, (n) => Number.isInteger(n) && n >= 0) ?? 2,
        retryBaseMs: 500,
        sampleTimeoutMs: timeoutMs,
        deadlineMs: timeoutMs * 4,
      },
    });

    const store = openStore(args.out, { onBadLine });
    for (const b of store.bad)
      process.stderr.write(
        `warning: ${b.file}:${b.line}: ${b.message} (skipped; its problem is drawn again)\n`,
      );
    if (store.repaired) process.stderr.write(`note: removed a half-written last line from ${args.out}\n`);
    if (store.unglued > 0)
      process.stderr.write(
        `note: repaired ${store.unglued} lines of ${args.out} where a record was glued onto a cut one (the cut fragment is dropped)\n`,
      );
    const controller = new AbortController();
    const stop = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const progress = progressPrinter();
    const report = await runSampling({
      problems,
      store,
      draw,
      n: samples,
      concurrency: int('concurrency', args.concurrency) ?? 4,
      answers: offlineMathAnswers,
      allowPartial: args['allow-partial'] === true,
      signal: controller.signal,
      extraMeta: { model_requested: args.model, params },
      onProgress: progress.update,
      onStoreFailure: (f) => {
        progress.end();
        process.stderr.write(
          `error: ${f.error.message}. Drawing stopped. Holding ${f.samples} samples of ${f.problems} problems in memory (plus any still arriving): free space and they are written within ${Math.round(f.intervalMs / 1000)} s; after ${Math.round(f.holdMs / 60_000)} min, or on Ctrl-C, they are dropped and a rerun draws them again. The store stays valid up to its last whole line.\n`,
        );
      },
    });
    store.close();
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    progress.end();
    const parts = [
      `${report.written} problems written (${report.toppedUp} topped up)`,
      `${report.skipped} already in ${args.out}`,
      `${report.incomplete} stored still short of samples (a rerun draws only the missing ones)`,
      ...(report.empty > 0 ? [`${report.empty} got no sample (nothing stored)`] : []),
      ...(report.unwritten.problems > 0
        ? [
            `${report.unwritten.problems} problems (${report.unwritten.samples} samples) drawn but NOT written: the store could not take them`,
          ]
        : []),
      ...(report.notDrawn > 0 ? [`${report.notDrawn} not drawn (the run stopped early)`] : []),
      `${report.failed.length} failed`,
    ];
    if (report.storeError) {
      // Drawing stopped at the failed write: the run is incomplete even if every held record got written.
      process.stderr.write(`${parts.join(', ')}\n`);
      for (const f of report.failed.slice(0, 20)) process.stderr.write(`  ${f.id}: ${f.error}\n`);
      throw new BomError(
        `writing ${args.out} failed (${report.storeError}), so drawing stopped: ${report.failed.length + report.notDrawn} problems still to draw; free space and rerun the same command (it resumes after the last whole line)`,
        { code: 'store_write_failed', type: 'server_error', status: 500, param: 'out' },
      );
    }
    finishRun(parts.join(', '), report.failed, controller.signal.aborted, {
      message: 'problems are short of samples; rerun the same command to draw only the missing ones',
      code: 'sampling_incomplete',
      type: 'upstream_error',
      status: 502,
    });
  },
});
