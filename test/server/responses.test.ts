// POST /v1/responses end to end: the official SDK's client.responses.create → bom → replay upstream
// (chat completions), all on loopback.
import { APIError, BadRequestError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordedProblems } from '../fixtures/recorded.ts';
import { type Loose, OTHER, problems, SIX_SEVEN, type Stack, sel, startStack } from './harness.ts';

const QUESTION = 'What is 3*4?';
const withReasoning = [
  ...problems,
  ...recordedProblems(
    JSON.stringify({
      id: 'reasoning',
      prompt: QUESTION,
      samples: [
        { text: 'Done: \\boxed{12}', reasoning_content: '3*4 = 12' },
        { text: 'It is \\boxed{12}', reasoning_content: 'Adding 3 four times gives 12' },
        { text: 'It is \\boxed{13}', reasoning_content: 'I think 13' },
      ],
    }),
  ),
];

let s: Stack;
beforeAll(async () => {
  s = await startStack({ problems: withReasoning, config: { upstream: { retries: 0 } } });
});
afterAll(() => s.close());
beforeEach(() => {
  s.replay.resetStats();
  s.replay.setFaults({});
});

const post = (body: Record<string, unknown>) =>
  fetch(`${s.base}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** The SSE data events of a raw response (comments and blank lines dropped). */
async function events(res: Response): Promise<{ text: string; events: Loose[] }> {
  const text = await res.text();
  const data = text
    .split('\n\n')
    .filter((b) => b.startsWith('data: '))
    .map((b) => JSON.parse(b.slice(6)) as Loose);
  return { text, events: data };
}

describe('POST /v1/responses with selection', () => {
  it('returns a Response object whose output_text is the majority answer, with honest usage', async () => {
    const res = await s.client.responses.create({
      model: 'replay-model',
      input: SIX_SEVEN,
      ...sel({ strategy: 'majority', samples: 8 }),
    });
    expect(res.object).toBe('response');
    expect(res.id).toMatch(/^resp_/);
    expect(res.status).toBe('completed');
    expect(res.model).toBe('replay-model');
    expect(res.output).toHaveLength(1);
    const msg = res.output[0]!;
    expect(msg).toMatchObject({ type: 'message', role: 'assistant', status: 'completed' });
    expect(res.output_text).toContain('\\boxed{42}');
    const meta = (res as Loose)['selection'];
    expect(meta.strategy).toBe('majority');
    expect(meta.samples).toMatchObject({ requested: 8, succeeded: 8 });
    expect(meta.choices).toHaveLength(1);
    expect(meta.choices[0].selection).toMatchObject({ answer: '42', votes: 4 });
    expect(meta.choices[0].output).toEqual(res.output);
    const billed = meta.usage.calls.reduce((a: number, c: Loose) => a + c.completion_tokens, 0);
    expect(res.usage?.output_tokens).toBe(billed);
    expect(res.usage?.total_tokens).toBe((res.usage?.input_tokens ?? 0) + (res.usage?.output_tokens ?? 0));
    expect(s.replay.stats.samplesServed).toBe(8);
    expect(s.replay.stats.lastBody).not.toHaveProperty('input');
  });

  it('translates message items, instructions and the sampling fields to the chat call', async () => {
    const res = await s.client.responses.create({
      model: 'replay-model',
      instructions: 'Answer in a box.',
      input: [
        { role: 'developer', content: 'Be brief.' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: SIX_SEVEN }] },
      ],
      max_output_tokens: 64,
      temperature: 0.7,
      top_p: 0.9,
      metadata: { run: 'x1' },
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } },
      // @ts-expect-error bom and vendor fields
      seed: 7,
      top_k: 20,
      selection: { samples: 4 },
    });
    expect(s.replay.stats.lastBody).toMatchObject({
      model: 'replay-model',
      messages: [
        { role: 'system', content: 'Answer in a box.' },
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: SIX_SEVEN },
      ],
      max_tokens: 64,
      temperature: 0.7,
      top_p: 0.9,
      seed: 7,
      top_k: 20,
      n: 4,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', schema: { type: 'object' }, strict: true },
      },
    });
    for (const k of ['metadata', 'text', 'instructions', 'max_output_tokens', 'selection'])
      expect(s.replay.stats.lastBody).not.toHaveProperty(k);
    // Echoed as OpenAI echoes them.
    expect(res).toMatchObject({
      instructions: 'Answer in a box.',
      max_output_tokens: 64,
      temperature: 0.7,
      top_p: 0.9,
      metadata: { run: 'x1' },
      store: false,
    });
  });

  it('n = k > 1: output holds the top answer, selection.choices every distinct answer best first', async () => {
    const res = await s.client.responses.create({
      model: 'replay-model',
      input: SIX_SEVEN,
      // @ts-expect-error n is bom's k on /v1/responses
      n: 3,
      selection: { samples: 8 },
    });
    const choices = (res as Loose)['selection'].choices as Loose[];
    expect(choices.map((c) => c['selection'].answer)).toEqual(['42', '41', '40']);
    expect(choices.map((c) => c['index'])).toEqual([0, 1, 2]);
    expect(res.output).toHaveLength(1);
    expect(res.output_text).toContain('\\boxed{42}');
    expect(res.output_text).not.toContain('41');
    expect(choices[1]!['output'][0].content[0].text).toContain('\\boxed{41}');
  });

  it('a model alias picks the strategy and N, and is echoed', async () => {
    const res = await s.client.responses.create({ model: 'maj@4/replay-model', input: SIX_SEVEN });
    expect(res.model).toBe('maj@4/replay-model');
    expect((res as Loose)['selection']).toMatchObject({ strategy: 'majority', samples: { requested: 4 } });
    expect(s.replay.stats.lastBody?.['model']).toBe('replay-model');
  });

  it('keeps reasoning as a reasoning output item before the message', async () => {
    const res = await s.client.responses.create({
      model: 'replay-model',
      input: QUESTION,
      ...sel({ samples: 3 }),
    });
    expect(res.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    expect(res.output[0]).toMatchObject({ type: 'reasoning', summary: [] });
    expect((res.output[0] as Loose)['content'][0]).toMatchObject({ type: 'reasoning_text' });
    expect((res.output[0] as Loose)['content'][0].text).toMatch(/12/);
    expect(res.output_text).toContain('\\boxed{12}');
  });

  it('strategy none: one upstream chat call, its answer as a Response', async () => {
    const res = await s.client.responses.create({
      model: 'none/replay-model',
      input: OTHER,
    });
    expect(res.object).toBe('response');
    expect(res.output_text).toMatch(/\\boxed\{\d\}/);
    expect(res.usage?.output_tokens).toBeGreaterThan(0);
    expect((res as Loose)['selection']).toBeUndefined();
    expect(s.replay.stats.requests).toBe(1);
  });
});

describe('refusals and errors', () => {
  it.each([
    ['previous_response_id', { previous_response_id: 'resp_1' }],
    ['store', { store: true }],
    ['background', { background: true }],
    ['tools', { tools: [{ type: 'function', name: 'f', parameters: {} }] }],
    ['conversation', { conversation: 'conv_1' }],
    ['input[0].type', { input: [{ type: 'item_reference', id: 'msg_1' }] }],
  ])('400 naming %s', async (param, extra) => {
    const err = await s.client.responses
      .create({ model: 'replay-model', input: SIX_SEVEN, ...(extra as object) } as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    const e = err as BadRequestError;
    expect(e.param).toBe(param);
    expect(e.headers?.get('x-should-retry')).toBe('false');
    expect(s.replay.stats.requests).toBe(0);
  });

  it('400 for a missing input and an unknown strategy, in the OpenAI error shape', async () => {
    const res = await post({ model: 'replay-model' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Loose)['error']).toMatchObject({
      type: 'invalid_request_error',
      param: 'input',
      code: 'missing_required_parameter',
    });
    const bad = await post({ model: 'replay-model', input: 'x', selection: { strategy: 'nope' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Loose)['error'].code).toBe('unknown_strategy');
  });

  it('an upstream failure before streaming is an HTTP error (502 quorum_not_reached)', async () => {
    s.replay.setFaults({ errorRate: 1, errorStatus: 500 });
    const res = await post({ model: 'replay-model', input: SIX_SEVEN, selection: { samples: 2 } });
    expect(res.status).toBe(502);
    expect(((await res.json()) as Loose)['error']).toMatchObject({ code: 'quorum_not_reached' });
  });

  it('GET /v1/responses is a 405 naming POST', async () => {
    const res = await fetch(`${s.base}/responses`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('streaming', () => {
  it('the SDK stream yields the Responses event sequence; deltas add up to the final text', async () => {
    const stream = await s.client.responses.create({
      model: 'replay-model',
      input: SIX_SEVEN,
      stream: true,
      ...sel({ samples: 8 }),
    });
    const seen: Loose[] = [];
    for await (const e of stream) seen.push(e as Loose);
    expect(seen.map((e) => e['type']).filter((t, i, a) => t !== a[i - 1])).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(seen.map((e) => e['sequence_number'])).toEqual(seen.map((_, i) => i));
    expect(seen[0]!['response']).toMatchObject({ status: 'in_progress', output: [] });
    const text = seen
      .filter((e) => e['type'] === 'response.output_text.delta')
      .map((e) => e['delta'])
      .join('');
    const done = seen.at(-1)!['response'] as Loose;
    expect(done['status']).toBe('completed');
    expect(done['output'][0].content[0].text).toBe(text);
    expect(text).toContain('\\boxed{42}');
    expect(done['selection'].choices[0].output).toEqual(done['output']);
    expect(done['usage'].output_tokens).toBeGreaterThan(0);
    const added = seen.find((e) => e['type'] === 'response.output_item.added')!;
    expect(added['item'].id).toBe(done['output'][0].id);
  });

  it('the SDK stream helper gives the final Response with output_text, reasoning streamed first', async () => {
    const stream = s.client.responses.stream({
      model: 'replay-model',
      input: QUESTION,
      ...sel({ samples: 3 }),
    });
    const types: string[] = [];
    stream.on('event', (e) => types.push(e.type));
    const final = await stream.finalResponse();
    expect(final.output_text).toContain('\\boxed{12}');
    expect(final.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    expect(types.indexOf('response.reasoning_text.delta')).toBeLessThan(
      types.indexOf('response.output_text.delta'),
    );
    expect(types).toContain('response.reasoning_text.done');
  });

  it('streamed n = 3: only the top answer is streamed, every answer is in the final selection.choices', async () => {
    const res = await post({
      model: 'replay-model',
      input: SIX_SEVEN,
      stream: true,
      n: 3,
      selection: { samples: 8 },
    });
    const { events: evs } = await events(res);
    expect(evs.filter((e) => e['type'] === 'response.output_item.added')).toHaveLength(1);
    const done = evs.at(-1)!['response'] as Loose;
    expect(done['output']).toHaveLength(1);
    expect(done['selection'].choices.map((c: Loose) => c['selection'].answer)).toEqual(['42', '41', '40']);
  });

  it('strategy none refuses n > 1', async () => {
    const res = await post({ model: 'none/replay-model', input: SIX_SEVEN, n: 2 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Loose)['error'].param).toBe('n');
  });

  it('sends keep-alive comments while sampling and no [DONE]', async () => {
    const res = await post({
      model: 'replay-model',
      input: SIX_SEVEN,
      stream: true,
      selection: { samples: 8 },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const { text, events: evs } = await events(res);
    expect(text.startsWith(': bom: sampling 8 for majority')).toBe(true);
    expect(text).toMatch(/: sampled 8\/8/);
    expect(text).not.toContain('[DONE]');
    expect(evs.at(-1)!['type']).toBe('response.completed');
  });

  it('an error after the first byte is one error event, then the end; the SDK raises it', async () => {
    s.replay.setFaults({ errorRate: 1, errorStatus: 500 });
    const res = await post({
      model: 'replay-model',
      input: SIX_SEVEN,
      stream: true,
      selection: { samples: 2 },
    });
    expect(res.status).toBe(200);
    const { events: evs } = await events(res);
    expect(evs.map((e) => e['type'])).toEqual(['response.created', 'response.in_progress', 'error']);
    expect(evs[2]).toMatchObject({
      code: 'quorum_not_reached',
      sequence_number: 2,
      error: { type: 'upstream_error', code: 'quorum_not_reached' },
    });
    expect(typeof evs[2]!['message']).toBe('string');

    const stream = await s.client.responses.create({
      model: 'replay-model',
      input: SIX_SEVEN,
      stream: true,
      ...sel({ samples: 2 }),
    });
    const err = await (async () => {
      for await (const _ of stream);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).message).toMatch(/samples succeeded/);
  });

  it('strategy none streams the upstream answer live as Responses events', async () => {
    const stream = await s.client.responses.create({
      model: 'none/replay-model',
      input: SIX_SEVEN,
      stream: true,
    });
    const seen: Loose[] = [];
    for await (const e of stream) seen.push(e as Loose);
    expect(seen[0]!['type']).toBe('response.created');
    const done = seen.at(-1)!;
    expect(done['type']).toBe('response.completed');
    const text = seen
      .filter((e) => e['type'] === 'response.output_text.delta')
      .map((e) => e['delta'])
      .join('');
    expect(done['response'].output[0].content[0].text).toBe(text);
    expect(text.length).toBeGreaterThan(0);
    expect(done['response'].usage.output_tokens).toBeGreaterThan(0);
    expect(s.replay.stats.lastBody).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });
});
