// Blind extraction cases (extraction-blind.txt: written before running them): every response yields the
// answer a careful grader extracts, compared through `equivalent`, except the cases marked `miss`.
import { describe, expect, it } from 'vitest';
import { extractionOk, readExtractionCases } from './extraction-blind.ts';

const cases = readExtractionCases();

describe('blind extraction cases', () => {
  it('has a broad set: at least 200 cases, many kinds, some with no answer', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(new Set(cases.map((c) => c.kind)).size).toBeGreaterThanOrEqual(12);
    expect(cases.filter((c) => c.expected === null).length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases.map((c) => [`${c.line}: ${c.expected ?? '∅'} <- ${c.response.slice(0, 60)}`, c] as const))(
    '%s',
    (_name, c) => {
      const r = extractionOk(c);
      expect(r.ok, `got ${JSON.stringify(r.value)} via ${r.rule}`).toBe(!c.miss);
    },
  );
});
