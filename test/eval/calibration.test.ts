// `bom eval` on graded traces with token confidences: deepconf arms run from the stored
// `token_confidence`, and the summary carries the calibration of `selection.confidence` (ECE and the
// reliability diagram's bins), in JSON and in the HTML report.
import { describe, expect, it } from 'vitest';
import { evaluate, parseArm, renderHtml, simulateTraces } from '../../eval/index.ts';
import { createRng } from '../../src/core/index.ts';

describe('calibration and deepconf in bom eval', () => {
  const records = simulateTraces({ problems: 60, samples: 16, strength: 2 }, createRng(5));

  it('reports ECE and bins per strategy and N; deepconf beats majority when confidence is informative', async () => {
    const arms = ['majority', 'deepconf:window=64', 'deepconf:keep=10:window=64'].map((a) => parseArm(a));
    const run = await evaluate(records, arms, { Ns: [8, 16], ks: [1], trials: 8, seed: 1, mode: 'recorded' });
    const { calibration, results } = run.summary;
    expect(calibration.map((r) => [r.strategy, r.N])).toEqual([
      ['majority', 8],
      ['majority', 16],
      ['deepconf:window=64', 8],
      ['deepconf:window=64', 16],
      ['deepconf:keep=10:window=64', 8],
      ['deepconf:keep=10:window=64', 16],
    ]);
    for (const r of calibration) {
      expect(r.bins).toHaveLength(10);
      expect(r.bins.reduce((s, b) => s + b.count, 0)).toBe(r.trials);
      expect(r.ece).toBeGreaterThanOrEqual(0);
      expect(r.ece).toBeLessThanOrEqual(1);
      // ECE is bounded by the gap summed bin by bin, and equals the definition.
      const ece = r.bins.reduce((s, b) => s + (b.count / r.trials) * Math.abs(b.accuracy - b.confidence), 0);
      expect(r.ece).toBeCloseTo(ece, 12);
    }
    expect(calibration[0]!.basis).toBe('vote_share');
    expect(calibration[2]!.basis).toBe('weighted_share');
    const pass = (s: string) => results.find((r) => r.strategy === s && r.N === 16)!.pass_at_k;
    expect(pass('deepconf:keep=10:window=64')).toBeGreaterThan(pass('majority'));
    const html = renderHtml(run.summary, run);
    expect(html).toContain('Calibration of selection.confidence');
    expect(html).toContain('reliability diagram deepconf:window=64');
    expect(JSON.parse(JSON.stringify(run.summary)).calibration).toHaveLength(6);
  });

  it('deepconf is left out, with a warning, when the store has no token confidences', async () => {
    const bare = records.slice(0, 3).map((r) => ({
      ...r,
      samples: r.samples.map(({ token_confidence: _, ...s }) => s),
    }));
    const run = await evaluate(bare, [parseArm('majority'), parseArm('deepconf')], {
      Ns: [4],
      ks: [1],
      trials: 2,
      seed: 1,
      mode: 'recorded',
    });
    expect(new Set(run.summary.results.map((r) => r.strategy))).toEqual(new Set(['majority']));
    expect(run.summary.warnings.join('\n')).toMatch(/deepconf needs token confidences.*--top-logprobs/);
  });
});
