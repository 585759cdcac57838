// The real Upstream: the official openai SDK (6.x). The SDK's own retries are off because the fan-out
// retries within its deadline; its errors are normalised into UpstreamError.
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OpenAIError,
} from 'openai';
import { createHttpFetch } from './http-fetch.ts';
import { type CallOptions, type Json, type Upstream, UpstreamError } from './types.ts';

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
}

function retryAfterMs(headers: Headers | undefined): number | null {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Number(ms);
  const s = headers?.get('retry-after');
  if (s && Number.isFinite(Number(s))) return Number(s) * 1000;
  return null;
}

export function normaliseUpstreamError(err: unknown, signal?: AbortSignal): UpstreamError {
  if (err instanceof UpstreamError) return err;
  if (err instanceof APIUserAbortError || signal?.aborted) {
    const reason: unknown = signal?.reason;
    const timeout = reason instanceof Error && reason.name === 'TimeoutError';
    return new UpstreamError(timeout ? 'upstream call timed out' : 'upstream call aborted', {
      kind: timeout ? 'timeout' : 'aborted',
    });
  }
  if (err instanceof APIConnectionTimeoutError) return new UpstreamError(err.message, { kind: 'timeout' });
  if (err instanceof APIConnectionError) return new UpstreamError(err.message, { kind: 'connection' });
  if (err instanceof APIError && err.status !== undefined) {
    const body = (err.error ?? {}) as Json;
    const code = (body['code'] ?? body['type'] ?? null) as string | null;
    return new UpstreamError(typeof body['message'] === 'string' ? body['message'] : err.message, {
      kind: 'status',
      status: err.status,
      code: code === null ? null : String(code),
      param: typeof body['param'] === 'string' ? body['param'] : null,
      retryAfterMs: retryAfterMs(err.headers),
    });
  }
  // The SDK's own errors (an unparseable upstream body, …) are the upstream's doing; anything else
  // (a TypeError, a stack overflow) is a bug here, and retrying it or answering 503 would mislead.
  const kind = err instanceof OpenAIError ? 'connection' : 'internal';
  return new UpstreamError(err instanceof Error ? err.message : String(err), { kind });
}

export function createOpenAIUpstream(options: OpenAIUpstreamOptions): Upstream {
  const client = new OpenAI({
    baseURL: options.url,
    apiKey: options.apiKey,
    maxRetries: 0,
    // Per-call timeouts come from the fan-out's signals; the SDK's 10-minute default must not cut first.
    timeout: 24 * 3600 * 1000,
    fetch: options.fetch ?? createHttpFetch({ maxSockets: options.connections ?? 256 }).fetch,
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
      for await (const chunk of stream) yield chunk as Json;
    } catch (err) {
      throw normaliseUpstreamError(err, signal);
    }
  }

  // The SDK types are for OpenAI's own fields; vendor fields ride along in the same object, which the
  // SDK serialises as-is, so the casts below are the price of forwarding unknown parameters.
  type AnyBody = never;
  return {
    url: options.url,
    chat: (body, o) =>
      call(
        async () =>
          (await client.chat.completions.create({ ...body, stream: false } as AnyBody, {
            signal: o.signal,
          })) as unknown as Json,
        o,
      ),
    completion: (body, o) =>
      call(
        async () =>
          (await client.completions.create({ ...body, stream: false } as AnyBody, {
            signal: o.signal,
          })) as unknown as Json,
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
