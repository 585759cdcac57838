// Strategy specs from the command line: `best-of-majority` or `best-of-majority:alpha=0.1:aggregate=max`
// (object options: `majority:adaptive=0.9:adaptive_rule=window` sets adaptive {confidence, rule})
// (short names work: `bom:alpha=0.1`). Shared flags (--alpha, --min-votes, --aggregate: one per
// strategy option, strategies/options.ts) apply to the strategies that take them; options in a spec
// override them, so one run can compare option sets (e.g. several α) side by side.
import {
  getStrategy,
  optionSubKey,
  parseOptionValue,
  parseSubOptionValue,
  parseStrategyOptions,
  type SelectionOptions,
  type StrategyOptionName,
  strategyOptionNames,
} from '../strategies/index.ts';
import { BomError } from '../src/core/index.ts';
import type { Arm } from './grid.ts';

const invalid = (message: string) => new BomError(message, { code: 'invalid_option', param: 'strategies' });

export function parseArm(spec: string, shared: SelectionOptions = {}): Arm {
  const [name, ...pairs] = spec.trim().split(':');
  const strategy = getStrategy(name ?? '');
  const takes = new Set<string>(strategy.options);
  const options: Record<string, unknown> = {};
  for (const key of strategy.options) if (shared[key] !== undefined) options[key] = shared[key];
  for (const pair of pairs) {
    const [key, raw] = pair.split('=');
    if (!key || raw === undefined)
      throw invalid(`strategy option '${pair}' in '${spec}' should be key=value`);
    const option = key.replace(/-/g, '_');
    // `adaptive_rule=window`: one key of an object option.
    const sub = optionSubKey(option);
    if (sub && takes.has(sub.name)) {
      const parsed = parseSubOptionValue(sub.name, sub.key, raw, options[sub.name]);
      if (!parsed.ok) throw invalid(`'${key}' in '${spec}': ${parsed.message}`);
      options[sub.name] = parsed.value;
      continue;
    }
    if (!(strategyOptionNames as readonly string[]).includes(option)) {
      throw invalid(
        `unknown strategy option '${key}' in '${spec}'; options are: ${strategyOptionNames.join(', ')}`,
      );
    }
    if (!takes.has(option)) {
      const list = strategy.options.length > 0 ? strategy.options.join(', ') : 'no options';
      throw invalid(`${strategy.name} does not take '${key}' (in '${spec}'); it takes ${list}`);
    }
    const parsed = parseOptionValue(option as StrategyOptionName, raw);
    if (!parsed.ok) throw invalid(`'${key}' in '${spec}': ${parsed.message}`);
    options[option] = parsed.value;
  }
  // The strategy validates (and names the bad field) before the grid starts, not mid-run.
  parseStrategyOptions({ ...options, k: 1 });
  return { label: spec.trim(), strategy, options: options as SelectionOptions };
}

export function parseArms(list: string, shared: SelectionOptions = {}): Arm[] {
  const specs = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (specs.length === 0) throw invalid('no strategies given');
  return specs.map((s) => parseArm(s, shared));
}
