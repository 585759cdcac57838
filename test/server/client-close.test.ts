// A streaming client that disconnects is a client-closed request (logged 499, counted in
// bom_client_aborts_total), not a 500; and request rules the hostile table does not cover.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { createMetrics, type Metrics } from '../../src/server/metrics.ts';
import { type RunningServer, startServer } from '../../src/server/serve.ts';
import { buildDeps } from '../../src/server/wiring.ts';
import { type Hostile, startHostile } from '../fixtures/hostile-upstream.ts';
import { eventually, type Loose } from './harness.ts';

let hostile: Hostile;
let bom: RunningServer;
let metrics: Metrics;
const logs: Loose[] = [];

beforeAll(async () => {
  hostile = await startHostile();
  metrics = createMetrics();
  const config = parseConfig({
    port: 0,
    shutdownGraceMs: 0,
    selection: { samples: 2 },
    upstream: { url: `${hostile.url}/v1`, nMode: 'parallel', retries: 0, sampleTimeoutMs: 300 },
  });
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as Loose) });
  bom = await startServer(buildDeps(config, { logger, metrics }));
});
afterAll(async () => {
  await bom.close(0);
  await hostile.close();
});

const post = (body: Record<string, unknown>, signal?: AbortSignal) =>
  fetch(`${bom.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'What is 6*7?' }], ...body }),
    ...(signal ? { signal } : {}),
  });

async function aborts(): Promise<number> {
  const m = await metrics.registry.getSingleMetricAsString('bom_client_aborts_total');
  return Number(/bom_client_aborts_total (\d+)/.exec(m)?.[1] ?? 0);
}

async function requestsWith(strategy: string, status: string): Promise<number> {
  const m = await metrics.registry.getSingleMetricAsString('bom_requests_total');
  const re = new RegExp(`strategy="${strategy}",status="${status}"\\} (\\d+)`);
  return Number(re.exec(m)?.[1] ?? 0);
}

describe('a streaming client that disconnects', () => {
  for (const strategy of ['majority', 'none']) {
    it(`is logged as 499 and counted, not a 500 (${strategy})`, async () => {
      const before = await aborts();
      logs.length = 0;
      const controller = new AbortController();
      const model = strategy === 'none' ? 'hang-stream' : 'hang';
      const res = await post({ model, stream: true, selection: { strategy } }, controller.signal);
      expect(res.status).toBe(200);
      controller.abort();
      await eventually(() => logs.some((l) => l['msg'] === 'client closed the stream'));
      const line = logs.find((l) => l['msg'] === 'client closed the stream')!;
      expect(line).toMatchObject({ status: 499, code: 'client_closed' });
      expect(logs.filter((l) => l['status'] === 500 || l['level'] >= 50)).toEqual([]);
      expect(await aborts()).toBe(before + 1);
      await eventually(() => hostile.hanging() === 0);
    });
  }
});

describe('a non-streaming client that disconnects', () => {
  for (const strategy of ['majority', 'none']) {
    it(`leaves through the error funnel: logged and counted as 499, not 200 (${strategy})`, async () => {
      logs.length = 0;
      const before = await aborts();
      const closed = () => requestsWith(strategy, '499');
      const closedBefore = await closed();
      const controller = new AbortController();
      const pending = post({ model: 'hang', selection: { strategy } }, controller.signal).catch(
        (e: unknown) => e,
      );
      await eventually(() => hostile.hanging() > 0);
      controller.abort();
      await pending;
      await eventually(() => logs.some((l) => l['msg'] === 'request'));
      const line = logs.find((l) => l['msg'] === 'request')!;
      expect(line).toMatchObject({ status: 499, aborted: true });
      expect(logs.find((l) => l['msg'] === 'request failed')).toMatchObject({ code: 'client_closed' });
      expect(await closed()).toBe(closedBefore + 1);
      expect(await aborts()).toBe(before + 1);
      await eventually(() => hostile.hanging() === 0);
    });
  }
});

describe('request rules', () => {
  it('stream_options without stream is a 400, as OpenAI and vLLM answer', async () => {
    for (const stream of [false, undefined]) {
      const res = await post({ model: 'ok', stream, stream_options: { include_usage: true } });
      expect(res.status).toBe(400);
      const body = (await res.json()) as Loose;
      expect(body['error']).toMatchObject({ param: 'stream_options', code: 'invalid_value' });
      expect(res.headers.get('x-should-retry')).toBe('false');
    }
    // null stands for absent.
    expect((await post({ model: 'ok', stream: false, stream_options: null })).status).toBe(200);
  });
});
