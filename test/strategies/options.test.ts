// The one selection-options schema: every consumer (request body, config, eval flags and specs,
// model aliases) derives from strategies/options.ts and each strategy's own definition.
import { describe, expect, it } from 'vitest';
import { parseArm } from '../../eval/index.ts';
import { parseConfig } from '../../src/config.ts';
import { aliasesFor, parseAlias } from '../../src/server/alias.ts';
import { chatSchema, parseBody, planSelection } from '../../src/server/request.ts';
import { sharedStrategyFlags, strategyOptionArgs } from '../../src/commands/source.ts';
import {
  mergeOptions,
  resolveStrategyName,
  selectionRequestSchema,
  strategies,
  strategyOptionNames,
  strategyOptionsSchema,
} from '../../strategies/index.ts';

describe('selection options', () => {
  it('every strategy option is accepted by the request, the config, the strategy and eval', () => {
    const values = {
      alpha: 0.25,
      min_votes: 2,
      aggregate: 'max',
      adaptive: { confidence: 0.9 },
      score_members: 2,
      variant: 'tail',
      window: 64,
      keep: 10,
      top_logprobs: 5,
      warmup: 4,
      threshold: 1.5,
    } as const;
    expect(Object.keys(values).sort()).toEqual([...strategyOptionNames].sort());
    expect(selectionRequestSchema.parse(values)).toEqual(values);
    expect(parseConfig({ selection: values }).selection).toMatchObject(values);
    expect(strategyOptionsSchema.parse(values)).toEqual({ k: 1, ...values });
    const flags = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [
        k.replace('_', '-'),
        typeof v === 'object' ? String(v.confidence) : String(v),
      ]),
    );
    expect(Object.keys(strategyOptionArgs).sort()).toEqual(Object.keys(flags).sort());
    expect(sharedStrategyFlags(flags)).toEqual(values);
  });

  it('config defaults come from the same fields', () => {
    expect(parseConfig({}).selection).toEqual({
      strategy: 'majority',
      samples: 8,
      scorer: 'logprob',
      aggregate: 'mean',
    });
  });

  it('a request setting one option of a group does not inherit the default of another', () => {
    expect(mergeOptions({ min_votes: 3 }, { alpha: 0.2, aggregate: 'mean' })).toEqual({
      min_votes: 3,
      aggregate: 'mean',
    });
    expect(mergeOptions({ aggregate: 'max' }, { alpha: 0.2, aggregate: 'mean' })).toEqual({
      alpha: 0.2,
      aggregate: 'max',
    });
  });

  it('eval specs take only the options the strategy declares, parsed by their schema', () => {
    expect(parseArm('bom:alpha=0.3:min-votes=2').options).toEqual({ alpha: 0.3, min_votes: 2 });
    expect(parseArm('best-of-n', { alpha: 0.3, aggregate: 'max' }).options).toEqual({ aggregate: 'max' });
    expect(() => parseArm('majority:alpha=0.1')).toThrow(/majority does not take 'alpha'.*takes adaptive/);
    // An object option: a number sets its shorthand key, `name_key=value` one key at a time.
    expect(parseArm('maj:adaptive=0.9:adaptive_rule=window:adaptive-min-samples=2').options).toEqual({
      adaptive: { confidence: 0.9, rule: 'window', min_samples: 2 },
    });
    expect(parseArm('bon:adaptive=true').options).toEqual({ adaptive: true });
    expect(parseArm('bom:score_members=2:adaptive_batch=4').options).toEqual({
      score_members: 2,
      adaptive: { batch: 4 },
    });
    expect(() => parseArm('maj:adaptive=1.5')).toThrow(/'adaptive' in 'maj:adaptive=1.5': invalid value/);
    expect(() => parseArm('maj:adaptive_rule=median')).toThrow(/invalid value 'median'/);
    expect(() => parseArm('maj:score_members=2')).toThrow(/majority does not take 'score_members'/);
    expect(() => parseArm('bom:alpha=2')).toThrow(/'alpha' in 'bom:alpha=2': invalid value '2'/);
    expect(() => parseArm('bom:k=2')).toThrow(/unknown strategy option 'k'/);
    expect(() => parseArm('bom:aggregate=median')).toThrow(/invalid value 'median'/);
    expect(() => sharedStrategyFlags({ 'min-votes': '1.5' })).toThrow(/--min-votes: invalid value '1.5'/);
  });

  it('short names come from the strategy definitions, everywhere a strategy is named', () => {
    for (const s of strategies.values()) {
      expect(s.aliases.length).toBeGreaterThan(0);
      for (const a of s.aliases) {
        expect(resolveStrategyName(a)).toBe(s.name);
        expect(parseAlias(`${a}@4/m`)).toEqual({ strategy: s.name, samples: 4, model: 'm' });
        expect(planSelection({ model: 'm', selection: { strategy: a } }, parseConfig({})).strategy).toBe(
          s.name,
        );
      }
      expect(aliasesFor('m', 8)).toContain(`${s.aliases[0]}@8/m`);
    }
    expect(parseAlias('none/m')).toEqual({ strategy: 'none', model: 'm' });
  });

  it("Object's own members are not strategies", () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(resolveStrategyName(name)).toBeNull();
      expect(() => planSelection({ model: 'm', selection: { strategy: name } }, parseConfig({}))).toThrow(
        new RegExp(`Unknown strategy '${name}'; expected one of: none, majority`),
      );
    }
  });

  it('a union option names the key at fault, not just "Invalid input"', () => {
    const body = {
      model: 'm',
      messages: [{ role: 'user', content: 'q' }],
      selection: { adaptive: { rule: 'nope' } },
    };
    expect(() => parseBody(chatSchema, body)).toThrow(
      expect.objectContaining({
        param: 'selection.adaptive.rule',
        message: expect.stringMatching(/predictive/),
      }),
    );
    expect(() => parseConfig({ selection: { adaptive: { confidence: 2 } } })).toThrow(
      /selection\.adaptive\.confidence/,
    );
    expect(() => parseArm('maj:adaptive_rule=nope')).toThrow(/invalid value 'nope': rule: .*predictive/);
  });
});
