// Line-oriented JSON reading with file:line diagnostics. A bad line (malformed or truncated JSON,
// or a record its schema rejects) either stops the run or is skipped and reported, as the user chooses.
import { readFileSync, writeFileSync } from 'node:fs';
import { BomError } from '../src/core/index.ts';

export type OnBadLine = 'skip' | 'stop';

export interface BadLine {
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  readonly message: string;
}

export interface JsonlLine {
  readonly line: number;
  readonly value: unknown;
}

export interface ReadJsonlResult {
  readonly lines: JsonlLine[];
  readonly bad: BadLine[];
  /** True when the last line had no newline: the signature of a write cut short. */
  readonly unterminated: boolean;
}

export function badLineError(bad: BadLine): BomError {
  return new BomError(`${bad.file}:${bad.line}: ${bad.message} (use --on-bad-line skip to skip it)`, {
    code: 'bad_input_line',
    param: 'samples',
  });
}

/** A whole input file as text; a missing or unreadable file is one clear error naming it. */
export function readInputFile(file: string, param = 'samples'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new BomError(`cannot read ${file}: ${(err as Error).message}`, {
      code: 'file_not_found',
      param,
      cause: err,
    });
  }
}

/** Writes a report or per-problem file; a directory or unwritable path is one clear error naming it. */
export function writeOutputFile(file: string, text: string, param: string): void {
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw new BomError(`cannot write ${file}: ${(err as Error).message}`, {
      code: 'output_unwritable',
      param,
      cause: err,
    });
  }
}

/** Reads every non-blank line as JSON. Stops at the first bad line unless `onBadLine` is 'skip'. */
export function parseJsonl(text: string, file: string, onBadLine: OnBadLine = 'stop'): ReadJsonlResult {
  const rows = text.split('\n');
  const unterminated = text.length > 0 && !text.endsWith('\n');
  const lines: JsonlLine[] = [];
  const bad: BadLine[] = [];
  rows.forEach((raw, i) => {
    const row = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (row.trim() === '') return;
    try {
      lines.push({ line: i + 1, value: JSON.parse(row) });
    } catch (err) {
      const cut = unterminated && i === rows.length - 1 ? 'truncated line (no newline at end of file)' : '';
      const b = { file, line: i + 1, message: cut || `malformed JSON: ${(err as Error).message}` };
      if (onBadLine === 'stop') throw badLineError(b);
      bad.push(b);
    }
  });
  return { lines, bad, unterminated };
}

/**
 * Applies the bad-line policy once JSON and record checks are both done, so 'stop' names the
 * earliest bad line of either kind. Returns the bad lines in file order.
 */
export function settleBadLines(bad: readonly BadLine[], onBadLine: OnBadLine): BadLine[] {
  const sorted = [...bad].sort((a, b) => a.line - b.line);
  if (onBadLine === 'stop' && sorted[0]) throw badLineError(sorted[0]);
  return sorted;
}
