// The fault table: a hostile upstream with one fault per model name, and for each fault
// the status, error code and headers bom answers with, how many upstream calls it spent, and that
// the process stays responsive (/healthz answers while the faulty request is in flight).
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { type RunningServer, startServer } from '../../src/server/serve.ts';
import { buildDeps } from '../../src/server/wiring.ts';
import { type Fault, type Hostile, LEAKY_AUTH_MESSAGE, startHostile } from '../fixtures/hostile-upstream.ts';
import { eventually, type Loose } from './harness.ts';

const N = 4;
const RETRIES = 1;
let hostile: Hostile;
let bom: RunningServer;

beforeAll(async () => {
  hostile = await startHostile({ bombBytes: 16 * 1024 * 1024, hugeBytes: 4 * 1024 * 1024 });
  const config = parseConfig({
    port: 0,
    log: { level: 'silent' },
    shutdownGraceMs: 0,
    selection: { strategy: 'majority', samples: N },
    upstream: {
      url: `${hostile.url}/v1`,
      nMode: 'parallel',
      retries: RETRIES,
      retryBaseMs: 1,
      sampleTimeoutMs: 600,
      deadlineMs: 1500,
      maxResponseBytes: 1024 * 1024,
    },
  });
  bom = await startServer(buildDeps(config, { logger: pino({ level: 'silent' }), metrics: createMetrics() }));
});
afterAll(async () => {
  await bom.close(0);
  await hostile.close();
});

interface Row {
  fault: Fault;
  strategy?: string;
  stream?: boolean;
  status: number;
  code?: string;
  /** Upstream calls this request should cost: N × (retries + 1) when retried, N when not. */
  calls?: number;
  headers?: Record<string, string | null>;
}

const retried = N * (RETRIES + 1);
const table: Row[] = [
  { fault: 'truncated-json', status: 502, code: 'upstream_malformed_response', calls: retried },
  { fault: 'empty-body', status: 502, code: 'upstream_malformed_response', calls: retried },
  { fault: 'empty-chunked', status: 502, code: 'upstream_malformed_response', calls: retried },
  { fault: 'null-body', status: 502, code: 'upstream_malformed_response', calls: retried },
  { fault: 'null-choice', status: 502, code: 'upstream_malformed_response', calls: retried },
  { fault: 'deep', status: 502, code: 'upstream_malformed_response', calls: retried },
  { fault: 'html', status: 502, code: 'upstream_malformed_response', calls: retried },
  { fault: 'negative-usage', status: 502, code: 'upstream_malformed_response', calls: retried },
  { fault: 'fractional-usage', status: 502, code: 'upstream_malformed_response', calls: retried },
  { fault: 'gzip-bomb', status: 502, code: 'upstream_response_too_large', calls: N },
  { fault: 'huge', status: 502, code: 'upstream_response_too_large', calls: N },
  {
    fault: 'rate-limit-long',
    status: 429,
    code: 'rate_limit_exceeded',
    calls: N,
    headers: { 'retry-after': '3600', 'x-should-retry': null },
  },
  {
    fault: 'overloaded',
    status: 503,
    code: 'upstream_overloaded',
    calls: N,
    headers: { 'retry-after': '7', 'x-should-retry': null },
  },
  {
    fault: 'auth',
    status: 502,
    code: 'upstream_auth_failed',
    calls: N,
    headers: { 'x-should-retry': 'false' },
  },
  {
    fault: 'forbidden',
    status: 502,
    code: 'upstream_auth_failed',
    calls: N,
    headers: { 'x-should-retry': 'false' },
  },
  { fault: 'hang', status: 504, code: 'timeout', calls: N },
  // Pass-through: the same faults, one upstream call, the same answers.
  { fault: 'hang', strategy: 'none', status: 504, code: 'timeout', calls: 1 },
  { fault: 'null-choice', strategy: 'none', status: 502, code: 'upstream_malformed_response', calls: 1 },
  { fault: 'gzip-bomb', strategy: 'none', status: 502, code: 'upstream_response_too_large', calls: 1 },
  { fault: 'auth', strategy: 'none', status: 502, code: 'upstream_auth_failed', calls: 1 },
  {
    fault: 'rate-limit-long',
    strategy: 'none',
    status: 429,
    code: 'rate_limit_exceeded',
    calls: 1,
    headers: { 'retry-after': '3600' },
  },
  {
    fault: 'overloaded',
    strategy: 'none',
    status: 503,
    code: 'upstream_overloaded',
    calls: 1,
    headers: { 'retry-after': '7' },
  },
];

function post(fault: Fault, extra: Record<string, unknown> = {}): Promise<Response> {
  return fetch(`${bom.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: fault, messages: [{ role: 'user', content: 'What is 6*7?' }], ...extra }),
  });
}

describe('fault table: one hostile upstream fault per row', () => {
  for (const row of table) {
    it(`${row.fault}${row.strategy ? ` (${row.strategy})` : ''} → ${row.status} ${row.code ?? ''}`, async () => {
      const before = hostile.calls.get(row.fault) ?? 0;
      const pending = post(row.fault, row.strategy ? { selection: { strategy: row.strategy } } : {});
      // Responsive while the fault is in progress.
      const health = await fetch(`${bom.url}/healthz`);
      expect(health.status).toBe(200);
      const res = await pending;
      const body = (await res.json()) as Loose;
      expect(res.status).toBe(row.status);
      expect(Object.keys(body)).toEqual(['error']);
      expect(Object.keys(body['error']).sort()).toEqual(['code', 'message', 'param', 'type']);
      if (row.code) expect(body['error']['code']).toBe(row.code);
      for (const [h, v] of Object.entries(row.headers ?? {})) expect(res.headers.get(h)).toBe(v);
      // Never the upstream's own credentials message.
      expect(JSON.stringify(body)).not.toContain('sk-');
      expect(JSON.stringify(body)).not.toContain(LEAKY_AUTH_MESSAGE);
      if (row.calls !== undefined) expect((hostile.calls.get(row.fault) ?? 0) - before).toBe(row.calls);
    });
  }

  it('/healthz answers while a request hangs on the upstream', async () => {
    const pending = post('hang');
    await eventually(() => hostile.hanging() > 0);
    const health = await fetch(`${bom.url}/healthz`);
    expect(health.status).toBe(200);
    expect((await pending).status).toBe(504);
    await eventually(() => hostile.hanging() === 0);
  });

  it('a pass-through stream that hangs after its headers ends with an error event at the deadline', async () => {
    const res = await post('hang-stream', { stream: true, selection: { strategy: 'none' } });
    expect(res.status).toBe(200);
    const text = await res.text();
    const events = text
      .split('\n\n')
      .filter((e) => e.startsWith('data: '))
      .map((e) => JSON.parse(e.slice(6)) as Loose);
    expect(events.at(-1)?.['error']?.['code']).toBe('timeout');
    await eventually(() => hostile.hanging() === 0);
  });

  it('/v1/completions: the same faults, the same answers', async () => {
    const completion = (model: string, extra: Record<string, unknown> = {}) =>
      fetch(`${bom.url}/v1/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, prompt: 'What is 6*7?', ...extra }),
      });
    for (const [model, status, code] of [
      ['null-body', 502, 'upstream_malformed_response'],
      ['gzip-bomb', 502, 'upstream_response_too_large'],
      ['auth', 502, 'upstream_auth_failed'],
      ['overloaded', 503, 'upstream_overloaded'],
    ] as const) {
      for (const extra of [{}, { selection: { strategy: 'none' } }]) {
        const res = await completion(model, extra);
        expect(res.status).toBe(status);
        expect(((await res.json()) as Loose)['error']['code']).toBe(code);
      }
    }
  });

  it('content as an array of parts is read as the answer', async () => {
    const res = await post('parts');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Loose;
    expect(body['selection']['clusters'][0]['answer']).toBe('42');
    expect(body['choices'][0]['selection']['votes']).toBe(N);
  });

  it('a healthy model still works after all of it', async () => {
    const res = await post('ok');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Loose;
    expect(body['usage']).toEqual({ prompt_tokens: 5 * N, completion_tokens: 3 * N, total_tokens: 8 * N });
  });
});
