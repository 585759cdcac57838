// Benchmark loaders: problems (id, prompt, gold answer) for `bom sample`. One tolerant reader covers
// the files in shared/data/benchmarks and the documented generic JSONL:
//   {"id"?: string|number, "prompt"|"problem"|"question": string, "messages"?: [{role, content}],
//    "gold"|"answer"?: string|number}      — one problem per line; no gold means ungraded.
// GSM8K's `answer` is a worked solution ending in `#### N`; only N is the gold answer.
import { BomError } from '../src/core/index.ts';
import { type BadLine, type OnBadLine, parseJsonl, readInputFile, settleBadLines } from './jsonl.ts';

export interface BenchmarkProblem {
  readonly id: string;
  readonly prompt?: string;
  readonly messages?: { role: string; content: string }[];
  readonly gold: string | null;
  readonly meta?: Record<string, unknown>;
}

export interface LoadedBenchmark {
  readonly problems: BenchmarkProblem[];
  readonly bad: BadLine[];
}

/** The number after GSM8K's `####`, without thousands separators; null when absent. */
export function gsm8kGold(answer: string): string | null {
  const m = /####\s*(.+?)\s*$/.exec(answer);
  return m?.[1] !== undefined ? m[1].replace(/,/g, '') : null;
}

export function loadBenchmark(file: string, onBadLine: OnBadLine = 'stop'): LoadedBenchmark {
  const text = readInputFile(file, 'benchmark');
  // MARIO's annotation file is one JSON array, not JSONL.
  if (text.trimStart().startsWith('[')) {
    let rows: unknown;
    try {
      rows = JSON.parse(text);
    } catch (err) {
      throw new BomError(`${file}: malformed JSON array: ${(err as Error).message}`, {
        code: 'bad_input_line',
      });
    }
    if (!Array.isArray(rows)) throw new BomError(`${file}: expected an array`, { code: 'bad_input_line' });
    const lines = rows.map((value, i) => ({ line: i + 1, value }));
    const out = convertAll(lines, file, 'skip');
    return { problems: out.problems, bad: settleBadLines(out.bad, onBadLine) };
  }
  const { lines, bad } = parseJsonl(text, file, 'skip');
  const out = convertAll(lines, file, 'skip');
  return { problems: out.problems, bad: settleBadLines([...bad, ...out.bad], onBadLine) };
}

/** `line` is the 1-based line, or the 1-based element number of a JSON array file. */
function convertAll(
  lines: { line: number; value: unknown }[],
  file: string,
  onBadLine: OnBadLine,
): LoadedBenchmark {
  const problems: BenchmarkProblem[] = [];
  const bad: BadLine[] = [];
  const seen = new Set<string>();
  for (const { line, value } of lines) {
    try {
      const p = toProblem(value, line - 1);
      if (seen.has(p.id)) throw new Error(`duplicate id '${p.id}'`);
      seen.add(p.id);
      problems.push(p);
    } catch (err) {
      bad.push({ file, line, message: (err as Error).message });
    }
  }
  return { problems, bad: settleBadLines(bad, onBadLine) };
}

function toProblem(value: unknown, position: number): BenchmarkProblem {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('not a JSON object');
  const v = value as Record<string, unknown>;
  const prompt = [v['prompt'], v['problem'], v['question']].find((x) => typeof x === 'string') as
    | string
    | undefined;
  const messages = Array.isArray(v['messages']) ? (v['messages'] as BenchmarkProblem['messages']) : undefined;
  if (prompt === undefined && messages === undefined)
    throw new Error("no 'prompt', 'problem', 'question' or 'messages'");
  const rawId = v['id'] ?? v['unique_id'] ?? v['index'];
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : String(position);
  const rawGold = v['gold'] ?? v['answer'];
  let gold: string | null = null;
  if (typeof rawGold === 'number') gold = String(rawGold);
  else if (typeof rawGold === 'string') gold = rawGold.includes('####') ? gsm8kGold(rawGold) : rawGold;
  const meta: Record<string, unknown> = {};
  for (const key of ['level', 'subject', 'human_type', 'url']) if (v[key] !== undefined) meta[key] = v[key];
  return {
    id,
    ...(prompt !== undefined ? { prompt } : {}),
    ...(messages !== undefined ? { messages } : {}),
    gold,
    ...(Object.keys(meta).length > 0 ? { meta } : {}),
  };
}
