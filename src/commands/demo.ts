// `bom demo`: the strategies on the BoM paper's two synthetic constructions, no LLM needed.
import { defineCommand } from 'citty';
import { intIn, MAX_TRIALS, num } from './args.ts';
import { simulatePassAtK } from '../../eval/index.ts';
import { majorityTrap, rewardHacking, type SyntheticProblem } from '../../eval/index.ts';
import { strategies } from '../../strategies/index.ts';

async function table(
  problem: SyntheticProblem,
  ns: readonly number[],
  alpha: number,
  trials: number,
  seed: number,
) {
  const lines = [`\n${problem.name} — Pass@1 over ${trials} seeded trials (best-of-majority alpha=${alpha})`];
  lines.push(['strategy'.padEnd(18), ...ns.map((n) => `N=${n}`.padStart(7))].join(''));
  for (const s of strategies.values()) {
    const cells: string[] = [];
    for (const n of ns) {
      const r = await simulatePassAtK(problem, s, { n, k: 1, alpha, trials, seed });
      cells.push(r.passAtK.toFixed(3).padStart(7));
    }
    lines.push([s.name.padEnd(18), ...cells].join(''));
  }
  return lines.join('\n');
}

export default defineCommand({
  meta: { name: 'demo', description: "Compare the strategies on the BoM paper's synthetic constructions" },
  args: {
    trials: { type: 'string', description: 'trials per cell', default: '400' },
    seed: { type: 'string', description: 'random seed', default: '1' },
  },
  async run({ args }) {
    const trials = intIn('trials', args.trials, 1, MAX_TRIALS) ?? 400;
    const seed = num('seed', args.seed, Number.isInteger) ?? 1;
    process.stdout.write(
      (await table(majorityTrap(), [8, 32, 128, 512], 0.08, trials, seed)) +
        '\n  three wrong answers are each likelier than the correct one; the reward model is perfect.' +
        (await table(rewardHacking(), [4, 16, 64, 256], 0.2, trials, seed)) +
        '\n  10% of samples are rare wrong answers that the reward model overrates.\n',
    );
  },
});
