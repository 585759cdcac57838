// What a client sees when the embedded model cannot serve: a load that failed is a failure (not
// "still loading"), told not to retry; a log-likelihood request (echo + logprobs) is a clear 400.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.ts';
import { createMetrics } from '../../../src/server/metrics.ts';
import { startServer } from '../../../src/server/serve.ts';
import { buildDeps, buildLocalUpstream } from '../../../src/server/wiring.ts';
import { TINY_LM_DIR } from '../../fixtures/build-tiny-lm.ts';

async function serve(model: string) {
  const config = parseConfig({
    port: 0,
    upstream: { kind: 'local' },
    local: { model, dtype: 'fp32', allowRemote: false },
    log: { level: 'silent' },
  });
  const upstream = buildLocalUpstream(config.local);
  const bom = await startServer(
    buildDeps(config, { upstream, logger: pino({ level: 'silent' }), metrics: createMetrics() }),
  );
  return { upstream, bom, base: `${bom.url}/v1` };
}

const chat = (base: string) =>
  fetch(`${base}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'x',
      messages: [{ role: 'user', content: 'hi' }],
      selection: { samples: 2 },
    }),
  });

describe('a model that fails to load', () => {
  let dir: string;
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    // Every file the folder check wants is there, but the tokenizer is not valid: the load itself fails.
    dir = mkdtempSync(join(tmpdir(), 'bom-broken-lm-'));
    cpSync(TINY_LM_DIR, dir, { recursive: true });
    writeFileSync(join(dir, 'tokenizer.json'), '{not json');
    s = await serve(dir);
    await s.upstream.generator.load().catch(() => undefined);
  });
  afterAll(async () => {
    await s.bom.close(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is reported as failed, with the reason, and clients are told not to retry', async () => {
    expect(s.upstream.generator.failure).toMatch(/could not load local model folder/);
    for (let i = 0; i < 2; i++) {
      const res = await chat(s.base);
      expect(res.status).toBe(503);
      expect(res.headers.get('x-should-retry')).toBe('false');
      expect(res.headers.get('retry-after')).toBeNull();
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('local_model_failed');
      expect(body.error.message).toMatch(/could not load local model folder/);
    }
    const models = await fetch(`${s.base}/models`);
    expect(models.status).toBe(503);
    expect(await models.json()).toMatchObject({ error: { code: 'local_model_failed' } });
    const ready = await fetch(`${s.base.replace(/\/v1$/, '')}/readyz`);
    expect(ready.status).toBe(503);
  });
});

describe('log-likelihood requests', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    s = await serve(TINY_LM_DIR);
  });
  afterAll(async () => {
    await s.bom.close(0);
    await s.upstream.generator.close();
  });

  it('echo with logprobs is refused with a 400 that says why; plain generation still works', async () => {
    const client = new OpenAI({ baseURL: s.base, apiKey: 'k', maxRetries: 0 });
    const err = await client.completions
      .create({ model: 'x', prompt: 'The sky is', echo: true, logprobs: 1, max_tokens: 1 })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'echo' });
    expect(String((err as Error).message)).toMatch(/prompt-token logprobs/);
    const ok = await client.completions.create({ model: 'x', prompt: 'What is 2+2?', max_tokens: 8 });
    expect(ok.choices.length).toBeGreaterThan(0);
  });
});
