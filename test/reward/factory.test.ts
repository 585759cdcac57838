import { describe, expect, it } from 'vitest';
import { BomError } from '../../src/core/errors.ts';
import { ScoreCache } from '../../src/reward/cache.ts';
import { FakeScorer } from '../../src/reward/fake.ts';
import { HttpScorer } from '../../src/reward/http.ts';
import { LogprobScorer } from '../../src/reward/logprob.ts';
import { createScorer } from '../../src/reward/factory.ts';
import { TransformersScorer } from '../../src/reward/transformers.ts';

describe('createScorer', () => {
  it('builds each kind from a validated config without loading anything', () => {
    expect(createScorer({ kind: 'fake' })).toBeInstanceOf(FakeScorer);
    expect(createScorer({ kind: 'logprob' })).toBeInstanceOf(LogprobScorer);
    expect(createScorer({ kind: 'http', url: 'http://127.0.0.1:9/score' })).toBeInstanceOf(HttpScorer);
    const t = createScorer({ kind: 'transformers', model: '/nonexistent/rm', dtype: 'q8' });
    expect(t).toBeInstanceOf(TransformersScorer);
    expect(t.id).toBe('transformers:/nonexistent/rm@q8');
  });

  it('wraps cacheable scorers with the cache', async () => {
    const cache = new ScoreCache();
    const s = createScorer({ kind: 'fake', id: 'f' }, { cache });
    expect(s.id).toBe('f');
    await s.score({ prompt: 'p' }, ['a']);
    await s.score({ prompt: 'p' }, ['a']);
    expect(cache.stats().hits).toBe(1);
  });

  it('rejects bad configs with invalid_config naming the field', () => {
    const bad = [
      { kind: 'nope' },
      { kind: 'transformers' },
      { kind: 'transformers', model: 'x', dtype: 'fp16' },
      { kind: 'http', url: 'ftp://x' },
      { kind: 'fake', extra: 1 },
    ];
    for (const c of bad) {
      const err = (() => {
        try {
          createScorer(c as never);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(BomError);
      expect((err as BomError).code).toBe('invalid_config');
      expect((err as BomError).param).toMatch(/^reward/);
    }
  });
});
