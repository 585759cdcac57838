// Reader of test/answers/extraction-blind.txt: whole responses and the answer a careful grader extracts
// (see the file's header for the format). Used by extraction-blind.test.ts and bench/answers-extraction.ts.
import { readFileSync } from 'node:fs';
import { equivalent, extractAnswer } from '../../src/answers/index.ts';

export interface ExtractionCase {
  readonly line: number;
  readonly kind: string;
  /** The answer a careful grader extracts; null: none (`∅`). */
  readonly expected: string | null;
  readonly response: string;
  /** Marked `miss`: a known miss (the test holds it to that, so a fix must unmark it). */
  readonly miss: boolean;
}

export const EXTRACTION_BLIND_FILE = new URL('./extraction-blind.txt', import.meta.url);

export function readExtractionCases(text = readFileSync(EXTRACTION_BLIND_FILE, 'utf8')): ExtractionCase[] {
  const out: ExtractionCase[] = [];
  let kind = '';
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line.startsWith('## ')) kind = line.slice(3).trim();
    if (line.trim() === '' || line.startsWith('#')) return;
    const m = /^(miss )?(.+?) ~~ ?(.*)$/.exec(line);
    if (!m) throw new Error(`extraction-blind.txt:${i + 1}: expected '<expected> ~~ <response>'`);
    const expected = m[2]!.trim();
    const body = m[3]!;
    const response = body.trim() === '<empty>' ? '' : body.replace(/ ?⏎ ?/g, '\n');
    out.push({
      line: i + 1,
      kind,
      expected: expected === '∅' ? null : expected,
      response,
      miss: m[1] !== undefined,
    });
  });
  return out;
}

/** Whether the extracted answer is the expected one (through the project's equivalence). */
export function extractionOk(c: ExtractionCase): { ok: boolean; value: string | null; rule: string } {
  const a = extractAnswer(c.response);
  if (c.expected === null) return { ok: a.value === null, value: a.value, rule: a.rule };
  const ok = a.value !== null && equivalent(c.expected, a.value);
  return { ok, value: a.value, rule: a.rule };
}
