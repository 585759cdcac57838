// Greedy decoding (temperature 0) with the server's default N: one sample, not N identical ones,
// said in the metadata; a client that names N gets N.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ask, type Loose, SIX_SEVEN, type Stack, startStack } from './harness.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack({ config: { selection: { samples: 8 }, upstream: { nMode: 'parallel' } } });
});
afterAll(() => s.close());
beforeEach(() => s.replay.resetStats());

async function chat(extra: Record<string, unknown>): Promise<Loose> {
  const res = await fetch(`${s.base}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'replay-model', messages: ask(SIX_SEVEN), ...extra }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Loose;
}

describe('greedy decoding', () => {
  it('temperature 0 samples once instead of the default N, and says so', async () => {
    const body = await chat({ temperature: 0 });
    expect(s.replay.stats.samplesServed).toBe(1);
    expect(body['selection']['samples']).toMatchObject({ requested: 1, succeeded: 1 });
    expect(body['selection']['greedy']).toMatchObject({ requested: 8, sampled: 1 });
    expect(body['usage']['completion_tokens']).toBeGreaterThan(0);
  });

  it('with n = 2 it draws k = 2', async () => {
    const body = await chat({ temperature: 0, n: 2 });
    expect(s.replay.stats.samplesServed).toBe(2);
    expect(body['selection']['greedy']).toMatchObject({ requested: 8, sampled: 2 });
  });

  it('a client forces N by naming it (selection.samples)', async () => {
    const body = await chat({ temperature: 0, selection: { samples: 8 } });
    expect(s.replay.stats.samplesServed).toBe(8);
    expect(body['selection']['greedy']).toBeUndefined();
  });

  it('any other temperature keeps the default N', async () => {
    const body = await chat({ temperature: 0.7 });
    expect(s.replay.stats.samplesServed).toBe(8);
    expect(body['selection']['greedy']).toBeUndefined();
  });
});
