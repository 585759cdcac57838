// The one check every held-out pairs file gets (heldout-*.test.ts).
import { describe, expect, it } from 'vitest';
import { checkAnswer } from '../../src/answers/index.ts';
import type { HeldoutPair } from './heldout-style.ts';

/**
 * The check every pairs file gets: a broad enough set, then every pair holds the verdict a careful
 * grader gives, in both argument orders (symmetric), except the pairs marked `miss`, which must still be
 * missed (so fixing one means unmarking it, and nothing regresses silently). Through `checkAnswer`,
 * the function behind `bom answers check`.
 */
export function describePairs(
  title: string,
  pairs: readonly HeldoutPair[],
  least: { pairs: number; different: number; families: number },
): void {
  describe(title, () => {
    it(`has a broad set: at least ${least.pairs} pairs, both verdicts, many families`, () => {
      expect(pairs.length).toBeGreaterThanOrEqual(least.pairs);
      expect(pairs.filter((p) => !p.equal).length).toBeGreaterThanOrEqual(least.different);
      expect(new Set(pairs.map((p) => p.family)).size).toBeGreaterThanOrEqual(least.families);
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
}
