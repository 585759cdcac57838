// The registry: scorers by the id clients name them with, each with its readiness.
import { describe, expect, it } from 'vitest';
import {
  FakeScorer,
  type ScorePrompt,
  type ScoreResponse,
  type Scorer,
  ScorerRegistry,
} from '../../src/reward/index.ts';

/** A scorer whose flags are prototype getters, as a class may well declare them. */
class GetterScorer implements Scorer {
  readonly id = 'getter';
  get needsLogprobs() {
    return true;
  }
  get topLogprobs() {
    return 5;
  }
  get cacheable() {
    return false;
  }
  async score(_p: ScorePrompt, responses: readonly ScoreResponse[]) {
    return responses.map(() => 1);
  }
}

describe('ScorerRegistry', () => {
  it("hands out each scorer with the interface's fields, however the class declares them", () => {
    const r = new ScorerRegistry('g', { g: new GetterScorer() });
    expect(r.get('g')).toMatchObject({ id: 'getter', needsLogprobs: true, topLogprobs: 5, cacheable: false });
    expect(r.get('nope')).toBeUndefined();
    expect(r.ids()).toEqual(['g']);
  });

  it('a scorer with a model is idle until loaded or until it first scores, then ready', async () => {
    const fake = new FakeScorer({ id: 'f' });
    const r = new ScorerRegistry('f', { f: fake });
    expect(r.readiness()).toEqual({ state: 'idle' });
    await r.get('f')!.score({ prompt: 'p' }, ['a']);
    expect(r.ready()).toBe(true);
  });

  it('a failed load is reported with its reason; an unknown default is failed', async () => {
    const broken = new FakeScorer({ id: 'b' });
    broken.ready = async () => {
      throw new Error('model folder missing');
    };
    const errors: string[] = [];
    const r = new ScorerRegistry('b', { b: broken });
    await r.load((id, err) => errors.push(`${id}: ${err.message}`));
    expect(r.readiness()).toEqual({ state: 'failed', error: 'model folder missing' });
    expect(errors).toEqual(['b: model folder missing']);
    expect(new ScorerRegistry('x', {}).readiness()).toMatchObject({ state: 'failed' });
  });
});
