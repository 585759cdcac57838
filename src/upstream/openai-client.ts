// The real Upstream: the official openai SDK (6.x). The SDK's own retries are off because the fan-out
// retries within its deadline; its errors are normalised into UpstreamError.
import OpenAI from 'openai';
import { redactUrl } from '../core/index.ts';
import { normaliseUpstreamError } from './errors.ts';
import { createHttpFetch } from './http-fetch.ts';
import { type CallOptions, type Json, MALFORMED_RESPONSE, type Upstream, UpstreamError } from './types.ts';

export interface OpenAIUpstreamOptions {
  url: string;
  apiKey: string;
  /**
   * Default: node:http with a dedicated keep-alive pool (http-fetch.ts), about half the CPU per call
   * of the global fetch; pass `fetch` to use another.
   */
  fetch?: typeof fetch;
  /** Sockets to the upstream host (the default fetch's pool size). */
  connections?: number;
  /** Cap on one decoded response body (the default fetch only; see http-fetch.ts). */
  maxResponseBytes?: number;
}

/**
 * An upstream's error body in OpenAI's shape, whatever shape it came in: vLLM's top-level
 * `{object: "error", message, type, param, code}`, `{"error": "text"}` (Ollama, optillm) or FastAPI's
 * `{"detail": …}`. The SDK reads only `{"error": {…}}`; from any other shape the client got
 * "404 status code (no body)" instead of the upstream's reason (context length, unknown model).
 */
export function openAIErrorBody(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const b = body as Json;
  const inner = b['error'];
  if (typeof inner === 'object' && inner !== null) return body;
  const text = (v: unknown) =>
    typeof v === 'string' ? v : v === undefined || v === null ? undefined : JSON.stringify(v);
  const message = typeof inner === 'string' ? inner : (text(b['message']) ?? text(b['detail']));
  if (message === undefined) return body;
  return { error: { message, type: b['type'] ?? null, param: b['param'] ?? null, code: b['code'] ?? null } };
}

/** The SDK's client, reading upstream error bodies of every common shape (see openAIErrorBody). */
class UpstreamClient extends OpenAI {
  protected override makeStatusError(
    status: number,
    error: object,
    message: string | undefined,
    headers: Headers,
  ): ReturnType<OpenAI['makeStatusError']> {
    return super.makeStatusError(status, openAIErrorBody(error) as object, message, headers);
  }
}

export function createOpenAIUpstream(options: OpenAIUpstreamOptions): Upstream {
  const client = new UpstreamClient({
    baseURL: options.url,
    apiKey: options.apiKey,
    maxRetries: 0,
    // Per-call timeouts come from the fan-out's signals; the SDK's 10-minute default must not cut first.
    timeout: 24 * 3600 * 1000,
    fetch:
      options.fetch ??
      createHttpFetch({
        maxSockets: options.connections ?? 256,
        ...(options.maxResponseBytes !== undefined ? { maxResponseBytes: options.maxResponseBytes } : {}),
      }).fetch,
  });

  async function call<T>(fn: () => Promise<T>, o: CallOptions): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw normaliseUpstreamError(err, o.signal);
    }
  }

  async function* iterate(stream: AsyncIterable<unknown>, signal: AbortSignal): AsyncIterable<Json> {
    try {
      for await (const chunk of stream) {
        // A chunk that is not an object (`null`, a number) would break whoever reads it.
        if (typeof chunk !== 'object' || chunk === null || Array.isArray(chunk))
          throw malformed('a streamed chunk is not a JSON object');
        yield chunk as Json;
      }
    } catch (err) {
      const e = normaliseUpstreamError(err, signal);
      // While a stream is being read, a failure that is not a known kind is the connection's: a reset
      // mid-body surfaces as a bare Error('aborted') or TypeError('terminated'), not as a bug of ours.
      throw e.kind === 'internal'
        ? new UpstreamError(`upstream stream cut: ${e.message}`, { kind: 'connection' })
        : e;
    }
  }

  // The SDK types are for OpenAI's own fields; vendor fields ride along in the same object, which the
  // SDK serialises as-is, so the casts below are the price of forwarding unknown parameters.
  type AnyBody = never;
  return {
    // Shown in logs, the start-up line and /readyz: never with its credentials.
    url: redactUrl(options.url),
    chat: (body, o) =>
      call(
        async () =>
          checkCompletion(
            'chat',
            await client.chat.completions.create({ ...body, stream: false } as AnyBody, {
              signal: o.signal,
            }),
          ),
        o,
      ),
    completion: (body, o) =>
      call(
        async () =>
          checkCompletion(
            'completion',
            await client.completions.create({ ...body, stream: false } as AnyBody, {
              signal: o.signal,
            }),
          ),
        o,
      ),
    chatStream: (body, o) =>
      call(async () => {
        const s = await client.chat.completions.create({ ...body, stream: true } as AnyBody, {
          signal: o.signal,
        });
        return iterate(s as unknown as AsyncIterable<unknown>, o.signal);
      }, o),
    completionStream: (body, o) =>
      call(async () => {
        const s = await client.completions.create({ ...body, stream: true } as AnyBody, { signal: o.signal });
        return iterate(s as unknown as AsyncIterable<unknown>, o.signal);
      }, o),
    models: (o) =>
      call(async () => {
        const page = await client.models.list({ signal: o.signal });
        return page.data as unknown as Json[];
      }, o),
  };
}

/** Deeper than any real completion (tool-call arguments are strings); far below a stack overflow. */
export const MAX_RESPONSE_DEPTH = 64;

function malformed(what: string): UpstreamError {
  return new UpstreamError(`malformed upstream response: ${what}`, {
    kind: 'malformed',
    code: MALFORMED_RESPONSE,
  });
}

function nestsDeeper(value: unknown, max: number, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth >= max) return true;
  for (const v of Array.isArray(value) ? value : Object.values(value))
    if (typeof v === 'object' && v !== null && nestsDeeper(v, max, depth + 1)) return true;
  return false;
}

const TOKEN_FIELDS = ['prompt_tokens', 'completion_tokens', 'total_tokens'] as const;

/**
 * The shape every reader of a completion relies on, checked once at the boundary: an object whose
 * `choices` is an array of objects (a chat choice's `message` an object whose content is a string, parts
 * or null; a completion choice's `text` a string), a `usage`
 * whose token counts are non-negative integers when present, nothing nested absurdly deep. Anything
 * else is the upstream's fault (502, retried), not a TypeError deep in bom (500).
 */
export function checkCompletion(endpoint: 'chat' | 'completion', res: unknown): Json {
  if (typeof res !== 'object' || res === null || Array.isArray(res))
    throw malformed(
      res === undefined || res === ''
        ? 'empty body'
        : `the body is ${res === null ? 'null' : typeof res === 'string' ? 'not JSON' : 'not an object'}`,
    );
  const body = res as Json;
  const choices = body['choices'];
  if (!Array.isArray(choices)) throw malformed("'choices' is not an array");
  for (const [i, c] of choices.entries()) {
    if (typeof c !== 'object' || c === null || Array.isArray(c))
      throw malformed(`choices[${i}] is not an object`);
    if (endpoint === 'chat') {
      const m = (c as Json)['message'];
      if (m === undefined) throw malformed(`choices[${i}] has no message`);
      if (typeof m !== 'object' || m === null || Array.isArray(m))
        throw malformed(`choices[${i}].message is not an object`);
      // The representative's message goes to the client as is: its content is text, parts or null.
      const content = (m as Json)['content'];
      if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content))
        throw malformed(`choices[${i}].message.content is ${typeof content}, not a string`);
    } else {
      const text = (c as Json)['text'];
      if (typeof text !== 'string')
        throw malformed(
          `choices[${i}].text is ${text === undefined ? 'missing' : typeof text}, not a string`,
        );
    }
  }
  const usage = body['usage'];
  if (usage !== undefined && usage !== null) {
    if (typeof usage !== 'object' || Array.isArray(usage)) throw malformed("'usage' is not an object");
    for (const k of TOKEN_FIELDS) {
      const v = (usage as Json)[k];
      if (v !== undefined && v !== null && !(typeof v === 'number' && Number.isSafeInteger(v) && v >= 0))
        throw malformed(`usage.${k} is ${JSON.stringify(v)}, not a non-negative integer`);
    }
  }
  if (nestsDeeper(body, MAX_RESPONSE_DEPTH))
    throw malformed(`it nests deeper than ${MAX_RESPONSE_DEPTH} levels`);
  return body;
}
