import { defineCommand } from 'citty';
import { BomError } from '../core/index.ts';
import { parseArms } from '../../eval/index.ts';
import { intIn, intList, MAX_TRIALS, num } from './args.ts';
import { evaluate } from '../../eval/index.ts';
import { writeOutputFile } from '../../eval/index.ts';
import { perProblemRows } from '../../eval/index.ts';
import type { AnswerMode } from '../../eval/index.ts';
import type { AnswerService } from '../selection/index.ts';
import { renderHtml } from '../../eval/index.ts';
import { renderTable } from '../../eval/index.ts';
import {
  defaultStrategies,
  loadSource,
  sharedStrategyFlags,
  sourceArgs,
  strategyOptionArgs,
} from './source.ts';
import type { ProblemRecord } from '../../eval/index.ts';

/** Grid and output flags, shared with `bom simulate`. */
export const gridArgs = {
  strategies: {
    type: 'string',
    description: 'comma list; name or name:key=value[:key=value]',
    default: defaultStrategies,
  },
  N: { type: 'string', description: 'sample budgets, e.g. 1,2,4,8', default: '1,2,4,8' },
  k: { type: 'string', description: 'submissions, e.g. 1,2,3', default: '1,2,3' },
  ...strategyOptionArgs,
  seed: { type: 'string', description: 'seed for draws and bootstrap', default: '1' },
  trials: {
    type: 'string',
    description: 'draws per problem and N (one when N is the whole pool)',
    default: '200',
  },
  bootstrap: { type: 'string', description: 'bootstrap resamples for CIs', default: '1000' },
  json: { type: 'boolean', description: 'print one JSON document instead of a table' },
  html: { type: 'string', description: 'write a self-contained HTML report to this file' },
  'per-problem': { type: 'string', description: 'write per-problem Pass@k rows (JSONL) to this file' },
} as const;

export async function runEvalCommand(
  records: ProblemRecord[],
  args: Record<string, unknown> & { strategies: string; N: string; k: string },
  source: {
    samples: string;
    format: string;
    mode: AnswerMode;
    answers?: AnswerService;
    badLines: string[];
  },
): Promise<void> {
  const arms = parseArms(args.strategies, sharedStrategyFlags(args));
  const json = args['json'] === true;
  const progress = !json && process.stderr.isTTY;
  const run = await evaluate(records, arms, {
    Ns: intList('N', args.N),
    ks: intList('k', args.k),
    trials: intIn('trials', args['trials'] as string, 1, MAX_TRIALS) ?? 200,
    seed: num('seed', args['seed'] as string, Number.isInteger) ?? 1,
    bootstrap: intIn('bootstrap', args['bootstrap'] as string, 1, MAX_TRIALS) ?? 1000,
    mode: source.mode,
    ...(source.answers ? { answers: source.answers } : {}),
    ...(progress
      ? { onProblem: (d: number, t: number) => process.stderr.write(`\r${d}/${t} problems`) }
      : {}),
  });
  if (progress) process.stderr.write('\n');
  const largest = Math.max(0, ...records.map((r) => r.samples.length));
  const Ns = intList('N', args.N);
  if (run.summary.results.length === 0 && records.length > 0 && largest < Math.min(...Ns)) {
    // Every problem was left out at every N: an empty table with exit 0 would look like a result.
    throw new BomError(
      `nothing to evaluate: no problem has ${Math.min(...Ns)} or more samples (--N ${args.N}); the largest pool has ${largest}; lower --N`,
      { code: 'nothing_evaluated', param: 'N' },
    );
  }
  const summary = { samples: source.samples, format: source.format, ...run.summary };
  summary.warnings = [...source.badLines, ...summary.warnings];
  const perProblem = args['per-problem'];
  if (typeof perProblem === 'string') {
    writeOutputFile(
      perProblem,
      `${perProblemRows(run)
        .map((r) => JSON.stringify(r))
        .join('\n')}\n`,
      'per-problem',
    );
  }
  if (typeof args['html'] === 'string') writeOutputFile(args['html'], renderHtml(summary, run), 'html');
  process.stdout.write(json ? `${JSON.stringify(summary)}\n` : renderTable(summary));
}

export default defineCommand({
  meta: {
    name: 'eval',
    description: 'Pass@k of selection strategies over a grid of N and k, with bootstrap CIs',
  },
  args: { ...sourceArgs, ...gridArgs },
  async run({ args }) {
    const source = loadSource(args);
    await runEvalCommand(source.records, args, { samples: args.samples, ...source });
  },
});
