// End to end: the openai SDK → bom → replay upstream, all on loopback.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ask,
  type Loose,
  sel,
  OTHER,
  SIX_SEVEN,
  type Stack,
  startStack,
  TRUNCATED,
  streamChat,
} from './harness.ts';

type Meta = Loose;

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(() => s.close());
beforeEach(() => {
  s.replay.resetStats();
  s.replay.setFaults({});
  s.bom.app.state.modes.clear();
});

describe('chat completions with selection', () => {
  it('majority over N=8 returns the most frequent answer with metadata and honest usage', async () => {
    const res = await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(SIX_SEVEN),
      ...sel({ strategy: 'majority', samples: 8 }),
    });
    expect(res.object).toBe('chat.completion');
    expect(res.choices).toHaveLength(1);
    const choice = res.choices[0]!;
    expect(choice.index).toBe(0);
    expect(choice.message.content).toContain('\\boxed{42}');
    expect(choice.finish_reason).toBe('stop');
    const cs = (choice as Meta)['selection'];
    expect(cs).toMatchObject({ answer: '42', votes: 4, frequency: 0.5 });
    expect(cs.samples).toEqual([0, 1, 3, 7]);
    const meta = (res as Meta)['selection'];
    expect(meta.strategy).toBe('majority');
    expect(meta.samples).toEqual({ requested: 8, succeeded: 8, failed: 0, truncated: 0 });
    expect(meta.clusters.map((c: Meta) => [c.answer, c.votes])).toEqual([
      ['42', 4],
      ['41', 2],
      [null, 1],
      ['40', 1],
    ]);
    expect(meta.upstream).toMatchObject({ mode: 'n', n_fallback: false, calls: 1 });
    // Usage is what the upstream billed for all 8 samples, not for the one returned.
    const billed = meta.usage.calls.reduce((a: number, c: Meta) => a + c.completion_tokens, 0);
    expect(res.usage?.completion_tokens).toBe(billed);
    expect(res.usage?.completion_tokens).toBeGreaterThan(8);
    expect(res.usage?.total_tokens).toBe(
      (res.usage?.prompt_tokens ?? 0) + (res.usage?.completion_tokens ?? 0),
    );
    expect(s.replay.stats.samplesServed).toBe(8);
  });

  it('n = k returns k distinct answers best first, fewer (with a reason) when there are fewer', async () => {
    const res = await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(SIX_SEVEN),
      n: 3,
      ...sel({ samples: 8 }),
    });
    expect(res.choices.map((c) => (c as Meta)['selection'].answer)).toEqual(['42', '41', '40']);
    expect(res.choices.map((c) => c.index)).toEqual([0, 1, 2]);

    const few = await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(OTHER),
      n: 3,
      ...sel({ samples: 3 }),
    });
    expect(few.choices).toHaveLength(2);
    expect((few as Meta)['selection'].reason).toMatch(/only 2 distinct answers/);
  });

  it('best-of-n with the logprob scorer reports rewards and the scorer', async () => {
    const res = await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(SIX_SEVEN),
      ...sel({ strategy: 'best-of-n', samples: 8, scorer: 'logprob' }),
    });
    const cs = (res.choices[0] as Meta)['selection'];
    expect(cs.answer).toBe('41');
    expect(cs.reward).toBeCloseTo((-0.015 + -0.03) / 2, 9);
    expect(res.choices[0]!.logprobs).toBeNull(); // requested upstream for the scorer, not by the client
    const meta = (res as Meta)['selection'];
    expect(meta.scorer).toBe('logprob');
    expect(meta.scored_samples).toBe(7); // the answerless sample is never a candidate
    expect(s.replay.stats.lastBody?.['logprobs']).toBe(true);
  });

  it('a reward strategy whose upstream sends no logprobs falls back to majority, visibly', async () => {
    // OTHER's recorded samples carry no logprobs: 7 ×2, 2 ×1.
    for (const strategy of ['best-of-n', 'best-of-majority', 'weighted-majority']) {
      const res = await s.client.chat.completions.create({
        model: 'replay-model',
        messages: ask(OTHER),
        ...sel({ strategy, samples: 3, scorer: 'logprob' }),
      });
      expect((res.choices[0] as Meta)['selection'].answer, strategy).toBe('7');
      const meta = (res as Meta)['selection'];
      expect(meta.fallback, strategy).toBe(true);
      expect(meta.reason, strategy).toMatch(/no token logprobs.*fell back to majority order/);
    }
    const metrics = await (await fetch(`${s.base.replace(/\/v1$/, '')}/metrics`)).text();
    expect(metrics).toMatch(/bom_selection_fallbacks_total\{strategy="best-of-n"\} [1-9]/);
  });

  it('the alias short names also work in selection.strategy', async () => {
    const res = await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(SIX_SEVEN),
      ...sel({ strategy: 'bon', samples: 8, scorer: 'logprob' }),
    });
    expect((res as Meta)['selection'].strategy).toBe('best-of-n');
  });

  it('a truncated majority does not beat a complete answer', async () => {
    const res = await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(TRUNCATED),
      ...sel({ samples: 5 }),
    });
    expect((res.choices[0] as Meta)['selection'].answer).toBe('7');
    expect(res.choices[0]!.finish_reason).toBe('stop');
    expect((res as Meta)['selection'].samples.truncated).toBe(3);
  });

  it('forwards vendor parameters unchanged and seeds parallel samples with seed + i', async () => {
    await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(SIX_SEVEN),
      seed: 100,
      // @ts-expect-error vendor and extension fields
      top_k: 20,
      min_p: 0.05,
      chat_template_kwargs: { enable_thinking: false },
      selection: { samples: 4 },
    });
    expect(s.replay.stats.lastBody).toMatchObject({
      top_k: 20,
      min_p: 0.05,
      chat_template_kwargs: { enable_thinking: false },
      n: 4,
      seed: 100,
    });
    expect(s.replay.stats.lastBody).not.toHaveProperty('selection');

    s.replay.resetStats();
    s.replay.setFaults({ rejectN: true });
    await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(SIX_SEVEN),
      seed: 100,
      ...sel({ samples: 4 }),
    });
    // The n=4 call (seed 100) is rejected, then one n=1 probe and three more, each seed + i.
    expect([...s.replay.stats.seeds].sort()).toEqual([100, 100, 101, 102, 103]);
  });
});

describe('upstream n handling', () => {
  it('falls back to parallel n=1 calls when the upstream rejects n, and remembers it', async () => {
    s.replay.setFaults({ rejectN: true });
    const first = await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(SIX_SEVEN),
      ...sel({ samples: 8 }),
    });
    expect((first as Meta)['selection'].upstream).toMatchObject({
      mode: 'parallel',
      n_fallback: true,
      calls: 8,
    });
    expect((first.choices[0] as Meta)['selection'].answer).toBe('42');
    expect(s.replay.stats.rejectedN).toBe(1);

    const second = await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(SIX_SEVEN),
      ...sel({ samples: 8 }),
    });
    expect((second as Meta)['selection'].upstream).toMatchObject({ mode: 'parallel', n_fallback: false });
    expect(s.replay.stats.rejectedN).toBe(1);
  });

  it('tops up in parallel when the upstream silently returns fewer choices', async () => {
    s.replay.setFaults({ ignoreN: true });
    const res = await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(SIX_SEVEN),
      ...sel({ samples: 8 }),
    });
    const meta = (res as Meta)['selection'];
    expect(meta.samples.succeeded).toBe(8);
    expect(meta.upstream).toMatchObject({ mode: 'parallel', n_fallback: true, calls: 8 });
  });
});

describe('aliases, models and pass-through', () => {
  it('model alias picks strategy and N; /v1/models lists aliases', async () => {
    const res = await s.client.chat.completions.create({
      model: 'maj@4/replay-model',
      messages: ask(SIX_SEVEN),
    });
    const meta = (res as Meta)['selection'];
    expect(meta.strategy).toBe('majority');
    expect(meta.samples.requested).toBe(4);
    expect(res.model).toBe('maj@4/replay-model');
    expect(s.replay.stats.lastBody?.['model']).toBe('replay-model');

    const models = await s.client.models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toContain('replay-model');
    expect(ids).toContain('bom@8/replay-model');
    for (const m of models.data) expect(m).toMatchObject({ object: 'model', owned_by: expect.any(String) });
    const one = await s.client.models.retrieve('bom@32/replay-model');
    expect(one.id).toBe('bom@32/replay-model');
    await expect(s.client.models.retrieve('nope')).rejects.toMatchObject({ status: 404 });
  });

  it('a malformed alias of a known strategy is a 400 naming model, not a model name sent upstream', async () => {
    for (const model of [
      'maj@-3/replay-model',
      'maj@1.5/replay-model',
      'maj@/replay-model',
      'maj@8/',
      'bom/',
    ]) {
      const err = await s.client.chat.completions
        .create({ model, messages: ask(SIX_SEVEN) })
        .catch((e: unknown) => e);
      expect(err, model).toMatchObject({ status: 400, param: 'model', code: 'invalid_model_alias' });
      expect((err as Error).message).toContain(`'${model}'`);
    }
    expect(s.replay.stats.requests).toBe(0);
  });

  it('/v1/models/{alias} is a 404 for an alias no request could use', async () => {
    // N = 0, an N above limits.maxSamples (128 by default), a malformed N.
    for (const id of ['maj@0/replay-model', 'bom@999/replay-model', 'maj@-3/replay-model'])
      await expect(s.client.models.retrieve(id), id).rejects.toMatchObject({ status: 404 });
    expect((await s.client.models.retrieve('maj@128/replay-model')).id).toBe('maj@128/replay-model');
  });

  it('strategy none passes the request through untouched, n included', async () => {
    const res = await s.client.chat.completions.create({
      model: 'none/replay-model',
      messages: ask(SIX_SEVEN),
      n: 3,
    });
    expect(res.id).toMatch(/^chatcmpl-replay/);
    expect(res.choices).toHaveLength(3);
    expect(res).not.toHaveProperty('selection');
    expect(s.replay.stats.lastBody?.['n']).toBe(3);

    const stream = await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(OTHER),
      stream: true,
      ...sel({ strategy: 'none' }),
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toMatch(/\\boxed\{\d\}/);
  });
});

describe('streaming', () => {
  it('streams the chosen choices in real chunk shape with usage and metadata', async () => {
    const stream = await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(SIX_SEVEN),
      n: 2,
      stream: true,
      stream_options: { include_usage: true },
      ...sel({ samples: 8 }),
    });
    const chunks: Meta[] = [];
    for await (const chunk of stream) chunks.push(chunk as Meta);
    const ids = new Set(chunks.map((c) => c['id']));
    expect(ids.size).toBe(1);
    const texts = ['', ''];
    const finishes: (string | null)[] = [null, null];
    for (const c of chunks.slice(0, -1)) {
      expect(c['object']).toBe('chat.completion.chunk');
      expect(c['usage']).toBeNull();
      for (const ch of c['choices']) {
        texts[ch.index] += ch.delta.content ?? '';
        if (ch.finish_reason) finishes[ch.index] = ch.finish_reason;
      }
    }
    expect(chunks[0]!['choices'][0].delta).toEqual({ role: 'assistant', content: '' });
    expect(texts[0]).toContain('\\boxed{42}');
    expect(texts[1]).toContain('\\boxed{41}');
    expect(finishes).toEqual(['stop', 'stop']);
    const last = chunks[chunks.length - 1]!;
    expect(last['choices']).toEqual([]);
    expect(last['usage'].completion_tokens).toBeGreaterThan(8);
    expect(last['selection'].samples.succeeded).toBe(8);
  });

  it('sends keep-alive comments while sampling, then [DONE]', async () => {
    const res = await streamChat(s.base, { samples: 4 });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text();
    expect(text).toMatch(/^: bom: sampling 4/);
    expect(text).toContain(': sampled 4/4');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('an error after the first byte is an error event the SDK raises', async () => {
    s.replay.setFaults({ errorRate: 1, errorStatus: 500 });
    const stream = await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(SIX_SEVEN),
      stream: true,
      ...sel({ samples: 2 }),
    });
    await expect(
      (async () => {
        for await (const _ of stream) {
          /* drain */
        }
      })(),
    ).rejects.toThrow(/Upstream error/);
  });
});

describe('completions', () => {
  it('best_of is the sample budget and n the choices returned', async () => {
    const res = await s.client.completions.create({
      model: 'replay-model',
      prompt: SIX_SEVEN,
      best_of: 8,
      n: 2,
    });
    expect(res.object).toBe('text_completion');
    expect(res.choices.map((c) => c.index)).toEqual([0, 1]);
    expect(res.choices[0]!.text).toContain('42');
    expect((res as Meta)['selection'].samples.requested).toBe(8);
    expect(s.replay.stats.lastBody).not.toHaveProperty('best_of');
  });

  it('array prompts give prompt-major choices, padded to n', async () => {
    const res = await s.client.completions.create({
      model: 'replay-model',
      prompt: [SIX_SEVEN, OTHER],
      n: 3,
      ...sel({ samples: 3 }),
    });
    expect(res.choices.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(res.choices[3]!.text).toContain('\\boxed{7}');
    expect((res.choices[5] as Meta)['selection'].padded).toBe(true);
    expect((res as Meta)['selection'].prompts).toHaveLength(2);
  });

  it('streams text_completion chunks', async () => {
    const stream = await s.client.completions.create({
      model: 'replay-model',
      prompt: SIX_SEVEN,
      stream: true,
      ...sel({ samples: 8 }),
    });
    let text = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('text_completion');
      text += chunk.choices[0]?.text ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toContain('42');
    expect(finish).toBe('stop');
  });
});

describe('operations', () => {
  it('exposes selection metrics and health', async () => {
    await s.client.chat.completions.create({ model: 'replay-model', messages: ask(SIX_SEVEN) });
    const text = await (await fetch(`${s.bom.url}/metrics`)).text();
    for (const name of [
      'bom_samples_total{outcome="succeeded"}',
      'bom_upstream_call_seconds_bucket',
      'bom_clusters_per_request_bucket',
      'bom_winner_vote_share_bucket',
      'bom_selection_seconds_bucket',
      'bom_upstream_n_fallbacks_total',
      'bom_requests_total{route="/v1/chat/completions"',
    ])
      expect(text).toContain(name);
    expect((await fetch(`${s.bom.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${s.bom.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, upstream: { reachable: true } });
  });

  it('echoes x-request-id', async () => {
    const res = await fetch(`${s.base}/models`, { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
  });
});
