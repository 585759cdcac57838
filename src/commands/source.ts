// Where `bom eval` / `bom ab` get problems from: a sample file (any known format) or the simulator.
import { strategyNames } from '../../strategies/index.ts';
import { num, oneOf } from './args.ts';
import { type SampleFormat, loadSamples, sampleFormats } from '../../eval/index.ts';
import type { OnBadLine } from '../../eval/index.ts';
import { type AnswerService, offlineMathAnswers } from '../selection/index.ts';
import type { AnswerMode } from '../../eval/index.ts';
import type { ProblemRecord } from '../../eval/index.ts';
import type { SharedStrategyFlags } from '../../eval/index.ts';

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

export function sharedStrategyFlags(args: Record<string, unknown>): SharedStrategyFlags {
  const alpha = num('alpha', args['alpha'] as string | undefined, (n) => n >= 0 && n <= 1);
  const minVotes = num(
    'min-votes',
    args['min-votes'] as string | undefined,
    (n) => Number.isInteger(n) && n >= 0,
  );
  const aggregate = oneOf(
    'aggregate',
    args['aggregate'] as string | undefined,
    ['mean', 'max', 'sum'] as const,
  );
  return {
    ...(alpha !== undefined ? { alpha } : {}),
    ...(minVotes !== undefined ? { min_votes: minVotes } : {}),
    ...(aggregate !== undefined ? { aggregate } : {}),
  };
}

export const defaultStrategies = strategyNames.join(',');
