// Bad inputs and failure modes: each with its exact status, error body and retry headers.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ask, type Loose, sel, eventually, SIX_SEVEN, type Stack, startStack } from './harness.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack({
    config: {
      upstream: { retries: 0, nMode: 'parallel', concurrency: 8 },
      limits: { maxSamples: 64, maxBodyBytes: 64 * 1024 },
    },
  });
});
afterAll(() => s.close());
beforeEach(() => {
  s.replay.resetStats();
  s.replay.setFaults({});
});

const chat = { model: 'replay-model', messages: ask(SIX_SEVEN) };

interface Case {
  name: string;
  path?: string;
  body: unknown;
  status: number;
  code: string;
  param?: string | null;
  method?: string;
  message?: RegExp;
  headers?: Record<string, string>;
}

const cases: Case[] = [
  { name: 'malformed JSON', body: '{"model": "x",', status: 400, code: 'invalid_json', param: null },
  { name: 'body not an object', body: '[1,2]', status: 400, code: 'invalid_json', param: null },
  {
    // bom does not inflate request bodies (a gzip bomb would pass the body limit): say so, rather than
    // "could not parse the JSON body".
    name: 'a compressed body',
    body: gzipSync(JSON.stringify(chat)),
    headers: { 'content-encoding': 'gzip' },
    status: 415,
    code: 'unsupported_content_encoding',
    param: null,
    message: /Content-Encoding 'gzip' is not supported; send the body uncompressed/,
  },
  {
    name: 'missing model',
    body: { messages: ask('hi') },
    status: 400,
    code: 'missing_required_parameter',
    param: 'model',
  },
  {
    name: 'messages wrong type',
    body: { model: 'm', messages: 'hi' },
    status: 400,
    code: 'invalid_value',
    param: 'messages',
  },
  {
    name: 'messages empty',
    body: { model: 'm', messages: [] },
    status: 400,
    code: 'invalid_value',
    param: 'messages',
  },
  {
    name: 'temperature wrong type',
    body: { ...chat, temperature: 'hot' },
    status: 400,
    code: 'invalid_value',
    param: 'temperature',
  },
  { name: 'n = 0', body: { ...chat, n: 0 }, status: 400, code: 'invalid_value', param: 'n' },
  { name: 'n = 10^6', body: { ...chat, n: 1e6 }, status: 400, code: 'invalid_value', param: 'n' },
  {
    name: 'N = 0',
    body: { ...chat, selection: { samples: 0 } },
    status: 400,
    code: 'invalid_value',
    param: 'selection.samples',
  },
  {
    name: 'N = 10^6',
    body: { ...chat, selection: { samples: 1e6 } },
    status: 400,
    code: 'samples_limit_exceeded',
    param: 'selection.samples',
  },
  {
    name: 'alias N above the cap',
    body: { ...chat, model: 'maj@100000/replay-model' },
    status: 400,
    code: 'samples_limit_exceeded',
    param: 'model',
    message: /model alias 'maj@100000\/replay-model'/,
  },
  {
    name: 'alias N = 0',
    body: { ...chat, model: 'bom@0/replay-model' },
    status: 400,
    code: 'invalid_value',
    param: 'model',
  },
  {
    name: 'alias N of 11 digits',
    body: { ...chat, model: 'bom@99999999999/replay-model' },
    status: 400,
    code: 'samples_limit_exceeded',
    param: 'model',
  },
  {
    name: 'prompts x N above the cap (array prompt)',
    path: '/completions',
    body: { model: 'm', prompt: Array.from({ length: 9 }, (_, i) => `p${i}`), selection: { samples: 8 } },
    status: 400,
    code: 'samples_limit_exceeded',
    param: 'selection.samples',
    message: /8 samples x 9 prompts = 72/,
  },
  {
    // The client named no N: the error names the prompts it sent and the server's default it did not.
    name: "prompts x the server's default N above the cap",
    path: '/completions',
    body: { model: 'm', prompt: Array.from({ length: 9 }, (_, i) => `p${i}`) },
    status: 400,
    code: 'samples_limit_exceeded',
    param: 'prompt',
    message: /server's default sample budget \(8\) .*8 samples x 9 prompts = 72.*fewer prompts/,
  },
  {
    name: 'prompt of the wrong shape',
    path: '/completions',
    body: { model: 'm', prompt: ['a', 1] },
    status: 400,
    code: 'invalid_value',
    param: 'prompt',
    message: /token ids/,
  },
  {
    name: 'JSON nested 20000 deep (a vendor field)',
    body: `{"model":"m","messages":[{"role":"user","content":"x"}],"x":${'['.repeat(20000)}${']'.repeat(20000)}}`,
    status: 400,
    code: 'invalid_json',
    param: null,
  },
  {
    name: 'GET on a POST route',
    method: 'GET',
    body: undefined,
    status: 405,
    code: 'method_not_allowed',
    param: null,
  },
  {
    name: 'DELETE on /v1/models',
    method: 'DELETE',
    path: '/models',
    body: undefined,
    status: 405,
    code: 'method_not_allowed',
    param: null,
  },
  {
    name: 'N below n',
    body: { ...chat, n: 4, selection: { samples: 2 } },
    status: 400,
    code: 'invalid_value',
    param: 'selection.samples',
  },
  {
    name: 'unknown strategy',
    body: { ...chat, selection: { strategy: 'best-of-everything' } },
    status: 400,
    code: 'unknown_strategy',
    param: 'selection.strategy',
  },
  {
    name: 'seed too large to offset per sample',
    body: { ...chat, seed: 2 ** 53 - 1 },
    status: 400,
    code: 'invalid_value',
    param: 'seed',
  },
  {
    name: 'unknown selection field',
    body: { ...chat, selection: { sampels: 4 } },
    status: 400,
    code: 'unknown_parameter',
    param: 'selection.sampels',
  },
  {
    name: 'alpha out of range',
    body: { ...chat, selection: { strategy: 'best-of-majority', alpha: 2 } },
    status: 400,
    code: 'invalid_value',
    param: 'selection.alpha',
  },
  {
    name: 'unknown scorer',
    body: { ...chat, selection: { strategy: 'best-of-majority', scorer: 'oracle' } },
    status: 400,
    code: 'unknown_scorer',
    param: 'selection.scorer',
  },
  {
    name: 'huge body',
    body: { ...chat, pad: 'x'.repeat(100 * 1024) },
    status: 413,
    code: 'request_too_large',
    param: null,
  },
  {
    name: 'best_of below n',
    path: '/completions',
    body: { model: 'm', prompt: 'p', n: 3, best_of: 2 },
    status: 400,
    code: 'invalid_value',
    param: 'best_of',
  },
  {
    name: 'best_of with stream',
    path: '/completions',
    body: { model: 'm', prompt: 'p', best_of: 4, stream: true },
    status: 400,
    code: 'invalid_value',
    param: 'best_of',
  },
  {
    name: 'prompt missing',
    path: '/completions',
    body: { model: 'm' },
    status: 400,
    code: 'missing_required_parameter',
    param: 'prompt',
  },
  {
    name: 'unknown route',
    path: '/embeddings',
    body: { model: 'm', input: 'x' },
    status: 404,
    code: 'unknown_url',
    param: null,
  },
];

describe('bad inputs', () => {
  it.each(cases)('$name → $status $code', async (c) => {
    const method = c.method ?? 'POST';
    const res = await fetch(`${s.base}${c.path ?? '/chat/completions'}`, {
      method,
      headers: { 'content-type': 'application/json', ...c.headers },
      ...(c.body === undefined
        ? {}
        : {
            body:
              typeof c.body === 'string' || c.body instanceof Uint8Array ? c.body : JSON.stringify(c.body),
          }),
    });
    expect(res.status).toBe(c.status);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(body.error['code']).toBe(c.code);
    if (c.param !== undefined) expect(body.error['param']).toBe(c.param);
    expect(typeof body.error['message']).toBe('string');
    if (c.message) expect(body.error['message']).toMatch(c.message);
    if (c.status === 405) expect(res.headers.get('allow')).toBe(c.path === '/models' ? 'GET' : 'POST');
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect(s.replay.stats.requests).toBe(0); // rejected before any upstream call
  });

  it('the SDK surfaces them as typed errors', async () => {
    await expect(
      s.client.chat.completions.create({ ...chat, ...sel({ strategy: 'nope' }) }),
    ).rejects.toMatchObject({ status: 400, code: 'unknown_strategy', param: 'selection.strategy' });
  });
});

describe('partial failures, quorum and deadlines', () => {
  it('proceeds when a quorum succeeded and says how many failed', async () => {
    s.replay.setFaults({ failFirst: 3 });
    const res = await s.client.chat.completions.create({
      ...chat,
      ...sel({ samples: 8 }),
    });
    const meta = (res as Loose).selection;
    expect(meta.samples).toMatchObject({ requested: 8, succeeded: 5, failed: 3 });
    expect(meta.failures).toHaveLength(3);
    expect(meta.failures[0]).toMatchObject({ kind: 'status', status: 500 });
  });

  it('502 quorum_not_reached when too few samples succeed', async () => {
    s.replay.setFaults({ failFirst: 5 });
    const res = await fetch(`${s.base}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...chat, selection: { samples: 8 } }),
    });
    expect(res.status).toBe(502);
    const body = (await res.json()) as Loose;
    expect(body.error).toMatchObject({ type: 'upstream_error', code: 'quorum_not_reached', param: null });
    expect(body.error.message).toMatch(/3 of 8 samples succeeded, 4 needed/);
  });

  it('passes an upstream 4xx through (context length, unknown model) without retry', async () => {
    s.replay.setFaults({ errorRate: 1, errorStatus: 400 });
    const res = await fetch(`${s.base}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...chat, selection: { samples: 2 } }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-should-retry')).toBe('false');
  });

  it('429 from the upstream becomes 429 with retry-after', async () => {
    s.replay.setFaults({ errorRate: 1, errorStatus: 429 });
    const res = await fetch(`${s.base}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...chat, selection: { samples: 2 } }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(((await res.json()) as Loose).error.code).toBe('rate_limit_exceeded');
  });

  it('504 timeout when the deadline passes, and the hung calls are aborted', async () => {
    const t = await startStack({
      config: { upstream: { deadlineMs: 150, nMode: 'parallel' } },
      faults: { timeoutRate: 1 },
    });
    try {
      const res = await fetch(`${t.base}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...chat, selection: { samples: 4 } }),
      });
      expect(res.status).toBe(504);
      expect(((await res.json()) as Loose).error).toMatchObject({ type: 'timeout_error', code: 'timeout' });
      await eventually(() => t.replay.stats.aborted === 4);
    } finally {
      await t.close();
    }
  });

  it('503 with retry-after when the upstream is unreachable', async () => {
    const t = await startStack({
      upstreamUrl: 'http://127.0.0.1:9/v1',
      config: { upstream: { retries: 0 } },
    });
    try {
      const res = await fetch(`${t.base}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...chat, selection: { samples: 2 } }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(((await res.json()) as Loose).error.code).toBe('upstream_unavailable');
      const ready = await fetch(`${t.bom.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ ready: false, upstream: { reachable: false } });
    } finally {
      await t.close();
    }
  });

  it('retries 5xx with backoff within the deadline', async () => {
    const t = await startStack({
      config: { upstream: { retries: 2, nMode: 'n' } },
      faults: { failFirst: 2 },
    });
    try {
      const res = await t.client.chat.completions.create({
        ...chat,
        ...sel({ samples: 4 }),
      });
      expect((res as Loose).selection.samples.succeeded).toBe(4);
      expect(t.replay.stats.errors).toBe(2);
    } finally {
      await t.close();
    }
  });
});

describe('client disconnect', () => {
  it('aborts every in-flight upstream call', async () => {
    s.replay.setFaults({ latencyMs: 5000 });
    const controller = new AbortController();
    const pending = s.client.chat.completions.create(
      { ...chat, ...sel({ samples: 6 }) },
      { signal: controller.signal },
    );
    await eventually(() => s.replay.stats.inFlight === 6);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await eventually(() => s.replay.stats.aborted === 6);
    expect(s.replay.stats.completed).toBe(0);
  });
});

describe('auth', () => {
  it('requires a Bearer key when keys are configured, apart from the upstream key', async () => {
    const t = await startStack({
      config: { apiKeys: ['k-1', 'k-2'], upstream: { apiKey: 'upstream-secret' } },
    });
    try {
      const noKey = await fetch(`${t.base}/models`);
      expect(noKey.status).toBe(401);
      expect(((await noKey.json()) as Loose).error).toMatchObject({
        code: 'invalid_api_key',
        type: 'invalid_request_error',
      });
      expect(noKey.headers.get('x-should-retry')).toBe('false');
      await expect(t.client.models.list()).rejects.toMatchObject({ status: 401 }); // SDK sends 'test-key'
      const ok = await fetch(`${t.base}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer k-2' },
        body: JSON.stringify({ ...chat, selection: { samples: 2 } }),
      });
      expect(ok.status).toBe(200);
      expect((await fetch(`${t.bom.url}/healthz`)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight work, then stops accepting', async () => {
    const t = await startStack({ faults: { latencyMs: 200 } });
    const pending = t.client.chat.completions.create({
      ...chat,
      ...sel({ samples: 2 }),
    });
    await eventually(() => t.replay.stats.inFlight > 0);
    const closing = t.bom.close(5000);
    const res = await pending;
    expect(res.choices).toHaveLength(1);
    await closing;
    await expect(fetch(`${t.base}/models`)).rejects.toThrow();
    await t.upstream.close(0);
  });
});
