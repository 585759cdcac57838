// The pipeline hands the problem text to equivalence: a rounded decimal joins the exact value only
// when the problem asks for rounding.
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/core/index.ts';
import { mathAnswers, runPipeline } from '../../src/selection/index.ts';
import { majority } from '../../strategies/index.ts';

const samples: Sample[] = ['\\boxed{3.14}', '\\boxed{\\pi}', '\\boxed{3.14}', '\\boxed{4}'].map(
  (text, index) => ({
    index,
    text,
    finishReason: 'stop',
  }),
);

async function clustersFor(question: string) {
  const r = await runPipeline({
    samples,
    prompt: { messages: [{ role: 'user', content: question }] },
    strategy: majority,
    options: { k: 1 },
    answers: mathAnswers,
    scorer: null,
  });
  return r.clustering.clusters.map((c) => [c.answer, c.count]);
}

describe('the problem text reaches equivalence', () => {
  it('merges 3.14 with pi only when the problem asks for rounding', async () => {
    expect(await clustersFor('What is the area of a circle of radius 1?')).toEqual([
      ['3.14', 2],
      ['\\pi', 1],
      ['4', 1],
    ]);
    expect(
      await clustersFor('What is the area of a circle of radius 1? Round to the nearest hundredth.'),
    ).toEqual([
      ['3.14', 3],
      ['4', 1],
    ]);
  });
});
