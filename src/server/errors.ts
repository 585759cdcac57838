// The one error funnel of the HTTP layer: BomError, UpstreamError and anything unexpected leave as
// {"error":{"message","type","param","code"}} with a deliberate status and retry headers
// (x-should-retry: false where a client retry would only repeat N doomed upstream calls — the openai
// SDKs retry 408/409/429/5xx twice by default — and retry-after on overload). Internal messages are
// logged, never echoed.
import { BomError } from '../core/index.ts';
import type { FanOutResult } from '../upstream/index.ts';
import { MALFORMED_RESPONSE, RESPONSE_TOO_LARGE, UpstreamError } from '../upstream/index.ts';

export interface ErrorReply {
  status: number;
  body: { error: { message: string; type: string; param: string | null; code: string | null } };
  headers: Record<string, string>;
  /** What the logs get (the internal detail). */
  internal?: string;
}

/** Statuses where a client retry would send the same doomed request (and N upstream calls) again. */
const DETERMINISTIC = new Set([400, 401, 403, 404, 405, 409, 413, 415, 422, 504]);

function reply(
  status: number,
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
  extra: Record<string, string> = {},
): ErrorReply {
  const headers: Record<string, string> = { ...extra };
  if (DETERMINISTIC.has(status)) headers['x-should-retry'] = 'false';
  return { status, body: { error: { message, type, param, code } }, headers };
}

function retryAfter(ms: number | null): Record<string, string> {
  const wait = Math.max(1, Math.ceil((ms ?? 1000) / 1000));
  return { 'retry-after': String(wait), 'retry-after-ms': String(wait * 1000) };
}

export function bomErrorReply(err: BomError): ErrorReply {
  const r = reply(err.status, err.message, err.type, err.code, err.param, { ...err.headers });
  if (err.status === 429 || err.status === 503) Object.assign(r.headers, retryAfter(null));
  return r;
}

/** An upstream error that decided the whole request (every sample shared it, or no quorum). */
export function upstreamErrorReply(err: UpstreamError, context: string): ErrorReply {
  if (err.kind === 'status' && (err.status === 401 || err.status === 403)) {
    // The upstream refused bom's own key, not the client's: the upstream's text (OpenAI's carries a
    // masked fragment of that key) stays in the logs, and a client retry cannot fix it.
    return {
      ...reply(
        502,
        `The upstream refused this server's credentials (HTTP ${err.status}); the operator must fix upstream.apiKey: ${context}`,
        'upstream_error',
        'upstream_auth_failed',
        null,
        { 'x-should-retry': 'false' },
      ),
      internal: err.message,
    };
  }
  if (err.kind === 'status' && err.status !== null && err.status >= 400 && err.status < 500) {
    if (err.status === 429)
      return reply(
        429,
        `Upstream rate limit: ${context}`,
        'rate_limit_error',
        'rate_limit_exceeded',
        null,
        retryAfter(err.retryAfterMs),
      );
    if (err.status === 408) return reply(504, `Upstream timed out: ${context}`, 'timeout_error', 'timeout');
    // The upstream judged the request itself (context length, unknown model, bad parameter): pass its
    // status, code and message through, since they describe the client's request.
    const type = err.status === 404 ? 'not_found_error' : 'invalid_request_error';
    return reply(err.status, err.message, type, err.code ?? 'upstream_rejected', err.param);
  }
  if (err.kind === 'internal') {
    return {
      ...reply(500, 'Internal server error', 'server_error', 'internal_error'),
      internal: err.message,
    };
  }
  if (err.kind === 'timeout' || err.kind === 'aborted')
    return {
      ...reply(504, `Sampling deadline exceeded: ${context}`, 'timeout_error', 'timeout'),
      internal: err.message,
    };
  if (err.kind === 'connection')
    return {
      ...reply(
        503,
        `Upstream unavailable: ${context}`,
        'upstream_error',
        'upstream_unavailable',
        null,
        retryAfter(null),
      ),
      internal: err.message,
    };
  if (err.kind === 'malformed') {
    const large = err.code === RESPONSE_TOO_LARGE;
    return {
      ...reply(
        502,
        large
          ? `Upstream response too large (over upstream.maxResponseBytes): ${context}`
          : `Upstream sent a malformed response: ${context}`,
        'upstream_error',
        large ? RESPONSE_TOO_LARGE : MALFORMED_RESPONSE,
      ),
      internal: err.message,
    };
  }
  if (err.kind === 'status' && err.status === 503 && !err.public) {
    // Overload is why it failed: say so and pass the upstream's hint on (or our default of 1 s).
    return {
      ...reply(
        503,
        `Upstream overloaded: ${context}`,
        'upstream_error',
        'upstream_overloaded',
        null,
        retryAfter(err.retryAfterMs),
      ),
      internal: err.message,
    };
  }
  if (err.public && err.status === 503) {
    return reply(
      503,
      `${err.message} (${context})`,
      'upstream_error',
      err.code ?? 'upstream_unavailable',
      null,
      // A model that failed to load stays failed: a retry would only repeat the same answer.
      err.permanent ? { 'x-should-retry': 'false' } : retryAfter(null),
    );
  }
  return {
    ...reply(502, `Upstream error: ${context}`, 'upstream_error', 'upstream_error'),
    internal: err.message,
  };
}

/**
 * The request's error when fewer samples succeeded than the quorum. The most telling failure decides:
 * a client-side 4xx first (retrying cannot help), then 429, then connection, then 5xx, then timeouts.
 */
export function quorumErrorReply(result: FanOutResult, needed: number): ErrorReply {
  const context = `${result.samples.length} of ${result.requested} samples succeeded, ${needed} needed`;
  const errs = result.failures.map((f) => f.error);
  const rank = (e: UpstreamError) => {
    if (e.kind === 'status' && e.status !== null && e.status < 500 && e.status !== 429 && e.status !== 408)
      return 0;
    if (e.status === 429) return 1;
    // Overload (a 503, with its retry-after) says when to come back: it outranks a dropped connection.
    if (e.kind === 'status' && e.status === 503) return 2;
    if (e.kind === 'connection') return 3;
    if (e.kind === 'status' || e.kind === 'malformed') return 4;
    return 5;
  };
  const worst = [...errs].sort((a, b) => rank(a) - rank(b))[0];
  if (!worst) return reply(502, `Upstream error: ${context}`, 'upstream_error', 'quorum_not_reached');
  const r = upstreamErrorReply(worst, context);
  // A partial failure caused by upstream faults is a quorum miss, whatever the last status was
  // (the codes that name a specific fault — auth, malformed, too large — are kept).
  if (r.status === 502 && r.body.error.code === 'upstream_error') r.body.error.code = 'quorum_not_reached';
  return r;
}

/** A client that went away before its answer: 499, as nginx logs it (nobody reads the body). */
export function clientClosedReply(): ErrorReply {
  return reply(499, 'Client closed the request', 'invalid_request_error', 'client_closed');
}

export function toErrorReply(err: unknown): ErrorReply {
  if (err instanceof BomError) return bomErrorReply(err);
  if (err instanceof UpstreamError) return upstreamErrorReply(err, 'upstream call failed');
  return {
    ...reply(500, 'Internal server error', 'server_error', 'internal_error'),
    internal: err instanceof Error ? (err.stack ?? err.message) : String(err),
  };
}

export function errorResponse(r: ErrorReply, extraHeaders: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(r.body), {
    status: r.status,
    headers: { 'content-type': 'application/json', ...r.headers, ...extraHeaders },
  });
}
