// Sample files bom can evaluate: its own store, and the two real recorded-sample files in
// shared/data/samples (converted on read). The format is detected from the first record or named.
import { BomError } from '../src/core/index.ts';
import { type BadLine, type OnBadLine, parseJsonl, readInputFile, settleBadLines } from './jsonl.ts';
import { type ProblemRecord, parseStore } from './store.ts';

export const sampleFormats = ['bom', 'qwen-rm-maj', 'gsm8k-solutions'] as const;
export type SampleFormat = (typeof sampleFormats)[number];

export interface LoadSamplesOptions {
  format?: SampleFormat | 'auto';
  onBadLine?: OnBadLine;
}

export interface LoadedSamples {
  readonly format: SampleFormat;
  readonly records: ProblemRecord[];
  readonly bad: BadLine[];
}

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Which format a parsed record looks like, or null. */
export function detectFormat(value: unknown): SampleFormat | null {
  if (!isObject(value)) return null;
  if (Array.isArray(value['samples'])) return 'bom';
  if (Array.isArray(value['code']) && Array.isArray(value['pred'])) return 'qwen-rm-maj';
  if (typeof value['ground_truth'] === 'string' && GSM8K_SYSTEMS.some((s) => isObject(value[s])))
    return 'gsm8k-solutions';
  return null;
}

/** Reads a sample file: the one reader of recorded samples (`bom eval`, `ab`, `score` and `replay`). */
export function loadSamples(file: string, options: LoadSamplesOptions = {}): LoadedSamples {
  return parseSamples(readInputFile(file), file, options);
}

/** Parses the text of a sample file; `file` names it in errors (`file:line`). */
export function parseSamples(
  text: string,
  file = 'samples',
  options: LoadSamplesOptions = {},
): LoadedSamples {
  const onBadLine = options.onBadLine ?? 'stop';
  let format = options.format ?? 'auto';
  const { lines, bad } = parseJsonl(text, file, 'skip');
  if (format === 'auto') {
    const detected = lines.map((l) => detectFormat(l.value)).find((f) => f !== null);
    if (!detected) {
      const first = bad[0] ?? lines.find((l) => !isObject(l.value));
      if (first && (!('value' in first) || !isObject(first.value))) {
        const why =
          'value' in first ? `expected a JSON object per line, got ${kindOf(first.value)}` : first.message;
        throw new BomError(`${file}:${first.line}: ${why}`, { code: 'bad_samples_file', param: 'samples' });
      }
      throw new BomError(
        `cannot tell the format of ${file}; name it with --format (${sampleFormats.join(', ')})`,
        {
          code: 'unknown_format',
          param: 'format',
        },
      );
    }
    format = detected;
  }
  if (format === 'bom') return { format, ...parseStore(text, file, onBadLine) };
  const convert = format === 'qwen-rm-maj' ? fromQwen : fromGsm8kSolutions;
  const records: ProblemRecord[] = [];
  // In bom's store a repeated id is a top-up (the last line wins); a recorded-sample file has no such
  // meaning, and two problems under one id would collide in reports and A/B disagreements.
  const firstLine = new Map<string, number>();
  lines.forEach(({ line, value }, position) => {
    try {
      const record = convert(value, position);
      const first = firstLine.get(record.id);
      if (first !== undefined)
        throw new Error(`duplicate problem id '${record.id}' (first on line ${first})`);
      firstLine.set(record.id, line);
      records.push(record);
    } catch (err) {
      bad.push({ file, line, message: (err as Error).message });
    }
  });
  return { format, records, bad: settleBadLines(bad, onBadLine) };
}

function field<T>(
  record: Record<string, unknown>,
  name: string,
  check: (v: unknown) => v is T,
  what: string,
): T {
  const v = record[name];
  if (!check(v)) throw new Error(`field '${name}' should be ${what}`);
  return v;
}
const isString = (v: unknown): v is string => typeof v === 'string';
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);

/**
 * Qwen2.5-Math's rm@k / maj@k example: `code` = responses, `pred` = their extracted answers,
 * `score` = their correctness, `pred_score` = [[reward]] per response, `gt` = gold.
 */
function fromQwen(value: unknown, position: number): ProblemRecord {
  if (!isObject(value)) throw new Error('not a JSON object');
  const code = field(value, 'code', isArray, 'an array of responses');
  const pred = field(value, 'pred', isArray, 'an array of answers');
  const score = isArray(value['score']) ? value['score'] : [];
  const rewards = isArray(value['pred_score']) ? value['pred_score'] : [];
  if (pred.length !== code.length)
    throw new Error(`'pred' has ${pred.length} entries for ${code.length} responses`);
  const samples = code.map((text, i) => {
    if (typeof text !== 'string') throw new Error(`code[${i}] is not a string`);
    const p = pred[i];
    const s = score[i];
    const r = rewards[i];
    const reward = Array.isArray(r) ? r[0] : r;
    return {
      text,
      answer: typeof p === 'string' ? p : null,
      correct: typeof s === 'boolean' ? s : null,
      reward: typeof reward === 'number' ? reward : null,
    };
  });
  const idx = value['idx'];
  const meta: Record<string, unknown> = { source: 'qwen-rm-maj' };
  if (typeof value['level'] === 'string') meta['level'] = value['level'];
  const system = value['system'];
  const question = field(value, 'question', isString, 'a string');
  return {
    id: typeof idx === 'number' || typeof idx === 'string' ? String(idx) : String(position),
    prompt: question,
    ...(typeof system === 'string'
      ? {
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: question },
          ],
        }
      : {}),
    gold:
      typeof value['gt'] === 'string'
        ? value['gt']
        : typeof value['answer'] === 'string'
          ? value['answer']
          : null,
    samples,
    meta,
  };
}

/** The four systems of openai/grade-school-math's example_model_solutions.jsonl, in file order. */
export const GSM8K_SYSTEMS = ['6b_finetuning', '6b_verification', '175b_finetuning', '175b_verification'];

/** GSM8K solutions end with `A: <answer>` (the ground truth too); null when that line is missing. */
export function gsm8kFinalAnswer(text: string): string | null {
  const m = /(?:^|\n)A:\s*([^\n]*)\s*$/.exec(text.trimEnd());
  return m?.[1] !== undefined ? m[1].trim() : null;
}

/**
 * openai/grade-school-math example solutions: one solution from each of 4 systems per problem
 * (so not i.i.d. samples), each with its recorded correctness; no rewards.
 */
function fromGsm8kSolutions(value: unknown, position: number): ProblemRecord {
  if (!isObject(value)) throw new Error('not a JSON object');
  const question = field(value, 'question', isString, 'a string');
  const truth = field(value, 'ground_truth', isString, 'a string');
  const samples = GSM8K_SYSTEMS.filter((s) => value[s] !== undefined).map((system) => {
    const entry = value[system];
    if (!isObject(entry) || typeof entry['solution'] !== 'string')
      throw new Error(`'${system}' should be {solution, is_correct}`);
    const correct = entry['is_correct'];
    return {
      text: entry['solution'],
      answer: gsm8kFinalAnswer(entry['solution']),
      correct: typeof correct === 'boolean' ? correct : null,
    };
  });
  return {
    id: String(position),
    prompt: question,
    gold: gsm8kFinalAnswer(truth),
    samples,
    meta: { source: 'gsm8k-solutions', systems: GSM8K_SYSTEMS },
  };
}
