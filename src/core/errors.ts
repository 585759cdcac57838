// One error type for the whole project. The HTTP layer turns it into an OpenAI-shaped error body,
// the CLI into a one-line message with a stable code and a non-zero exit.

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'upstream_error'
  | 'timeout_error'
  | 'server_error';

export interface BomErrorInit {
  /** Stable machine-readable code, e.g. `invalid_option`, `upstream_unreachable`. */
  code: string;
  type?: ErrorType;
  /** HTTP status when this error leaves through the server. */
  status?: number;
  /** The request field or CLI flag at fault, when there is one. */
  param?: string | null;
  /** Extra HTTP headers when this error leaves through the server (`allow` on a 405). */
  headers?: Readonly<Record<string, string>>;
  cause?: unknown;
}

export class BomError extends Error {
  readonly code: string;
  readonly type: ErrorType;
  readonly status: number;
  readonly param: string | null;
  readonly headers: Readonly<Record<string, string>>;

  constructor(message: string, init: BomErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'BomError';
    this.code = init.code;
    this.type = init.type ?? 'invalid_request_error';
    this.status = init.status ?? 400;
    this.param = init.param ?? null;
    this.headers = init.headers ?? {};
  }
}

/**
 * A scorer that cannot score these responses at all (the upstream sent no logprobs for a logprob
 * scorer). Strategies fall back to majority order and say so (`fallback: true` and the reason), rather
 * than ranking by rewards that mean nothing; any other scorer failure fails the request.
 */
export class ScoresUnavailable extends BomError {
  constructor(message: string, code = 'scores_unavailable') {
    super(message, { code, type: 'server_error', status: 502 });
    this.name = 'ScoresUnavailable';
  }
}

export function invalidRequest(
  message: string,
  param: string | null = null,
  code = 'invalid_value',
): BomError {
  return new BomError(message, { code, param, type: 'invalid_request_error', status: 400 });
}

/** The error an aborted operation rejects with; keeps the signal's reason when it is an Error. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const err = new Error(typeof reason === 'string' ? reason : 'The operation was aborted');
  err.name = 'AbortError';
  return err;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}
