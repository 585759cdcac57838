// Third blind round of held-out pairs (heldout-third.txt: written without reading heldout-style.txt or
// heldout-blind.txt, only their family headers, and before running them): every pair gets the verdict a
// careful grader gives, in both argument orders, except the pairs marked `miss` (known misses, held there
// so a fix must unmark them). Through `checkAnswer`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkAnswer } from '../../src/answers/index.ts';
import { readHeldout } from './heldout-style.ts';

const THIRD_FILE = new URL('./heldout-third.txt', import.meta.url);
const pairs = readHeldout(readFileSync(THIRD_FILE, 'utf8'), 'heldout-third.txt');

describe('third blind held-out pairs', () => {
  it('has a broad set: at least 200 pairs, both verdicts, many families', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(200);
    expect(pairs.filter((p) => !p.equal).length).toBeGreaterThanOrEqual(60);
    expect(new Set(pairs.map((p) => p.family)).size).toBeGreaterThanOrEqual(15);
  });

  it.each(pairs.map((p) => [`${p.line}: ${p.equal ? '=' : '≠'} ${p.gold} ~~ ${p.pred}`, p] as const))(
    '%s',
    (_name, p) => {
      const o = p.problem === undefined ? {} : { problem: p.problem };
      const ab = checkAnswer(p.gold, p.pred, o);
      const ba = checkAnswer(p.pred, p.gold, o);
      expect(ba.equal, 'symmetric').toBe(ab.equal);
      expect(ab.equal, `${ab.how} ${ab.types.join('~')}`).toBe(p.miss ? !p.equal : p.equal);
    },
  );
});
