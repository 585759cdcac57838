// Recorded samples for the replay upstream. Two formats, detected per line:
// - generic: {"id"?, "prompt"|"question"|"problem"?, "messages"?, "samples": [string | {text,
//   finish_reason?, logprobs?: number[], tokens?: string[], completion_tokens?,
//   reasoning_content?}]}
// - the Qwen2.5-Math evaluation file: {"question", "code"|"response": [string, …], …}
import { readFileSync } from 'node:fs';
import { BomError } from '../../core/index.ts';

export interface RecordedSample {
  text: string;
  finishReason: string;
  logprobs?: number[];
  tokens?: string[];
  completionTokens?: number;
  /** Served as the chat message's `reasoning_content` (vLLM's reasoning parsers). */
  reasoning?: string;
}

export interface RecordedProblem {
  id: string;
  prompt: string;
  samples: RecordedSample[];
}

type Row = Record<string, unknown>;

function promptOf(row: Row): string {
  for (const key of ['prompt', 'question', 'problem', 'query']) {
    const v = row[key];
    if (typeof v === 'string') return v;
  }
  const messages = row['messages'];
  if (Array.isArray(messages)) {
    const user = [...messages].reverse().find((m) => (m as Row)['role'] === 'user') as Row | undefined;
    if (typeof user?.['content'] === 'string') return user['content'];
  }
  return '';
}

function sampleOf(v: unknown): RecordedSample | null {
  if (typeof v === 'string') return { text: v, finishReason: 'stop' };
  if (typeof v !== 'object' || v === null) return null;
  const s = v as Row;
  const text = s['text'] ?? s['content'] ?? s['response'];
  if (typeof text !== 'string') return null;
  const out: RecordedSample = {
    text,
    finishReason: typeof s['finish_reason'] === 'string' ? s['finish_reason'] : 'stop',
  };
  if (Array.isArray(s['logprobs']) && s['logprobs'].every((x) => typeof x === 'number'))
    out.logprobs = s['logprobs'] as number[];
  if (Array.isArray(s['tokens'])) out.tokens = (s['tokens'] as unknown[]).map(String);
  if (typeof s['completion_tokens'] === 'number') out.completionTokens = s['completion_tokens'];
  const reasoning = s['reasoning_content'] ?? s['reasoning'];
  if (typeof reasoning === 'string') out.reasoning = reasoning;
  return out;
}

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/**
 * One problem per id: in a bom store a later line for the same id supersedes an earlier one (a
 * topped-up pool after its partial line), so the last line wins, at the first line's position.
 */
export function parseSamples(text: string, source = 'samples'): RecordedProblem[] {
  const byId = new Map<string, RecordedProblem>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new BomError(`${source}:${i + 1}: not JSON`, { code: 'bad_samples_file', param: 'samples' });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new BomError(`${source}:${i + 1}: expected a JSON object per line, got ${kindOf(parsed)}`, {
        code: 'bad_samples_file',
        param: 'samples',
      });
    }
    const row = parsed as Row;
    const list = row['samples'] ?? row['code'] ?? row['response'];
    const samples = Array.isArray(list)
      ? list.map(sampleOf).filter((s): s is RecordedSample => s !== null)
      : [];
    if (samples.length === 0) {
      throw new BomError(`${source}:${i + 1}: no samples (expected "samples", "code" or "response")`, {
        code: 'bad_samples_file',
        param: 'samples',
      });
    }
    const id = row['id'] ?? row['idx'] ?? i;
    byId.set(String(id), { id: String(id), prompt: promptOf(row), samples });
  });
  const problems = [...byId.values()];
  if (problems.length === 0) {
    throw new BomError(`${source}: no problems`, { code: 'bad_samples_file', param: 'samples' });
  }
  return problems;
}

export function loadSamples(path: string): RecordedProblem[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new BomError(`Cannot read ${path}: ${(err as Error).message}`, {
      code: 'samples_unreadable',
      param: 'samples',
    });
  }
  return parseSamples(text, path);
}
