// The app's middleware: request ids, metric labels by route pattern, and the one error funnel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './harness.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(() => s.close());

const root = () => s.base.replace(/\/v1$/, '');

describe('request ids', () => {
  it('a plain client id is echoed; anything long or odd is replaced by our own', async () => {
    const ok = await fetch(`${s.base}/models`, { headers: { 'x-request-id': 'client-42.a:b' } });
    expect(ok.headers.get('x-request-id')).toBe('client-42.a:b');
    for (const bad of ['x'.repeat(129), 'has space', 'quote"d', 'é']) {
      const res = await fetch(`${s.base}/models`, { headers: { 'x-request-id': bad } });
      expect(res.headers.get('x-request-id')).toMatch(/^req_[0-9a-z]+$/);
    }
  });

  it('error replies carry the request id too', async () => {
    const res = await fetch(`${s.base}/nope`, { headers: { 'x-request-id': 'abc' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('abc');
    expect(await res.json()).toMatchObject({ error: { code: 'unknown_url', type: 'not_found_error' } });
  });
});

describe('metrics', () => {
  it('label requests by route pattern, so raw paths never become series', async () => {
    for (const path of ['/nope-1', '/nope-2', '/models/replay-model', '/models/some-other']) {
      await fetch(`${s.base}${path}`);
    }
    const text = await (await fetch(`${root()}/metrics`)).text();
    const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]));
    expect(routes).toContain('unmatched');
    expect(routes).toContain('/v1/models/:id{.+}');
    for (const r of routes) expect(r).not.toMatch(/nope|replay-model|some-other/);
  });
});

describe('the error funnel', () => {
  it('a wrong method is a 405 with Allow, through the same funnel', async () => {
    const res = await fetch(`${s.base}/chat/completions`, { headers: { 'x-request-id': 'm1' } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(res.headers.get('x-request-id')).toBe('m1');
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect(await res.json()).toMatchObject({ error: { code: 'method_not_allowed', param: null } });
  });
});

describe('hostile message content', () => {
  it('a null or numeric content part is no text, not a 500', async () => {
    const res = await fetch(`${s.base}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'replay-model',
        messages: [{ role: 'user', content: [null, 7, { type: 'text', text: 'What is 6*7?' }] }],
        selection: { strategy: 'best-of-n', samples: 4 },
      }),
    });
    expect(res.status).toBe(200);
  });
});
