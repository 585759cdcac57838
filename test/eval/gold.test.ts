// A gold answer that is blank is no gold answer: grading against it would mark every sample wrong
// and count the problem in Pass@k as a plain failure, with nothing to say why.
import { describe, expect, it } from 'vitest';
import { parseArms } from '../../eval/arms.ts';
import { evaluate } from '../../eval/evaluate.ts';
import type { ProblemRecord } from '../../eval/store.ts';
import { offlineMathAnswers } from '../../src/selection/index.ts';

const rec = (id: string, gold: string | null): ProblemRecord => ({
  id,
  prompt: `q ${id}`,
  gold,
  samples: ['\\boxed{4}', '\\boxed{4}', '\\boxed{5}'].map((text) => ({ text })),
});

describe('blank gold answers', () => {
  for (const mode of ['extract', 'recorded'] as const) {
    it(`are ungraded with a warning, not graded wrong (${mode})`, async () => {
      const records = [rec('ok', '4'), rec('empty', ''), rec('spaces', '  \n')].map((r) =>
        mode === 'recorded'
          ? { ...r, samples: r.samples.map((s) => ({ ...s, answer: s.text.slice(7, 8) })) }
          : r,
      );
      const run = await evaluate(records, parseArms('majority'), {
        Ns: [3],
        ks: [1],
        trials: 1,
        seed: 1,
        mode,
        ...(mode === 'extract' ? { answers: offlineMathAnswers } : {}),
      });
      expect(run.summary.graded).toBe(1);
      expect(run.summary.results[0]).toMatchObject({ problems: 1, pass_at_k: 1 });
      expect(run.summary.warnings.join('\n')).toMatch(/2 of 3 problems have no gold answer/);
    });
  }
});
