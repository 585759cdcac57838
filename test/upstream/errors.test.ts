// How a failed upstream call is classified decides retries and the client's status.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIConnectionError, OpenAIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upstreamErrorReply } from '../../src/server/errors.ts';
import { normaliseUpstreamError } from '../../src/upstream/errors.ts';
import { checkCompletion, createOpenAIUpstream } from '../../src/upstream/openai-client.ts';
import { MALFORMED_RESPONSE, UpstreamError } from '../../src/upstream/types.ts';

describe('upstream error classification', () => {
  it('a bug in bom is internal: not retried, answered 500 without echoing it', () => {
    const err = normaliseUpstreamError(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(err.kind).toBe('internal');
    expect(err.retryable).toBe(false);
    const reply = upstreamErrorReply(err, '0 of 8 samples succeeded');
    expect(reply.status).toBe(500);
    expect(reply.body.error).toMatchObject({ code: 'internal_error', message: 'Internal server error' });
    expect(reply.internal).toMatch(/reading 'x'/);
  });

  it("the SDK's own errors and connection failures stay retryable upstream faults", () => {
    expect(normaliseUpstreamError(new OpenAIError('could not parse response')).kind).toBe('connection');
    const refused = normaliseUpstreamError(new APIConnectionError({ message: 'ECONNREFUSED' }));
    expect(refused.kind).toBe('connection');
    expect(refused.retryable).toBe(true);
  });
});

// Upstreams word their errors in several shapes; the client's message must survive each of them
// (the SDK reads only `{"error": {...}}` and otherwise says "404 status code (no body)").
describe('upstream error bodies in other shapes than OpenAI’s', () => {
  const shapes: { name: string; status: number; body: unknown; message: string; param?: string | null }[] = [
    {
      name: "vLLM's top-level ErrorResponse",
      status: 404,
      body: {
        object: 'error',
        message: 'The model `gpt-9` does not exist.',
        type: 'NotFoundError',
        param: null,
        code: 404,
      },
      message: 'The model `gpt-9` does not exist.',
    },
    {
      name: "vLLM's context-length 400",
      status: 400,
      body: {
        object: 'error',
        message: "This model's maximum context length is 10 tokens.",
        type: 'BadRequestError',
        param: 'messages',
        code: 400,
      },
      message: "This model's maximum context length is 10 tokens.",
      param: 'messages',
    },
    {
      name: 'an error string (Ollama, optillm)',
      status: 400,
      body: { error: 'invalid model name' },
      message: 'invalid model name',
    },
    {
      name: "FastAPI's detail",
      status: 422,
      body: { detail: 'Field required: messages' },
      message: 'Field required: messages',
    },
  ];
  let server: Server;
  let url: string;
  const byPath = new Map(shapes.map((s, i) => [`/s${i}/v1/chat/completions`, s]));
  beforeAll(async () => {
    server = createServer((req, res) => {
      const s = byPath.get(req.url ?? '');
      res.writeHead(s?.status ?? 500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(s?.body ?? {}));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  for (const [i, s] of shapes.entries()) {
    it(`${s.name}: its message reaches the client`, async () => {
      const upstream = createOpenAIUpstream({ url: `${url}/s${i}/v1`, apiKey: 'k' });
      const err = await upstream
        .chat(
          { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
          { signal: new AbortController().signal },
        )
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UpstreamError);
      const e = err as UpstreamError;
      expect(e).toMatchObject({ kind: 'status', status: s.status, message: s.message });
      // A numeric code is vLLM's copy of the HTTP status, not an error code.
      expect(e.code === null || !/^\d+$/.test(e.code)).toBe(true);
      const reply = upstreamErrorReply(e, '1 of 1 samples failed');
      expect(reply.status).toBe(s.status);
      expect(reply.body.error.message).toBe(s.message);
      expect(reply.body.error.param).toBe(s.param ?? null);
    });
  }
});

// A 2xx body whose choice cannot be read as a chat message or a completion text is the upstream's
// fault (502, retried), not a number handed to the client as `message.content`.
describe('checkCompletion: choices every reader can rely on', () => {
  const chat = (choice: unknown) => ({ id: 'x', choices: [choice] });
  const ok = { index: 0, message: { role: 'assistant', content: 'fine' }, finish_reason: 'stop' };
  it.each([
    ['content a number', chat({ ...ok, message: { role: 'assistant', content: 42 } }), /message\.content/],
    [
      'content an object',
      chat({ ...ok, message: { role: 'assistant', content: { a: 1 } } }),
      /message\.content/,
    ],
    ['no message (a text_completion body)', chat({ index: 0, text: '4', finish_reason: 'stop' }), /message/],
  ])('chat: %s is malformed', (_name, body, what) => {
    const err = (() => {
      try {
        checkCompletion('chat', body);
      } catch (e) {
        return e;
      }
    })() as UpstreamError;
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ kind: 'malformed', code: MALFORMED_RESPONSE });
    expect(err.message).toMatch(what);
  });
  it('completion: a text that is not a string is malformed', () => {
    expect(() => checkCompletion('completion', { choices: [{ index: 0, text: 7 }] })).toThrow(
      /choices\[0\]\.text/,
    );
  });
  it('what real upstreams send passes: null content (tool calls), content parts, a refusal', () => {
    for (const content of [null, 'text', [{ type: 'text', text: 'a' }]])
      expect(() =>
        checkCompletion('chat', chat({ ...ok, message: { role: 'assistant', content } })),
      ).not.toThrow();
    expect(() => checkCompletion('completion', { choices: [{ index: 0, text: '' }] })).not.toThrow();
  });
});
