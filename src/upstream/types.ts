// The upstream as an interface (a real implementation and fakes beside it): the server is handed one, tests hand it a
// fake or a real client pointed at the replay upstream. Bodies are plain JSON objects so vendor
// parameters (top_k, min_p, chat_template_kwargs, …) travel through untouched.

export type Json = Record<string, unknown>;

export interface CallOptions {
  signal: AbortSignal;
}

/** One OpenAI-compatible upstream. Non-2xx answers and network failures reject with UpstreamError. */
export interface Upstream {
  /** Where it lives, for logs and the start-up line. */
  readonly url: string;
  /** POST /chat/completions (non-streaming). */
  chat(body: Json, options: CallOptions): Promise<Json>;
  /** POST /completions (non-streaming). */
  completion(body: Json, options: CallOptions): Promise<Json>;
  /** Streaming variants, used by the `none` pass-through: yields chunk objects as the upstream sends them. */
  chatStream(body: Json, options: CallOptions): Promise<AsyncIterable<Json>>;
  completionStream(body: Json, options: CallOptions): Promise<AsyncIterable<Json>>;
  /** GET /models: the upstream's model list (`data` of the list object). */
  models(options: CallOptions): Promise<Json[]>;
}

export type UpstreamFailure =
  /** The upstream answered with a non-2xx status. */
  | 'status'
  /** No answer: refused, reset, DNS. */
  | 'connection'
  /** The per-sample timeout fired. */
  | 'timeout'
  /** The overall deadline passed or the client went away. */
  | 'aborted'
  /**
   * The upstream answered 2xx with something that is not a usable completion: a body that is not
   * JSON, `null`, the wrong shape, `null` choices, invalid usage, absurd nesting, or a body over
   * `upstream.maxResponseBytes` (code `upstream_response_too_large`). An upstream fault: answered
   * 502, retried like a 5xx (except the oversized body, which would only be sent again).
   */
  | 'malformed'
  /** A fault in bom itself while calling (a bug, not the upstream): never retried, answered 500. */
  | 'internal';

/** UpstreamError codes bom sets itself (the upstream's own codes pass through as they came). */
export const RESPONSE_TOO_LARGE = 'upstream_response_too_large';
export const MALFORMED_RESPONSE = 'upstream_malformed_response';

/** A failed upstream call, normalised whichever client produced it. */
export class UpstreamError extends Error {
  readonly kind: UpstreamFailure;
  readonly status: number | null;
  /** The upstream's `error.code` (or type) when it sent an OpenAI-shaped body. */
  readonly code: string | null;
  readonly param: string | null;
  readonly retryAfterMs: number | null;
  /**
   * Set when the message is ours and safe to show clients (the in-process model's "cannot load").
   * A remote upstream's own text stays in the logs.
   */
  readonly public: boolean;
  /**
   * A failure that will not heal by itself (a model that failed to load): clients are told not to
   * retry (`x-should-retry: false`, no `retry-after`), even on a 503.
   */
  readonly permanent: boolean;

  constructor(
    message: string,
    init: {
      kind: UpstreamFailure;
      status?: number | null;
      code?: string | null;
      param?: string | null;
      retryAfterMs?: number | null;
      public?: boolean;
      permanent?: boolean;
    },
  ) {
    super(message);
    this.name = 'UpstreamError';
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.code = init.code ?? null;
    this.param = init.param ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.public = init.public ?? false;
    this.permanent = init.permanent ?? false;
  }

  /**
   * 408, 409, 429, 5xx and connection failures may succeed on a second try (openai-node's rule), and
   * so may a malformed body (a proxy cut it, the server hiccuped); an oversized one would not.
   */
  get retryable(): boolean {
    if (this.permanent) return false;
    if (this.kind === 'connection') return true;
    if (this.kind === 'malformed') return this.code !== RESPONSE_TOO_LARGE;
    if (this.kind !== 'status' || this.status === null) return false;
    return this.status === 408 || this.status === 409 || this.status === 429 || this.status >= 500;
  }
}
