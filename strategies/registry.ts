// Strategies by name. Adding one is one file and one line here; the contract suite picks it up.
import { BomError } from '../src/core/index.ts';
import { bestOfMajority } from './best-of-majority.ts';
import { bestOfN } from './best-of-n.ts';
import type { Strategy } from './define.ts';
import { majority } from './majority.ts';
import { weightedMajority } from './weighted-majority.ts';

export const strategies: ReadonlyMap<string, Strategy> = new Map(
  [majority, bestOfN, bestOfMajority, weightedMajority].map((s) => [s.name, s]),
);

export const strategyNames: readonly string[] = [...strategies.keys()];

export function getStrategy(name: string): Strategy {
  const s = strategies.get(name);
  if (!s) {
    throw new BomError(`Unknown strategy '${name}'; expected one of: ${strategyNames.join(', ')}`, {
      code: 'unknown_strategy',
      param: 'strategy',
    });
  }
  return s;
}
