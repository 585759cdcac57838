// Strategies by name. Adding one is one file and one line here; the contract suite picks it up, and
// its name, short names and options reach the server, the config and `bom eval` from its definition.
import { BomError } from '../src/core/index.ts';
import { bestOfMajority } from './best-of-majority.ts';
import { bestOfN } from './best-of-n.ts';
import { deepconf } from './deepconf.ts';
import type { Strategy } from './define.ts';
import { majority } from './majority.ts';
import { weightedMajority } from './weighted-majority.ts';

const all: readonly Strategy[] = [majority, bestOfN, bestOfMajority, weightedMajority, deepconf];

export const strategies: ReadonlyMap<string, Strategy> = new Map(all.map((s) => [s.name, s]));

export const strategyNames: readonly string[] = [...strategies.keys()];

/** The pass-through pseudo-strategy: the server forwards the request untouched. */
export const PASS_THROUGH = 'none';

/** Short name → strategy name, from every strategy's `aliases`. */
export const shortNames: ReadonlyMap<string, string> = new Map(
  all.flatMap((s) => s.aliases.map((a) => [a, s.name] as const)),
);

/**
 * The strategy name a full or short name stands for (`none` included), or null when it is neither.
 * Own-property lookups only, so `constructor` or `__proto__` are unknown names, not Object's members.
 */
export function resolveStrategyName(name: string): string | null {
  if (name === PASS_THROUGH || strategies.has(name)) return name;
  return shortNames.get(name) ?? null;
}

export function getStrategy(name: string): Strategy {
  const s = strategies.get(resolveStrategyName(name) ?? '');
  if (!s) {
    throw new BomError(`Unknown strategy '${name}'; expected one of: ${strategyNames.join(', ')}`, {
      code: 'unknown_strategy',
      param: 'strategy',
    });
  }
  return s;
}
