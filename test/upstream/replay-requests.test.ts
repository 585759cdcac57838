// The replay upstream answers a malformed request as an OpenAI-compatible server does: a 400 naming
// the field, never an empty 200, a TypeError's text, or a response built for n = 10^9 (which ran the
// process out of memory).
import { describe, expect, it } from 'vitest';
import { createReplay, MAX_REPLAY_N } from '../../src/upstream/replay/index.ts';
import { recordedProblems } from '../fixtures/recorded.ts';

const replay = createReplay({
  problems: recordedProblems(
    JSON.stringify({ id: 'p', prompt: 'What is 6*7?', samples: [{ text: '\\boxed{42}' }] }),
  ),
  models: ['m'],
});
const post = (path: string, body: string) =>
  replay.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
const chat = (extra: Record<string, unknown>) =>
  post(
    '/v1/chat/completions',
    JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'What is 6*7?' }], ...extra }),
  );

describe('replay: request validation', () => {
  for (const n of [0, -1, 1.5, '3', true, MAX_REPLAY_N + 1, 1e9]) {
    it(`n = ${JSON.stringify(n)} is a 400 naming n`, async () => {
      for (const res of [
        await chat({ n }),
        await post('/v1/completions', JSON.stringify({ model: 'm', prompt: 'What is 6*7?', n })),
      ]) {
        expect(res.status).toBe(400);
        const body = (await res.json()) as { error: { param: string; message: string } };
        expect(body.error.param).toBe('n');
        expect(body.error.message).toMatch(new RegExp(`integer from 1 to ${MAX_REPLAY_N}`));
      }
    });
  }

  it('a body that is not a JSON object is a 400 that says so', async () => {
    for (const text of ['null', '[1]', '"x"']) {
      const res = await post('/v1/chat/completions', text);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/JSON object/);
    }
  });

  it('n within bounds still answers n choices', async () => {
    const res = await chat({ n: 3 });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: unknown[] }).choices).toHaveLength(3);
  });
});
