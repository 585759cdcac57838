// Where `bom eval` / `bom ab` get problems from: a sample file (any known format) or the simulator.
import { strategyNames } from '../strategies/index.ts';
import { serverAnswerTools } from './answer-tools.ts';
import { num, oneOf } from './cli-args.ts';
import { type SampleFormat, loadSamples, sampleFormats } from './formats.ts';
import type { OnBadLine } from './jsonl.ts';
import type { AnswerMode, AnswerTools } from './prepare.ts';
import type { ProblemRecord } from './store.ts';
import type { SharedStrategyFlags } from './arms.ts';

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
  tools: AnswerTools | null;
  badLines: string[];
}

export function loadSource(flags: SourceFlags): LoadedSource {
  const format = oneOf('format', flags.format, ['auto', ...sampleFormats] as const) ?? 'auto';
  const onBadLine = oneOf<OnBadLine>('on-bad-line', flags['on-bad-line'], ['skip', 'stop']) ?? 'stop';
  const requested = oneOf('answers', flags.answers, ['auto', 'recorded', 'extract'] as const) ?? 'auto';
  const loaded = loadSamples(flags.samples, { format, onBadLine });
  const tools = serverAnswerTools;
  // auto: the server's extraction and equivalence (the code `bom serve` runs), when wired in.
  const mode: AnswerMode = requested === 'auto' ? (tools ? 'extract' : 'recorded') : requested;
  return {
    records: loaded.records,
    format: loaded.format,
    mode,
    tools,
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
