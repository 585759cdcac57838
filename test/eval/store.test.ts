import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonl } from '../../eval/jsonl.ts';
import { openStore, parseStore, type ProblemRecord } from '../../eval/store.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'bom-store-'));
const rec = (id: string, answers: string[] = ['1']): ProblemRecord => ({
  id,
  prompt: `problem ${id}`,
  gold: '1',
  samples: answers.map((a) => ({ text: `\\boxed{${a}}`, answer: a, finish_reason: 'stop' })),
});

describe('sample store', () => {
  it('appends one line per problem and reopens with every finished id', () => {
    const file = join(tmp(), 's.jsonl');
    const a = openStore(file);
    a.append(rec('p1'));
    a.append(rec('p2', ['1', '2']));
    a.close();
    const b = openStore(file);
    expect([...b.existing.keys()]).toEqual(['p1', 'p2']);
    expect(b.has('p2')).toBe(true);
    expect(b.repaired).toBe(false);
    expect(b.existing.get('p2')?.samples).toHaveLength(2);
    b.close();
  });

  it('survives a write cut short: the half line is removed and the run resumes after it', () => {
    const file = join(tmp(), 's.jsonl');
    const a = openStore(file);
    a.append(rec('p1'));
    a.close();
    // A kill in the middle of writing p2's line.
    const line = JSON.stringify(rec('p2'));
    appendFileSync(file, line.slice(0, line.length / 2));
    const b = openStore(file);
    expect(b.repaired).toBe(true);
    expect(b.has('p1')).toBe(true);
    expect(b.has('p2')).toBe(false);
    b.append(rec('p2'));
    b.close();
    const { records, bad } = parseStore(readFileSync(file, 'utf8'), file);
    expect(records.map((r) => r.id)).toEqual(['p1', 'p2']);
    expect(bad).toEqual([]);
  });

  it('names file and line of a malformed line, and skips or stops as asked', () => {
    const file = 'data.jsonl';
    const text = `${JSON.stringify(rec('p1'))}\n{"id": "p2", "samples": [\n${JSON.stringify({ id: 'p3' })}\n`;
    expect(() => parseStore(text, file, 'stop')).toThrow(/data\.jsonl:2: malformed JSON/);
    const skipped = parseStore(text, file, 'skip');
    expect(skipped.records.map((r) => r.id)).toEqual(['p1']);
    expect(skipped.bad.map((b) => [b.line, b.message.slice(0, b.line === 2 ? 16 : 20)])).toEqual([
      [2, 'malformed JSON: '],
      [3, 'not a problem record'],
    ]);
  });

  it('reports a truncated last line as truncated', () => {
    const { bad } = parseJsonl('{"a":1}\n{"a":', 'f.jsonl', 'skip');
    expect(bad[0]).toMatchObject({ file: 'f.jsonl', line: 2 });
    expect(bad[0]?.message).toMatch(/truncated/);
  });

  it('a bad middle line stops the opening, naming file:line, as every reader of the store does', () => {
    const file = join(tmp(), 's.jsonl');
    writeFileSync(file, `${JSON.stringify(rec('p1'))}\nnot json\n${JSON.stringify(rec('p3'))}\n`);
    const before = readFileSync(file, 'utf8');
    expect(() => openStore(file)).toThrow(/s\.jsonl:2: .*--on-bad-line skip/);
    expect(readFileSync(file, 'utf8')).toBe(before); // refused before anything is touched
    expect(() => parseStore(before, file)).toThrow(/s\.jsonl:2/); // bom eval's reader: the same line
  });

  it('with onBadLine skip it keeps the good lines and reports the bad one', () => {
    const file = join(tmp(), 's.jsonl');
    writeFileSync(file, `${JSON.stringify(rec('p1'))}\nnot json\n${JSON.stringify(rec('p3'))}\n`);
    const s = openStore(file, { onBadLine: 'skip' });
    expect([...s.existing.keys()]).toEqual(['p1', 'p3']);
    expect(s.bad.map((b) => b.line)).toEqual([2]);
    s.close();
    expect(parseStore(readFileSync(file, 'utf8'), file, 'skip').bad.map((b) => b.line)).toEqual([2]);
  });

  it('keeps a complete last record that only lacks its newline (nothing paid for is cut)', () => {
    const file = join(tmp(), 's.jsonl');
    writeFileSync(file, `${JSON.stringify(rec('p1'))}\n${JSON.stringify(rec('p2'))}`);
    const s = openStore(file);
    expect(s.repaired).toBe(false);
    expect([...s.existing.keys()]).toEqual(['p1', 'p2']);
    s.append(rec('p3'));
    s.close();
    const { records, bad } = parseStore(readFileSync(file, 'utf8'), file);
    expect(records.map((r) => r.id)).toEqual(['p1', 'p2', 'p3']);
    expect(bad).toEqual([]);
  });

  it('refuses a file that is not a store, and leaves it untouched', () => {
    const file = join(tmp(), 'bench.jsonl');
    const text = '{"problem": "1+1", "answer": "2"}\n{"problem": "2+2", "answer": "4"}';
    writeFileSync(file, text);
    expect(() => openStore(file)).toThrow(expect.objectContaining({ code: 'not_a_store', param: 'out' }));
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('a directory as the store is one clear error', () => {
    const dir = tmp();
    expect(() => openStore(dir)).toThrow(expect.objectContaining({ code: 'store_unwritable' }));
  });
});
