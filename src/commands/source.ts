// Where `bom eval` / `bom ab` get problems from: a sample file (any known format) or the simulator.
import {
  optionFlag,
  parseOptionValue,
  type SelectionOptions,
  strategyNames,
  strategyOptionFields,
  strategyOptionNames,
} from '../../strategies/index.ts';
import { BomError } from '../core/index.ts';
import { oneOf } from './args.ts';
import { type SampleFormat, loadSamples, sampleFormats } from '../../eval/index.ts';
import type { OnBadLine } from '../../eval/index.ts';
import { type AnswerService, offlineMathAnswers } from '../selection/index.ts';
import type { AnswerMode } from '../../eval/index.ts';
import type { ProblemRecord } from '../../eval/index.ts';

export interface SourceFlags {
  samples: string;
  format?: string;
  'on-bad-line'?: string;
  answers?: string;
}

export interface LoadedSource {
  records: ProblemRecord[];
  format: SampleFormat;
  mode: AnswerMode;
  answers: AnswerService;
  badLines: string[];
}

export function loadSource(flags: SourceFlags): LoadedSource {
  const format = oneOf('format', flags.format, ['auto', ...sampleFormats] as const) ?? 'auto';
  const onBadLine = oneOf<OnBadLine>('on-bad-line', flags['on-bad-line'], ['skip', 'stop']) ?? 'stop';
  const requested = oneOf('answers', flags.answers, ['auto', 'recorded', 'extract'] as const) ?? 'auto';
  const loaded = loadSamples(flags.samples, { format, onBadLine });
  // auto: the server's extraction, voting rule and equivalence (the code `bom serve` runs).
  const mode: AnswerMode = requested === 'auto' ? 'extract' : requested;
  return {
    records: loaded.records,
    format: loaded.format,
    mode,
    answers: offlineMathAnswers,
    badLines: loaded.bad.map((b) => `${b.file}:${b.line}: ${b.message} (skipped)`),
  };
}

/** Shared CLI args of eval-style commands. */
export const sourceArgs = {
  samples: {
    type: 'string',
    description: 'sample file: bom JSONL or a known recorded-sample file',
    required: true,
  },
  format: { type: 'string', description: `file format: auto, ${sampleFormats.join(', ')}`, default: 'auto' },
  answers: {
    type: 'string',
    description:
      "auto | recorded (the file's answers, exact match) | extract (re-extract, grade by equivalence)",
    default: 'auto',
  },
  'on-bad-line': { type: 'string', description: 'skip or stop at a malformed line', default: 'stop' },
} as const;

/** One flag per strategy option (`--alpha`, `--min-votes`, `--aggregate`), from the options schema. */
export const strategyOptionArgs = Object.fromEntries(
  strategyOptionNames.map((name) => [
    optionFlag(name),
    { type: 'string', description: strategyOptionFields[name].description } as const,
  ]),
) as Record<string, { readonly type: 'string'; readonly description: string }>;

/** The shared strategy options the flags set; each error names its flag. */
export function sharedStrategyFlags(args: Record<string, unknown>): SelectionOptions {
  const out: Record<string, unknown> = {};
  for (const name of strategyOptionNames) {
    const flag = optionFlag(name);
    const text = args[flag];
    if (typeof text !== 'string' || text === '') continue;
    const parsed = parseOptionValue(name, text);
    if (!parsed.ok)
      throw new BomError(`--${flag}: ${parsed.message}`, { code: 'invalid_option', param: flag });
    out[name] = parsed.value;
  }
  return out as SelectionOptions;
}

export const defaultStrategies = strategyNames.join(',');
