// The whole path offline: official SDK → bom (real HTTP on loopback) → the embedded local upstream
// (tiny qwen2 LM through transformers.js) → N samples → clustering → selection → OpenAI response.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.ts';
import { createMetrics } from '../../../src/server/metrics.ts';
import { type RunningServer, startServer } from '../../../src/server/serve.ts';
import { chooseUpstream, probeUpstream } from '../../../src/upstream/choose.ts';
import { UpstreamError } from '../../../src/upstream/types.ts';
import { buildDeps, buildLocalUpstream } from '../../../src/server/wiring.ts';
import { TINY_LM_DIR } from '../../fixtures/build-tiny-lm.ts';
import { type Loose, sel } from '../../server/harness.ts';

const config = parseConfig({
  port: 0,
  upstream: { kind: 'local' },
  local: { model: TINY_LM_DIR, dtype: 'fp32', allowRemote: false, temperature: 1, topP: 1 },
  log: { level: 'silent' },
});
const upstream = buildLocalUpstream(config.local);
const signal = new AbortController().signal;
let bom: RunningServer;
let client: OpenAI;

beforeAll(async () => {
  await upstream.generator.load();
  bom = await startServer(
    buildDeps(config, { upstream, logger: pino({ level: 'silent' }), metrics: createMetrics() }),
  );
  client = new OpenAI({ baseURL: `${bom.url}/v1`, apiKey: 'k', maxRetries: 0 });
});
afterAll(async () => {
  await bom?.close(0);
  await upstream.generator.close();
});

const question = [{ role: 'user' as const, content: 'What is 2+2? Put the answer in \\boxed{}.' }];

describe('local upstream, OpenAI-shaped', () => {
  it('answers chat with n choices, logprobs and usage', async () => {
    const r = await upstream.chat({ messages: question, n: 4, seed: 1, logprobs: true }, { signal });
    const choices = r['choices'] as Loose[];
    expect(choices.map((c) => c['index'])).toEqual([0, 1, 2, 3]);
    for (const c of choices) {
      expect(c['message'].content).toMatch(/\\boxed\{[457]\}$/);
      expect(c['finish_reason']).toBe('stop');
      expect(c['logprobs'].content[0]).toMatchObject({ token: 'Let', logprob: expect.any(Number) });
    }
    const usage = r['usage'] as Loose;
    expect(usage['completion_tokens']).toBe(choices.reduce((s, c) => s + c['logprobs'].content.length, 0));
    expect(usage['total_tokens']).toBe(usage['prompt_tokens'] + usage['completion_tokens']);
  });

  it('returns top logprobs under the raw model distribution, best first', async () => {
    const r = await upstream.chat(
      { messages: question, n: 2, seed: 1, logprobs: true, top_logprobs: 5 },
      { signal },
    );
    for (const c of r['choices'] as Loose[]) {
      for (const t of c['logprobs'].content as Loose[]) {
        const top = t['top_logprobs'] as Loose[];
        expect(top).toHaveLength(5);
        const lps = top.map((e) => e['logprob'] as number);
        expect([...lps].sort((a, b) => b - a)).toEqual(lps);
        // The drawn token's own logprob is at most the best one; all are log-probabilities.
        expect(t['logprob']).toBeLessThanOrEqual(lps[0]! + 1e-6);
        expect(lps.reduce((s, x) => s + Math.exp(x), 0)).toBeLessThanOrEqual(1 + 1e-5);
        expect(top[0]!['token']).toEqual(expect.any(String));
      }
    }
  });

  it('answers completions prompt-major, with legacy logprobs', async () => {
    const r = await upstream.completion(
      { prompt: ['a', 'b'], n: 2, seed: 1, logprobs: 0, max_tokens: 4 },
      { signal },
    );
    const choices = r['choices'] as Loose[];
    expect(choices.map((c) => c['index'])).toEqual([0, 1, 2, 3]);
    expect(choices[0]!['logprobs'].tokens).toHaveLength(choices[0]!['logprobs'].token_logprobs.length);
  });

  it('rejects a bad body or an absurd n as a 400 naming the field', async () => {
    await expect(upstream.chat({ messages: [] }, { signal })).rejects.toMatchObject({
      status: 400,
      param: 'messages',
    });
    await expect(upstream.chat({ messages: question, temperature: 9 }, { signal })).rejects.toMatchObject({
      status: 400,
      param: 'temperature',
    });
    await expect(upstream.chat({ messages: question, n: 100_000 }, { signal })).rejects.toBeInstanceOf(
      UpstreamError,
    );
  });

  it('lists its model', async () => {
    expect((await upstream.models())[0]).toMatchObject({ id: 'tiny-qwen2-lm', owned_by: 'bom-local' });
  });
});

describe('bom serve with the embedded upstream, through the official SDK', () => {
  it('majority over 16 local samples picks the most likely answer first', async () => {
    const r = (await client.chat.completions.create({
      model: 'tiny-qwen2-lm',
      messages: question,
      n: 2,
      seed: 5,
      ...sel({ strategy: 'majority', samples: 16 }),
    })) as unknown as Loose;
    expect(r['choices']).toHaveLength(2);
    expect(r['choices'][0].message.content).toMatch(/\\boxed\{4\}$/);
    expect(r['choices'][0].selection.answer).toBe('4');
    expect(r['choices'][1].selection.answer).not.toBe('4');
    expect(r['selection']).toMatchObject({ strategy: 'majority', samples: { requested: 16, succeeded: 16 } });
    expect(r['usage'].completion_tokens).toBeGreaterThanOrEqual(16 * 10);
  });

  it('adaptive majority stops before N on the local model, and the metadata says so', async () => {
    const r = (await client.chat.completions.create({
      model: 'tiny-qwen2-lm',
      messages: question,
      seed: 5,
      ...sel({ strategy: 'majority', samples: 32, adaptive: true }),
    })) as unknown as Loose;
    const s = r['selection'];
    expect(r['choices'][0].selection.answer).toBe('4');
    expect(s.stopped_early).toBe(true);
    expect(s.samples.requested).toBe(32);
    expect(s.samples.succeeded).toBeLessThan(32);
    expect(s.stop).toMatchObject({
      rule: 'regret',
      threshold: 0.98,
      samples_used: s.samples.succeeded,
      samples_saved: 32 - s.samples.succeeded,
    });
    expect(s.stop.confidence).toBeGreaterThanOrEqual(0.98);
    expect(s.stop.reason).toMatch(/^decided after \d+ of 32 samples/);
    // Billed: what was drawn (the used samples and any that landed after the stop), never all 32.
    expect(s.stop.drawn).toBeLessThan(32);
    expect(r['usage'].completion_tokens).toBeGreaterThanOrEqual(s.samples.succeeded * 10);
  });

  it('best-of-majority ranks with the logprob scorer, no reward model needed', async () => {
    const r = (await client.chat.completions.create({
      model: 'tiny-qwen2-lm',
      messages: question,
      seed: 9,
      ...sel({ strategy: 'best-of-majority', samples: 12, scorer: 'logprob', min_votes: 1 }),
    })) as unknown as Loose;
    const chosen = r['choices'][0].selection;
    expect(chosen.reward).toEqual(expect.any(Number));
    // The likeliest answer also has the best mean token logprob.
    expect(chosen.answer).toBe('4');
  });

  it('deepconf works with no server at all: the embedded model returns top logprobs', async () => {
    const r = (await client.chat.completions.create({
      model: 'tiny-qwen2-lm',
      messages: question,
      seed: 3,
      ...sel({ strategy: 'deepconf', samples: 8, window: 4 }),
    })) as unknown as Loose;
    expect(r['selection']).toMatchObject({
      strategy: 'deepconf',
      fallback: false,
      confidence_basis: 'weighted_share',
    });
    expect(r['selection'].scorer).toBe('confidence:lowest-window:4:top20');
    const chosen = r['choices'][0].selection;
    expect(chosen.confidence).toBeGreaterThan(0);
    expect(chosen.confidence).toBeLessThanOrEqual(1);
    expect(r['choices'][0].logprobs).toBeNull();
  });

  it('deepconf online with the embedded model: streamed samples carry their top logprobs', async () => {
    const r = (await client.chat.completions.create({
      model: 'tiny-qwen2-lm',
      messages: question,
      seed: 4,
      ...sel({ strategy: 'deepconf', samples: 6, warmup: 3, window: 4 }),
    })) as unknown as Loose;
    expect(r['selection'].fallback).toBe(false);
    expect(r['selection'].online).toMatchObject({ warmup: 3, threshold: expect.any(Number) });
    expect(r['selection'].samples.succeeded).toBeGreaterThanOrEqual(3);
    expect(r['choices'][0].selection.confidence).toBeGreaterThan(0);
  });

  it('streams the chosen answer', async () => {
    const stream = await client.chat.completions.create({
      model: 'tiny-qwen2-lm',
      messages: question,
      stream: true,
      seed: 2,
      ...sel({ strategy: 'majority', samples: 8 }),
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toMatch(/\\boxed\{[457]\}$/);
  });

  it('readyz is true once the model is loaded', async () => {
    const res = await fetch(`${bom.url}/readyz`);
    expect(res.status).toBe(200);
  });
});

describe('choosing the upstream', () => {
  const base = { kind: 'auto' as const, url: undefined };
  it('forced local, configured url, probe hit, probe miss', async () => {
    expect((await chooseUpstream({ ...config.upstream, kind: 'local' })).kind).toBe('local');
    expect(await chooseUpstream({ ...config.upstream, ...base, url: 'http://h:1/v1' })).toMatchObject({
      kind: 'http',
      url: 'http://h:1/v1',
    });
    expect((await chooseUpstream({ ...config.upstream, ...base }, async () => true)).kind).toBe('http');
    expect((await chooseUpstream({ ...config.upstream, ...base }, async () => false)).kind).toBe('local');
  });

  it('probes a real loopback server and a closed port', async () => {
    const server = createServer((_req, res) => res.writeHead(401).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    expect(await probeUpstream(`http://127.0.0.1:${port}/v1`)).toBe(true);
    await new Promise((r) => server.close(r));
    expect(await probeUpstream(`http://127.0.0.1:${port}/v1`)).toBe(false);
  });
});
