// The sample store: JSONL, one line per problem (id, prompt or messages, gold answer, samples).
// Appends are crash-safe: each problem is one write of one complete line, fsync'd; a run killed
// mid-write leaves at most one unterminated last line, which `openStore` cuts off before resuming
// (a last line that is a complete record and only lacks its newline is kept).
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { z } from 'zod';
import { BomError } from '../src/core/index.ts';
import { type BadLine, type OnBadLine, parseJsonl, settleBadLines } from './jsonl.ts';

/** A bare string is a sample with only its text (hand-written files). */
const sampleShape = z.object({
  text: z.string(),
  /**
   * The upstream's separate reasoning (`reasoning_content`), kept because extraction falls back to
   * it when the text has no answer, online and offline alike.
   */
  reasoning_content: z.string().optional(),
  /** Extracted answer as recorded (by us or by the file's producer); null = none found. */
  answer: z.string().nullable().optional(),
  /** Reward-model score, once `bom score` (or the producer) added it. */
  reward: z.number().nullable().optional(),
  /** Graded correctness against the gold answer, when the producer recorded it. */
  correct: z.boolean().nullable().optional(),
  finish_reason: z.string().nullable().optional(),
  prompt_tokens: z.number().int().nonnegative().optional(),
  completion_tokens: z.number().int().nonnegative().optional(),
  /** Per-token log-probabilities and their tokens, when the producer recorded them (replay serves them). */
  logprobs: z.array(z.number()).optional(),
  tokens: z.array(z.string()).optional(),
});
export const storedSampleSchema = z.preprocess((v) => (typeof v === 'string' ? { text: v } : v), sampleShape);

export const problemRecordSchema = z
  .object({
    id: z.string(),
    prompt: z.string().optional(),
    messages: z.array(z.object({ role: z.string(), content: z.string() })).optional(),
    /** Gold answer; null or absent means ungraded (selection works, Pass@k does not). */
    gold: z.string().nullable().optional(),
    samples: z.array(storedSampleSchema),
    /**
     * An incomplete pool (`bom sample` got fewer than the N it asked for): the fan-out indices still
     * to draw, ascending. The pool asked for was N = samples + missing, and `samples` holds the other
     * indices of 0..N-1 in order (sample i is drawn with seed + i). Absent or empty: complete.
     */
    missing: z.array(z.number().int().nonnegative()).optional(),
    /** Free-form provenance (source file, level, subject, reward model id…). */
    meta: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((r, ctx) => {
    const missing = r.missing ?? [];
    const n = r.samples.length + missing.length;
    if (missing.some((m, j) => m >= n || (j > 0 && m <= missing[j - 1]!))) {
      ctx.addIssue({
        code: 'custom',
        path: ['missing'],
        message: `should be distinct ascending indices below ${n} (samples + missing)`,
      });
    }
  });

export type StoredSample = z.infer<typeof storedSampleSchema>;
export type ProblemRecord = z.infer<typeof problemRecordSchema>;

/** Fan-out index of each stored sample: 0..N-1 without the missing ones, in order. */
export function sampleIndices(record: ProblemRecord): number[] {
  const missing = new Set(record.missing ?? []);
  const out: number[] = [];
  for (let i = 0; out.length < record.samples.length; i++) if (!missing.has(i)) out.push(i);
  return out;
}

/**
 * The last line per id wins (a topped-up pool, or a rescored one, is appended after the line it
 * supersedes: the store is never rewritten). Problems keep the position of their first line.
 */
export function lastPerId(records: readonly ProblemRecord[]): ProblemRecord[] {
  const byId = new Map<string, ProblemRecord>();
  // Map.set on a known key keeps its first insertion position.
  for (const r of records) byId.set(r.id, r);
  return [...byId.values()];
}

export interface LoadedRecords {
  readonly records: ProblemRecord[];
  readonly bad: BadLine[];
}

/**
 * Parses store text into records, one per problem id (the last line wins, at the first line's
 * position), reporting bad lines (JSON or schema) by file and line.
 */
export function parseStore(text: string, file: string, onBadLine: OnBadLine = 'stop'): LoadedRecords {
  const { lines, bad } = parseJsonl(text, file, 'skip');
  const records: ProblemRecord[] = [];
  for (const { line, value } of lines) {
    const parsed = problemRecordSchema.safeParse(value);
    if (parsed.success) {
      records.push(parsed.data);
    } else {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at '${issue.path.join('.')}'` : '';
      bad.push({ file, line, message: `not a problem record${where}: ${issue?.message}` });
    }
  }
  return { records: lastPerId(records), bad: settleBadLines(bad, onBadLine) };
}

export interface SampleStore {
  readonly file: string;
  /** Records already in the file when it was opened (a later line with the same id wins). */
  readonly existing: ReadonlyMap<string, ProblemRecord>;
  /** Bad lines found while opening (skipped). */
  readonly bad: readonly BadLine[];
  /** True when an unterminated last line (a write cut short) was removed. */
  readonly repaired: boolean;
  has(id: string): boolean;
  append(record: ProblemRecord): void;
  close(): void;
}

/**
 * Opens (or creates) a store for appending. Existing complete lines are kept and indexed so a
 * resumed run skips finished problems; a half-written last line is truncated away first. A file
 * with lines but no problem record is refused (`not_a_store`) rather than appended to.
 */
export function openStore(file: string, options: { durable?: boolean } = {}): SampleStore {
  const durable = options.durable ?? true;
  const existing = new Map<string, ProblemRecord>();
  let bad: BadLine[] = [];
  let repaired = false;
  try {
    if (existsSync(file)) {
      const buf = readFileSync(file);
      const lastNewline = buf.lastIndexOf(0x0a);
      let text = buf.subarray(0, lastNewline + 1).toString('utf8');
      // An unterminated last line that is whole JSON lacks only its newline (an editor, another tool):
      // it is kept. One that does not parse is a write cut short, and is cut off.
      const tail = buf.subarray(lastNewline + 1).toString('utf8');
      const tailIsJson = tail.trim() !== '' && isJson(tail);
      if (tailIsJson) text += `${tail}\n`;
      const loaded = parseStore(text, file, 'skip');
      if (loaded.records.length === 0 && loaded.bad.length > 0) {
        // Not a store (a benchmark or a recorded-sample file given as --out): appending would mix
        // formats. Refuse before touching it.
        const first = loaded.bad[0]!;
        throw new BomError(
          `${file} is not a bom sample store (line ${first.line}: ${first.message}); choose another output file`,
          { code: 'not_a_store', param: 'out' },
        );
      }
      if (tailIsJson) writeFileSync(file, '\n', { flag: 'a' });
      else if (tail.length > 0) {
        truncateSync(file, lastNewline + 1);
        repaired = true;
      }
      bad = loaded.bad;
      for (const r of loaded.records) existing.set(r.id, r);
    }
  } catch (err) {
    if (err instanceof BomError) throw err;
    throw storeError(file, err);
  }
  const done = new Set(existing.keys());
  let fd: number;
  try {
    fd = openSync(file, 'a');
  } catch (err) {
    throw storeError(file, err);
  }
  let closed = false;
  return {
    file,
    existing,
    bad,
    repaired,
    has: (id) => done.has(id),
    append(record) {
      if (closed) throw new BomError(`store ${file} is closed`, { code: 'store_closed', status: 500 });
      // One write per line: a crash leaves a prefix of this line at worst, never a torn earlier one.
      writeSync(fd, `${JSON.stringify(record)}\n`);
      if (durable) fsyncSync(fd);
      done.add(record.id);
    },
    close() {
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

function storeError(file: string, err: unknown): BomError {
  return new BomError(`cannot open sample store ${file}: ${(err as Error).message}`, {
    code: 'store_unwritable',
    param: 'out',
    cause: err,
  });
}
