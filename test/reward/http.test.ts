// The http scorer against a real HTTP server on loopback (node:http), one route per behaviour.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BomError } from '../../src/core/errors.ts';
import { fakeScore } from '../../src/reward/fake.ts';
import { HttpScorer, type HttpScorerOptions } from '../../src/reward/http.ts';
import { scorerContract } from './contract.ts';

interface Seen {
  path: string;
  body: Record<string, unknown>;
  auth: string | undefined;
}
const seen: Seen[] = [];
let flakyCalls = 0;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return JSON.parse(raw) as Record<string, unknown>;
}

const routes: Record<string, (body: Record<string, unknown>, res: ServerResponse) => void> = {
  '/json': (b, res) => send(res, 200, { scores: (b.responses as string[]).map((r) => fakeScore(r)) }),
  // Answers out of order: the client must place scores by `index`.
  '/vllm/score': (b, res) =>
    send(res, 200, {
      data: (b.text_2 as string[])
        .map((t, index) => ({ index, object: 'score', score: fakeScore(t) }))
        .reverse(),
    }),
  '/vllm/pooling': (b, res) => {
    const msgs = b.messages as { role: string; content: string }[];
    const last = msgs[msgs.length - 1]!;
    if (last.role !== 'assistant') return send(res, 400, { error: 'last turn must be the response' });
    // Per-token rewards (ALL pooling): the last token's value is the reward.
    send(res, 200, { data: [{ index: 0, object: 'pooling', data: [[0.123], [fakeScore(last.content)]] }] });
  },
  '/flaky': (b, res) => {
    flakyCalls++;
    if (flakyCalls <= 2) return send(res, 503, { error: 'warming up' });
    routes['/json']!(b, res);
  },
  '/no-retry': (_b, res) => {
    flakyCalls++;
    res.writeHead(503, { 'x-should-retry': 'false' });
    res.end('{}');
  },
  '/bad-request': (_b, res) => send(res, 400, { error: { message: 'model not loaded' } }),
  '/garbage': (_b, res) => send(res, 200, 'not json at all'),
  '/wrong-count': (_b, res) => send(res, 200, { scores: [1] }),
  // vLLM /score shapes whose indices do not cover every response: one placed twice, one fractional.
  '/dup-index': (_b, res) =>
    send(res, 200, {
      data: [
        { index: 0, score: 1 },
        { index: 0, score: 2 },
      ],
    }),
  '/frac-index': (_b, res) =>
    send(res, 200, {
      data: [
        { index: 0.5, score: 1 },
        { index: 1, score: 2 },
      ],
    }),
  '/slow': () => {}, // never answers: timeouts and aborts
};

let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    void readJson(req).then((body) => {
      seen.push({ path: req.url ?? '', body, auth: req.headers.authorization });
      const route = routes[req.url ?? ''];
      if (route) route(body, res);
      else send(res, 404, { error: 'no route' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  seen.length = 0;
  flakyCalls = 0;
});

/** The BomError a call rejects with (fails the test if it resolves). */
async function failure(p: Promise<unknown>): Promise<BomError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(BomError);
  return e as BomError;
}

const make = (path: string, o: Partial<HttpScorerOptions> = {}) =>
  new HttpScorer({ url: `${base}${path}`, backoffMs: 1, timeoutMs: 2000, ...o });

for (const [protocol, path] of [
  ['json', '/json'],
  ['vllm-score', '/vllm/score'],
  ['vllm-pooling', '/vllm/pooling'],
] as const) {
  scorerContract(`http ${protocol}`, () => ({
    scorer: make(path, { protocol, model: 'rm', batchSize: 3 }),
    failing: () => make('/bad-request', { protocol }),
    slowCall: (signal) =>
      make('/slow', { protocol, timeoutMs: 60_000 }).score({ prompt: 'p' }, ['a'], signal),
  }));
}

describe('HttpScorer', () => {
  const prompt = { messages: [{ role: 'user', content: 'What is 2+2?' }] };

  it('batches responses and sends the plain contract', async () => {
    const s = make('/json', { batchSize: 2, model: 'rm', apiKey: 'sk-test' });
    const texts = ['a', 'b', 'c', 'd', 'e'];
    expect(await s.score(prompt, texts)).toEqual(texts.map((t) => fakeScore(t)));
    expect(seen.map((x) => (x.body.responses as string[]).length)).toEqual([2, 2, 1]);
    expect(seen[0]!.body).toMatchObject({ model: 'rm', prompt: 'What is 2+2?', messages: prompt.messages });
    expect(seen[0]!.auth).toBe('Bearer sk-test');
  });

  it('sends one vllm pooling request per response with the response as the assistant turn', async () => {
    const s = make('/vllm/pooling', { protocol: 'vllm-pooling', model: 'Skywork-Reward-V2' });
    await s.score(prompt, ['x', 'y']);
    expect(seen).toHaveLength(2);
    expect(seen[0]!.body).toMatchObject({
      model: 'Skywork-Reward-V2',
      messages: [...prompt.messages, { role: 'assistant', content: 'x' }],
    });
  });

  it('retries 5xx with backoff, then succeeds', async () => {
    expect(await make('/flaky', { retries: 2 }).score(prompt, ['a'])).toEqual([fakeScore('a')]);
    expect(flakyCalls).toBe(3);
  });

  it('gives up after the retries, naming the server and the status', async () => {
    const err = await failure(make('/flaky', { retries: 1 }).score(prompt, ['a']));
    expect(err).toBeInstanceOf(BomError);
    expect(err.code).toBe('reward_http_status');
    expect(err.message).toContain(`${base}/flaky`);
    expect(err.message).toContain('503');
    expect(flakyCalls).toBe(2);
  });

  it('does not retry 4xx, nor when the server says x-should-retry: false', async () => {
    const err = await failure(make('/bad-request').score(prompt, ['a']));
    expect(err.message).toMatch(/HTTP 400.*model not loaded/);
    expect(seen).toHaveLength(1);
    await make('/no-retry')
      .score(prompt, ['a'])
      .catch(() => {});
    expect(flakyCalls).toBe(1);
  });

  it('times out each attempt and reports reward_timeout', async () => {
    const err = await failure(make('/slow', { timeoutMs: 50, retries: 1 }).score(prompt, ['a']));
    expect(err.code).toBe('reward_timeout');
    expect(err.type).toBe('timeout_error');
    expect(seen).toHaveLength(2);
  });

  it('rejects bodies that do not fit the protocol', async () => {
    for (const path of ['/garbage', '/wrong-count']) {
      const err = await failure(make(path).score(prompt, ['a', 'b']));
      expect(err.code).toBe('reward_bad_response');
      expect(err.message).toContain(base);
    }
  });

  it('rejects vllm-score indices that leave a response without a score (duplicate, fractional)', async () => {
    for (const path of ['/dup-index', '/frac-index']) {
      const err = await failure(make(path, { protocol: 'vllm-score' }).score(prompt, ['a', 'b']));
      expect(err.code).toBe('reward_bad_response');
    }
  });

  it('reports an unreachable server as reward_unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const err = await failure(
      new HttpScorer({ url: `http://127.0.0.1:${port}/score`, retries: 0 }).score(prompt, ['a']),
    );
    expect(err.code).toBe('reward_unreachable');
    expect(err.message).toContain(`127.0.0.1:${port}`);
  });

  it('keeps credentials out of the id', () => {
    const s = new HttpScorer({
      url: 'http://user:pw@rm.local:8000/score?x=1',
      protocol: 'vllm-score',
      model: 'm',
    });
    expect(s.id).toMatch(/^http:vllm-score:http:\/\/rm\.local:8000\/score\?[0-9a-f]{8}#m$/);
    expect(s.id).not.toContain('pw');
    expect(s.id).not.toContain('x=1');
  });

  it('gives scorers that differ only in the query string different ids (they share one score cache)', () => {
    const a = new HttpScorer({ url: 'http://rm.local/score?model=a' });
    const b = new HttpScorer({ url: 'http://rm.local/score?model=b' });
    const none = new HttpScorer({ url: 'http://rm.local/score' });
    expect(new Set([a.id, b.id, none.id]).size).toBe(3);
    expect(none.id).toBe('http:json:http://rm.local/score');
  });
});
