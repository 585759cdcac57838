import { defineCommand } from 'citty';
import { finishRun, progressPrinter } from './batch-run.ts';
import { sourceArgs } from './source.ts';
import { num, oneOf } from './args.ts';
import { loadSamples, sampleFormats } from '../../eval/index.ts';
import type { OnBadLine } from '../../eval/index.ts';
import { runScoring } from '../../eval/index.ts';
import { openStore } from '../../eval/index.ts';
import { BomError } from '../core/index.ts';
import { createScorer, ScoreCache, type ScorerConfigInput } from '../reward/index.ts';

export default defineCommand({
  meta: { name: 'score', description: 'Add reward-model scores to a sample file (cached, resumable)' },
  args: {
    samples: {
      type: 'string',
      description: 'input samples (bom JSONL or a known recorded-sample file)',
      required: true,
    },
    out: { type: 'string', description: 'output store; an existing one is resumed', required: true },
    format: sourceArgs.format,
    scorer: {
      type: 'string',
      description:
        'reward config as JSON, e.g. {"kind":"transformers","model":"/models/rm"} or {"kind":"http","url":"…"}',
      required: true,
    },
    concurrency: { type: 'string', description: 'problems scored at once', default: '1' },
    rescore: { type: 'boolean', description: 'replace rewards already present' },
    'on-bad-line': sourceArgs['on-bad-line'],
  },
  async run({ args }) {
    let config: ScorerConfigInput;
    try {
      config = JSON.parse(args.scorer) as ScorerConfigInput;
    } catch (err) {
      throw new BomError(`--scorer is not valid JSON: ${(err as Error).message}`, {
        code: 'invalid_option',
        param: 'scorer',
      });
    }
    const scorer = createScorer(config, { cache: new ScoreCache() });
    await scorer.ready?.();
    const format = oneOf('format', args.format, ['auto', ...sampleFormats] as const) ?? 'auto';
    const onBadLine = oneOf<OnBadLine>('on-bad-line', args['on-bad-line'], ['skip', 'stop']) ?? 'stop';
    const input = loadSamples(args.samples, { format, onBadLine });
    for (const b of input.bad) process.stderr.write(`warning: ${b.file}:${b.line}: ${b.message} (skipped)\n`);
    const out = openStore(args.out, { onBadLine });
    for (const b of out.bad) process.stderr.write(`warning: ${b.file}:${b.line}: ${b.message} (skipped)\n`);
    if (out.repaired) process.stderr.write(`note: removed a half-written last line from ${args.out}\n`);
    const controller = new AbortController();
    const stop = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', stop);
    const progress = progressPrinter();
    try {
      const report = await runScoring({
        records: input.records,
        out,
        scorer,
        concurrency: num('concurrency', args.concurrency, (n) => Number.isInteger(n) && n >= 1) ?? 1,
        rescore: args.rescore === true,
        signal: controller.signal,
        onProgress: (p) => progress.update({ ...p, tokens: 0 }),
      });
      progress.end();
      finishRun(
        `${report.written} problems scored (${report.scoredSamples} samples) with ${scorer.id}, ${report.skipped} already in ${args.out}, ${report.failed.length} failed`,
        report.failed,
        controller.signal.aborted,
        {
          message: 'problems failed to score; rerun to retry them',
          code: 'scoring_incomplete',
          type: 'server_error',
          status: 500,
        },
      );
    } finally {
      out.close();
      process.removeListener('SIGINT', stop);
      await scorer.close?.();
    }
  },
});
