// The replay upstream in process: the Upstream interface over the replay's Hono app, called through
// `app.fetch(new Request(…))` with no socket — the fast fake for unit tests. It answers exactly what
// the HTTP client (openai-client.ts) would make of the same app on a port: non-2xx answers become
// UpstreamError with the status, the body's `error.code` (else `type`), `param` and retry-after; an
// abort rejects at once with kind `aborted` (`timeout` for a TimeoutError reason) while the app
// sees its request signal abort, as it would see the socket close; a body cut short is `connection`.
import { normaliseUpstreamError } from '../errors.ts';
import { type CallOptions, type Json, type Upstream, UpstreamError } from '../types.ts';
import type { Replay } from './app.ts';

/** Anything that answers a Request: a Hono app's `fetch`, or a test's handler. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface FetchUpstreamOptions {
  /** Reported as `url`; also the base the requests are addressed to (default `http://replay.local/v1`). */
  url?: string;
}

const aborted = (signal: AbortSignal) => normaliseUpstreamError(signal.reason, signal);

function retryAfterMs(headers: Headers): number | null {
  const ms = headers.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Number(ms);
  const s = headers.get('retry-after');
  if (s && Number.isFinite(Number(s))) return Number(s) * 1000;
  return null;
}

/** Rejects with the abort's UpstreamError when the signal fires; `off` unhooks it. */
function abortRace(signal: AbortSignal): { promise: Promise<never>; off: () => void } {
  let off = () => {};
  const promise = new Promise<never>((_, reject) => {
    const onAbort = () => reject(aborted(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    off = () => signal.removeEventListener('abort', onAbort);
  });
  promise.catch(() => {});
  return { promise, off };
}

async function statusError(res: Response): Promise<UpstreamError> {
  const text = await res.text().catch(() => '');
  let body: Json = {};
  try {
    const parsed = JSON.parse(text) as unknown;
    const inner = (parsed as Json | null)?.['error'];
    if (inner && typeof inner === 'object') body = inner as Json;
  } catch {
    // Not JSON: the status alone says what happened, as in the SDK.
  }
  const code = body['code'] ?? body['type'] ?? null;
  return new UpstreamError(
    typeof body['message'] === 'string' ? body['message'] : `${res.status} status code (no body)`,
    {
      kind: 'status',
      status: res.status,
      code: code === null ? null : String(code),
      param: typeof body['param'] === 'string' ? body['param'] : null,
      retryAfterMs: retryAfterMs(res.headers),
    },
  );
}

const cut = (err: unknown) =>
  new UpstreamError(`upstream closed the connection: ${err instanceof Error ? err.message : String(err)}`, {
    kind: 'connection',
  });

/** Server-sent events → the JSON of each `data:` line, until `[DONE]` or the end of the body. */
async function* events(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncIterable<Json> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const race = abortRace(signal);
  let buffer = '';
  try {
    for (;;) {
      if (signal.aborted) throw aborted(signal);
      let step: Awaited<ReturnType<typeof reader.read>>;
      try {
        step = await Promise.race([reader.read(), race.promise]);
      } catch (err) {
        if (err instanceof UpstreamError) throw err;
        throw cut(err);
      }
      if (step.done) return;
      buffer += decoder.decode(step.value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        const data = event
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (data === '') continue;
        if (data === '[DONE]') return;
        const chunk = JSON.parse(data) as Json;
        // An error event after the headers: the SDK throws it as an APIError without a status, which
        // normalises to `connection`.
        const error = chunk['error'] as Json | undefined;
        if (error && typeof error === 'object') {
          throw new UpstreamError(typeof error['message'] === 'string' ? error['message'] : 'stream error', {
            kind: 'connection',
          });
        }
        yield chunk;
      }
    }
  } finally {
    race.off();
    // Stops the app's writer when the caller leaves early (break, abort, error).
    reader.cancel().catch(() => {});
  }
}

/** The Upstream interface over any fetch handler, in process. */
export function fetchUpstream(handler: FetchHandler, options: FetchUpstreamOptions = {}): Upstream {
  const base = (options.url ?? 'http://replay.local/v1').replace(/\/$/, '');

  async function send(method: 'GET' | 'POST', path: string, body: Json | null, signal: AbortSignal) {
    if (signal.aborted) throw aborted(signal);
    const request = new Request(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      signal,
      ...(body === null ? {} : { body: JSON.stringify(body) }),
    });
    const race = abortRace(signal);
    try {
      const res = await Promise.race([Promise.resolve().then(() => handler(request)), race.promise]);
      if (!res.ok) throw await Promise.race([statusError(res), race.promise]);
      return res;
    } catch (err) {
      throw normaliseUpstreamError(err, signal);
    } finally {
      race.off();
    }
  }

  async function json(method: 'GET' | 'POST', path: string, body: Json | null, signal: AbortSignal) {
    const res = await send(method, path, body, signal);
    const race = abortRace(signal);
    try {
      return (await Promise.race([res.json(), race.promise])) as Json;
    } catch (err) {
      if (err instanceof UpstreamError) throw err;
      throw cut(err);
    } finally {
      race.off();
    }
  }

  async function stream(path: string, body: Json, signal: AbortSignal): Promise<AsyncIterable<Json>> {
    const res = await send('POST', path, { ...body, stream: true }, signal);
    if (!res.body) throw cut(new Error('no body'));
    return events(res.body, signal);
  }

  return {
    url: base,
    chat: (body, o: CallOptions) => json('POST', '/chat/completions', { ...body, stream: false }, o.signal),
    completion: (body, o) => json('POST', '/completions', { ...body, stream: false }, o.signal),
    chatStream: (body, o) => stream('/chat/completions', body, o.signal),
    completionStream: (body, o) => stream('/completions', body, o.signal),
    models: async (o) => {
      const list = await json('GET', '/models', null, o.signal);
      return Array.isArray(list['data']) ? (list['data'] as Json[]) : [];
    },
  };
}

/** The replay upstream as an in-process Upstream: no port, same answers and faults as over HTTP. */
export function replayUpstream(replay: Replay, options: FetchUpstreamOptions = {}): Upstream {
  return fetchUpstream((request) => replay.app.fetch(request), options);
}
