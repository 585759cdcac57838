// The sample store: JSONL, one line per problem (id, prompt or messages, gold answer, samples).
// Appends are crash-safe: each problem is one complete line, written in full (short writes are
// continued) and fsync'd. A write that fails part-way (ENOSPC, EIO) is cut back to the last whole
// line before the error is thrown, so a later append never glues onto half a record; a run killed
// mid-write leaves at most one unterminated last line, which `openStore` cuts off before resuming
// (a last line that is a complete record and only lacks its newline is kept). A store written by an
// older bom, where a record was glued onto a cut one, is repaired on open.
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
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
  /**
   * Per-token confidence C_t = −mean of the token's top-k logprobs, rounded to 3 decimals: the compact
   * form every confidence computation reads (deepconf, the confidence scorer, `bom eval`, replay).
   */
  token_confidence: z.array(z.number()).optional(),
  /** Per-token self-certainty (KL of the top-k from uniform), rounded likewise. */
  token_self_certainty: z.array(z.number()).optional(),
  /** Full top-k lists per token, only when asked for (`bom sample --top-logprobs-full`). */
  top_logprobs: z.array(z.array(z.object({ token: z.string(), logprob: z.number() }))).optional(),
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

/** The file calls an append makes; tests inject short writes and ENOSPC here. */
export interface StoreIo {
  writeSync(fd: number, buf: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  ftruncateSync(fd: number, length: number): void;
}

const nodeIo: StoreIo = {
  writeSync: (fd, buf, offset, length) => writeSync(fd, buf, offset, length),
  fsyncSync,
  ftruncateSync,
};

/** An append that did not reach the disk; the store is left at its last whole line when `intact`. */
export class StoreWriteError extends BomError {
  /** The errno code (ENOSPC, EDQUOT, EIO, …), or SHORT_WRITE when a write made no progress. */
  readonly errno: string;
  /** True when the file was cut back to its last complete line (nothing half-written remains). */
  readonly intact: boolean;
  constructor(file: string, errno: string, intact: boolean, cause: unknown) {
    const full = errno === 'ENOSPC' || errno === 'EDQUOT';
    super(
      `cannot write to sample store ${file}: ${full ? 'no space left on the device' : ((cause as Error)?.message ?? errno)}${intact ? '' : ' (and the half-written line could not be removed: it is cut off on the next open)'}`,
      {
        code: full ? 'store_full' : 'store_write_failed',
        type: 'server_error',
        status: 500,
        param: 'out',
        cause,
      },
    );
    this.errno = errno;
    this.intact = intact;
  }
}

export interface SampleStore {
  readonly file: string;
  /** Records already in the file when it was opened (a later line with the same id wins). */
  readonly existing: ReadonlyMap<string, ProblemRecord>;
  /** Bad lines found while opening (skipped). */
  readonly bad: readonly BadLine[];
  /** True when an unterminated last line (a write cut short) was removed. */
  readonly repaired: boolean;
  /** True when lines glued onto a cut record (an older bom on a full disk) were split apart on open. */
  readonly unglued: number;
  has(id: string): boolean;
  /**
   * Appends one record as one line; on failure throws StoreWriteError with the file cut back to its
   * last whole line, and the store stays usable (a retry after space returns appends cleanly).
   */
  append(record: ProblemRecord): void;
  close(): void;
}

/**
 * Opens (or creates) a store for appending. Existing complete lines are kept and indexed so a
 * resumed run skips finished problems; a half-written last line is truncated away first. A file
 * with lines but no problem record is refused (`not_a_store`) rather than appended to.
 *
 * A corrupt line in the middle (not a torn tail) is treated as every reader of the store treats it
 * (`bom eval`, `ab`, `score`, `replay`): `onBadLine: 'stop'` (the default) refuses, naming file:line;
 * `'skip'` goes on without it (`bad` lists it), so its problem is drawn again, and later readers
 * need `--on-bad-line skip` too until the line is removed.
 */
export function openStore(
  file: string,
  options: { durable?: boolean; io?: StoreIo; onBadLine?: OnBadLine } = {},
): SampleStore {
  const durable = options.durable ?? true;
  const io = options.io ?? nodeIo;
  const existing = new Map<string, ProblemRecord>();
  let bad: BadLine[] = [];
  let repaired = false;
  let unglued = 0;
  try {
    if (existsSync(file)) {
      unglued = unglue(file);
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
      const first = bad[0];
      if (first && (options.onBadLine ?? 'stop') === 'stop') {
        throw new BomError(
          `${first.file}:${first.line}: ${first.message}; fix or delete that line, or pass --on-bad-line skip to go on without it (its problem is drawn again; readers then need --on-bad-line skip too)`,
          { code: 'bad_input_line', param: 'out' },
        );
      }
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
  // Length of the file up to its last whole line; a failed append is cut back to it.
  let whole: number;
  try {
    whole = fstatSync(fd).size;
  } catch (err) {
    throw storeError(file, err);
  }
  // A failed append whose partial line could not be cut back yet (the truncate failed too).
  let torn = false;
  return {
    file,
    existing,
    bad,
    repaired,
    unglued,
    has: (id) => done.has(id),
    append(record) {
      if (closed) throw new BomError(`store ${file} is closed`, { code: 'store_closed', status: 500 });
      const buf = Buffer.from(`${JSON.stringify(record)}\n`);
      try {
        if (torn) {
          io.ftruncateSync(fd, whole);
          torn = false;
        }
        // The file is opened O_APPEND: every write lands at the end. A short write (a disk filling
        // up) is continued; one that makes no progress is a failure, not a success.
        let off = 0;
        while (off < buf.length) {
          const n = io.writeSync(fd, buf, off, buf.length - off);
          if (!(n > 0)) throw Object.assign(new Error('write made no progress'), { code: 'SHORT_WRITE' });
          off += n;
        }
        if (durable) io.fsyncSync(fd);
      } catch (err) {
        // Cut back whatever part of this line landed, so the next append starts on a line boundary.
        let intact = true;
        try {
          io.ftruncateSync(fd, whole);
        } catch {
          torn = true;
          intact = false;
        }
        throw new StoreWriteError(file, String((err as NodeJS.ErrnoException).code ?? 'EIO'), intact, err);
      }
      whole += buf.length;
      done.add(record.id);
    },
    close() {
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}

/**
 * Splits lines where a record was glued onto a cut one (an older bom counted a short write as done,
 * and the next record landed right after the fragment): the record is kept, the fragment dropped.
 * Rewrites the file (a temporary file renamed over it) only when such a line exists; returns how many.
 */
function unglue(file: string): number {
  const text = readFileSync(file, 'utf8');
  if (!text.includes('{"id":')) return 0;
  const lines = text.split('\n');
  let fixed = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || isJson(line)) continue;
    // The latest start of a record that parses to the line's end.
    for (let at = line.lastIndexOf('{"id":'); at > 0; at = line.lastIndexOf('{"id":', at - 1)) {
      const rest = line.slice(at);
      if (isJson(rest) && problemRecordSchema.safeParse(JSON.parse(rest)).success) {
        lines[i] = rest;
        fixed++;
        break;
      }
    }
  }
  if (fixed === 0) return 0;
  const tmp = `${file}.repair-${process.pid}`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, lines.join('\n'));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    // No space for the copy either: the store is left as it was (its bad lines are skipped).
    rmSync(tmp, { force: true });
    throw err;
  }
  return fixed;
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
