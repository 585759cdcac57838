import { defineCommand } from 'citty';
import { intIn, num, oneOf } from './args.ts';
import { simulateRecords, simulationKinds } from '../../eval/index.ts';
import { openStore } from '../../eval/index.ts';
import { BomError } from '../core/index.ts';
import { gridArgs, runEvalCommand } from './eval.ts';

/** Simulated samples held in memory at once (~300 MB per million; the 500 x 64 benchmark is 32,000). */
const MAX_SIMULATED = 2_000_000;

export default defineCommand({
  meta: {
    name: 'simulate',
    description:
      'A simulated benchmark (answer distribution and reward-model error set by parameters): evaluate it, or write it as a sample store',
  },
  args: {
    kind: { type: 'string', description: `problem family: ${simulationKinds.join(', ')}`, default: 'mixed' },
    problems: { type: 'string', description: 'number of problems', default: '200' },
    samples: { type: 'string', description: 'pool size per problem', default: '64' },
    'reward-noise': {
      type: 'string',
      description: "per-sample reward noise (std-dev), kind 'mixed'",
      default: '0.5',
    },
    'sim-seed': { type: 'string', description: 'seed of the simulated benchmark', default: '1' },
    out: {
      type: 'string',
      description: 'write the simulated samples to this store file instead of evaluating',
    },
    ...gridArgs,
  },
  async run({ args }) {
    const kind = oneOf('kind', args.kind, simulationKinds) ?? 'mixed';
    const problems = intIn('problems', args.problems, 1, MAX_SIMULATED) ?? 200;
    const samples = intIn('samples', args.samples, 1, MAX_SIMULATED) ?? 64;
    if (problems * samples > MAX_SIMULATED) {
      // Every sample is held in memory: 10^9 of them is an out-of-memory crash minutes later.
      throw new BomError(
        `--problems x --samples is ${problems} x ${samples}; at most ${MAX_SIMULATED} simulated samples in all`,
        { code: 'invalid_option', param: 'samples' },
      );
    }
    const records = simulateRecords({
      kind,
      problems,
      samples,
      seed: num('sim-seed', args['sim-seed'], Number.isInteger) ?? 1,
      rewardNoise: num('reward-noise', args['reward-noise'], (n) => n >= 0) ?? 0.5,
    });
    if (args.out) {
      const store = openStore(args.out, { durable: false });
      for (const r of records) if (!store.has(r.id)) store.append(r);
      store.close();
      process.stderr.write(`wrote ${records.length} simulated problems to ${args.out}\n`);
      return;
    }
    await runEvalCommand(records, args, {
      samples: `simulated:${kind}`,
      format: 'bom',
      mode: 'recorded',
      badLines: [],
    });
  },
});
