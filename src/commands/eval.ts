import { writeFileSync } from 'node:fs';
import { defineCommand } from 'citty';
import { parseArms } from '../../eval/arms.ts';
import { intList, num } from '../../eval/cli-args.ts';
import { evaluate } from '../../eval/evaluate.ts';
import { perProblemRows } from '../../eval/per-problem.ts';
import { renderHtml } from '../../eval/report-html.ts';
import { renderTable } from '../../eval/report-text.ts';
import { defaultStrategies, loadSource, sharedStrategyFlags, sourceArgs } from '../../eval/source.ts';

export default defineCommand({
  meta: {
    name: 'eval',
    description: 'Pass@k of selection strategies over a grid of N and k, with bootstrap CIs',
  },
  args: {
    ...sourceArgs,
    strategies: {
      type: 'string',
      description: 'comma list; name or name:key=value[:key=value]',
      default: defaultStrategies,
    },
    N: { type: 'string', description: 'sample budgets, e.g. 1,2,4,8', default: '1,2,4,8' },
    k: { type: 'string', description: 'submissions, e.g. 1,2,3', default: '1,2,3' },
    bootstrap: { type: 'string', description: 'bootstrap resamples for CIs', default: '1000' },
    json: { type: 'boolean', description: 'print one JSON document instead of a table' },
    html: { type: 'string', description: 'write a self-contained HTML report to this file' },
    'per-problem': { type: 'string', description: 'write per-problem Pass@k rows (JSONL) to this file' },
  },
  async run({ args }) {
    const source = loadSource(args);
    const arms = parseArms(args.strategies, sharedStrategyFlags(args));
    const progress = !args.json && process.stderr.isTTY;
    const run = await evaluate(source.records, arms, {
      Ns: intList('N', args.N),
      ks: intList('k', args.k),
      trials: num('trials', args.trials, (n) => Number.isInteger(n) && n >= 1) ?? 200,
      seed: num('seed', args.seed, Number.isInteger) ?? 1,
      bootstrap: num('bootstrap', args.bootstrap, (n) => Number.isInteger(n) && n >= 1) ?? 1000,
      mode: source.mode,
      tools: source.tools,
      ...(progress
        ? { onProblem: (d: number, t: number) => process.stderr.write(`\r${d}/${t} problems`) }
        : {}),
    });
    if (progress) process.stderr.write('\n');
    const summary = { samples: args.samples, format: source.format, ...run.summary };
    summary.warnings = [...source.badLines, ...summary.warnings];
    if (args['per-problem']) {
      writeFileSync(
        args['per-problem'],
        perProblemRows(run)
          .map((r) => JSON.stringify(r))
          .join('\n') + '\n',
      );
    }
    if (args.html) writeFileSync(args.html, renderHtml(summary, run));
    if (args.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } else {
      process.stdout.write(renderTable(summary));
    }
    if (!args.json) for (const w of source.badLines) process.stderr.write(`warning: ${w}\n`);
  },
});
