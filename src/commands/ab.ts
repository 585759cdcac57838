import { defineCommand } from 'citty';
import { compare } from '../../eval/index.ts';
import { parseArm } from '../../eval/index.ts';
import { intIn, intList, MAX_TRIALS, num } from './args.ts';
import { renderAb } from '../../eval/index.ts';
import { loadSource, sharedStrategyFlags, sourceArgs, strategyOptionArgs } from './source.ts';
import { gridArgs } from './eval.ts';

export default defineCommand({
  meta: {
    name: 'ab',
    description:
      'Paired A/B of two strategies or option sets: difference, paired bootstrap CI, exact sign test',
  },
  args: {
    ...sourceArgs,
    a: { type: 'string', description: 'strategy A, e.g. best-of-majority:alpha=0.3', required: true },
    b: { type: 'string', description: 'strategy B, e.g. majority', required: true },
    N: { type: 'string', description: 'sample budgets', default: '8' },
    k: { type: 'string', description: 'submissions', default: '1' },
    bootstrap: { type: 'string', description: 'bootstrap resamples', default: '1000' },
    seed: gridArgs.seed,
    trials: gridArgs.trials,
    ...strategyOptionArgs,
    show: { type: 'string', description: 'disagreeing problems to list per (N, k)', default: '10' },
    json: { type: 'boolean', description: 'print one JSON document' },
  },
  async run({ args }) {
    const source = loadSource(args);
    const shared = sharedStrategyFlags(args);
    const summary = await compare(source.records, parseArm(args.a, shared), parseArm(args.b, shared), {
      Ns: intList('N', args.N),
      ks: intList('k', args.k),
      trials: intIn('trials', args.trials, 1, MAX_TRIALS) ?? 200,
      seed: num('seed', args.seed, Number.isInteger) ?? 1,
      bootstrap: intIn('bootstrap', args.bootstrap, 1, MAX_TRIALS) ?? 1000,
      show: num('show', args.show, (n) => Number.isInteger(n) && n >= 0) ?? 10,
      mode: source.mode,
      answers: source.answers,
    });
    summary.warnings = [...source.badLines, ...summary.warnings];
    process.stdout.write(args.json ? `${JSON.stringify(summary)}\n` : renderAb(summary));
  },
});
