// Held-out-style pairs (heldout-style.txt, written independently of the public yardstick): every pair
// gets the verdict a careful grader gives, in both argument orders, except the pairs marked `miss`, which
// are known misses and must still be missed (so fixing one means unmarking it, and nothing regresses
// silently). Through `checkAnswer`, the function behind `bom answers check`.
import { describe, expect, it } from 'vitest';
import { checkAnswer } from '../../src/answers/index.ts';
import { readHeldout } from './heldout-style.ts';

const pairs = readHeldout();

describe('held-out-style pairs', () => {
  it('has a broad set: at least 300 pairs, both verdicts, many families', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(300);
    expect(pairs.filter((p) => !p.equal).length).toBeGreaterThanOrEqual(100);
    expect(new Set(pairs.map((p) => p.family)).size).toBeGreaterThanOrEqual(20);
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
