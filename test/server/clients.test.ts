// Real clients against bom on loopback, as a new user would call it: the Vercel AI SDK (its default
// OpenAI provider, which calls /v1/responses, and @ai-sdk/openai-compatible, which calls chat
// completions) and LangChain's ChatOpenAI in chat and Responses modes. Recipes: docs/clients.md.
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { generateText, streamText } from 'ai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Loose, SIX_SEVEN, type Stack, startStack } from './harness.ts';

let s: Stack;
const realFetch = globalThis.fetch;
/** Every URL the clients fetched: they must stay on loopback (no telemetry, no tokenizer downloads). */
const fetched: string[] = [];

beforeAll(async () => {
  s = await startStack({ config: { selection: { samples: 8 }, upstream: { retries: 0 } } });
  globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    fetched.push(url);
    return realFetch(input, init);
  }) as typeof fetch;
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await s.close();
});
beforeEach(() => {
  s.replay.resetStats();
  fetched.length = 0;
});
afterEach(() => {
  for (const url of fetched) expect(new URL(url).hostname).toBe('127.0.0.1');
});

const bomPaths = () => fetched.map((u) => new URL(u).pathname);

describe('Vercel AI SDK', () => {
  const openai = () => createOpenAI({ baseURL: s.base, apiKey: 'test-key' });

  it('the default OpenAI provider calls /v1/responses and gets the majority answer', async () => {
    const res = await generateText({ model: openai()('replay-model'), prompt: SIX_SEVEN });
    expect(res.text).toContain('\\boxed{42}');
    expect(res.finishReason).toBe('stop');
    expect(res.usage.outputTokens).toBeGreaterThan(0);
    expect(bomPaths()).toEqual(['/v1/responses']);
    expect(s.replay.stats.samplesServed).toBe(8);
  });

  it('the default provider streams /v1/responses; a model alias chooses strategy and N', async () => {
    const result = streamText({
      model: openai()('maj@8/replay-model'),
      system: 'Answer in a box.',
      prompt: SIX_SEVEN,
    });
    let text = '';
    for await (const piece of result.textStream) text += piece;
    expect(text).toContain('\\boxed{42}');
    expect(await result.finishReason).toBe('stop');
    expect((await result.usage).outputTokens).toBeGreaterThan(0);
    expect(s.replay.stats.samplesServed).toBe(8);
    expect(s.replay.stats.lastBody).toMatchObject({
      messages: [{ role: 'system', content: 'Answer in a box.' }, { role: 'user' }],
    });
  });

  it('an error event mid-stream reaches the AI SDK as an error', async () => {
    s.replay.setFaults({ errorRate: 1, errorStatus: 500 });
    try {
      const result = streamText({
        model: openai()('replay-model'),
        prompt: SIX_SEVEN,
        maxRetries: 0,
        onError: () => {},
      });
      const parts: Loose[] = [];
      for await (const p of result.fullStream) parts.push(p as Loose);
      const error = parts.find((p) => p['type'] === 'error');
      expect(error).toBeDefined();
      expect(JSON.stringify(error)).toMatch(/quorum_not_reached|samples succeeded/);
    } finally {
      s.replay.setFaults({});
    }
  });

  it('@ai-sdk/openai-compatible calls chat completions, plain and streamed', async () => {
    const bom = createOpenAICompatible({
      name: 'bom',
      baseURL: s.base,
      apiKey: 'test-key',
      includeUsage: true,
    });
    // This provider spreads providerOptions[<name>] into the body: the `selection` field goes through.
    const res = await generateText({
      model: bom('replay-model'),
      prompt: SIX_SEVEN,
      providerOptions: { bom: { selection: { strategy: 'majority', samples: 16 } } },
    });
    expect(res.text).toContain('\\boxed{42}');
    expect(res.usage.outputTokens).toBeGreaterThan(0);
    expect(s.replay.stats.samplesServed).toBe(16);
    const result = streamText({ model: bom('replay-model'), prompt: SIX_SEVEN });
    let text = '';
    for await (const piece of result.textStream) text += piece;
    expect(text).toContain('\\boxed{42}');
    expect(bomPaths()).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
  });
});

describe('LangChain ChatOpenAI', () => {
  const model = (fields: Record<string, unknown> = {}) =>
    new ChatOpenAI({
      model: 'replay-model',
      apiKey: 'test-key',
      configuration: { baseURL: s.base },
      maxRetries: 0,
      ...fields,
    });

  it('chat mode: invoke and stream through chat completions, selection via modelKwargs', async () => {
    const llm = model({ modelKwargs: { selection: { strategy: 'majority', samples: 8 } } });
    const res = await llm.invoke([new SystemMessage('Be brief.'), new HumanMessage(SIX_SEVEN)]);
    expect(String(res.content)).toContain('\\boxed{42}');
    expect((res.usage_metadata as { output_tokens?: number } | undefined)?.output_tokens).toBeGreaterThan(0);
    expect(s.replay.stats.samplesServed).toBe(8);
    let text = '';
    for await (const chunk of await llm.stream(SIX_SEVEN)) text += String(chunk.content);
    expect(text).toContain('\\boxed{42}');
    expect(bomPaths()).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
  });

  it('Responses mode (useResponsesApi): invoke and stream through /v1/responses', async () => {
    const llm = model({ useResponsesApi: true, modelKwargs: { selection: { samples: 8 } } });
    const res = await llm.invoke([new SystemMessage('Be brief.'), new HumanMessage(SIX_SEVEN)]);
    expect(res.text).toContain('\\boxed{42}');
    expect((res.usage_metadata as { output_tokens?: number } | undefined)?.output_tokens).toBeGreaterThan(0);
    expect(s.replay.stats.samplesServed).toBe(8);
    let text = '';
    for await (const chunk of await llm.stream(SIX_SEVEN)) text += chunk.text;
    expect(text).toContain('\\boxed{42}');
    expect(bomPaths()).toEqual(['/v1/responses', '/v1/responses']);
  });
});
