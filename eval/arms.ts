// Strategy specs from the command line: `best-of-majority` or `best-of-majority:alpha=0.1:aggregate=max`.
// Shared flags (--alpha, --min-votes, --aggregate) apply to the strategies that take them; options in
// a spec override them, so one run can compare option sets (e.g. several α) side by side.
import { getStrategy, parseStrategyOptions, type StrategyOptionsInput } from '../strategies/index.ts';
import { BomError } from '../src/core/index.ts';
import type { Arm } from './grid.ts';

export interface SharedStrategyFlags {
  alpha?: number;
  min_votes?: number;
  aggregate?: 'mean' | 'max' | 'sum';
}

const TAKES: Record<string, readonly (keyof SharedStrategyFlags)[]> = {
  'best-of-majority': ['alpha', 'min_votes', 'aggregate'],
  'best-of-n': ['aggregate'],
};

export function parseArm(spec: string, shared: SharedStrategyFlags = {}): Arm {
  const [name, ...pairs] = spec.trim().split(':');
  const strategy = getStrategy(name ?? '');
  const options: Record<string, unknown> = {};
  for (const key of TAKES[strategy.name] ?? []) if (shared[key] !== undefined) options[key] = shared[key];
  for (const pair of pairs) {
    const [key, raw] = pair.split('=');
    if (!key || raw === undefined) {
      throw new BomError(`strategy option '${pair}' in '${spec}' should be key=value`, {
        code: 'invalid_option',
        param: 'strategies',
      });
    }
    const normalised = key.replace(/-/g, '_');
    options[normalised] = normalised === 'aggregate' ? raw : Number(raw);
  }
  // The strategy validates (and names the bad field) before the grid starts, not mid-run.
  const { k: _k, ...rest } = options as StrategyOptionsInput;
  parseStrategyOptions({ ...rest, k: 1 });
  return { label: spec.trim(), strategy, options: rest };
}

export function parseArms(list: string, shared: SharedStrategyFlags = {}): Arm[] {
  const specs = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (specs.length === 0)
    throw new BomError('no strategies given', { code: 'invalid_option', param: 'strategies' });
  return specs.map((s) => parseArm(s, shared));
}
