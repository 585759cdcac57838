// Every upstream's failures as one UpstreamError, whichever client produced them: the SDK's error
// classes, an aborted or timed-out signal, a body that is not JSON, or a bug of ours ('internal').
// Fan-out, the local model and the in-process replay all classify through here.
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OpenAIError,
} from 'openai';
import { type Json, MALFORMED_RESPONSE, UpstreamError } from './types.ts';

function retryAfterMs(headers: Headers | undefined): number | null {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Number(ms);
  const s = headers?.get('retry-after');
  if (s && Number.isFinite(Number(s))) return Number(s) * 1000;
  return null;
}

/** An UpstreamError somewhere in the cause chain (the SDK wraps a failed fetch in APIConnectionError). */
function causedBy(err: unknown): UpstreamError | null {
  for (let e = err, hops = 0; e instanceof Error && hops < 5; e = e.cause, hops++)
    if (e instanceof UpstreamError) return e;
  return null;
}

export function normaliseUpstreamError(err: unknown, signal?: AbortSignal): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const inner = causedBy(err);
  if (inner && !signal?.aborted) return inner;
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
    // A code is a string id; vLLM's numeric `code` is only its copy of the HTTP status.
    const code = [body['code'], body['type']].find((v): v is string => typeof v === 'string') ?? null;
    return new UpstreamError(typeof body['message'] === 'string' ? body['message'] : err.message, {
      kind: 'status',
      status: err.status,
      code,
      param: typeof body['param'] === 'string' ? body['param'] : null,
      retryAfterMs: retryAfterMs(err.headers),
    });
  }
  // A body another fetch could not parse (the global fetch's Response.json()).
  if (err instanceof SyntaxError && /JSON/.test(err.message))
    return new UpstreamError(`upstream sent a body that is not JSON (${err.message})`, {
      kind: 'malformed',
      code: MALFORMED_RESPONSE,
    });
  // The SDK's own errors (an unparseable upstream body, …) are the upstream's doing; anything else
  // (a TypeError, a stack overflow) is a bug here, and retrying it or answering 503 would mislead.
  const kind = err instanceof OpenAIError ? 'connection' : 'internal';
  return new UpstreamError(err instanceof Error ? err.message : String(err), { kind });
}
