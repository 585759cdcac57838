// The Hono app: middleware (request id, logs, metrics, drain, auth, body limit), routes, one error funnel.
import { timingSafeEqual } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { routePath } from 'hono/route';
import { bodyLimit } from 'hono/body-limit';
import { BomError } from '../core/index.ts';
import { aliasesFor, parseAlias } from './alias.ts';
import { chatHandler } from './chat.ts';
import { completionsHandler } from './completions.ts';
import type { AppDeps, AppEnv, AppState } from './deps.ts';
import { type ErrorReply, errorResponse, toErrorReply } from './errors.ts';
import { responsesHandler } from './responses.ts';
import { ReplyError } from './run.ts';

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The Bearer token of a request, or '' when there is none. */
function bearer(c: Context<AppEnv>): string {
  return /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim() ?? '';
}

export interface App {
  app: Hono<AppEnv>;
  state: AppState;
  /** Whether the upstream answered GET /models recently. */
  checkUpstream(): Promise<boolean>;
}

/** A client's request id is echoed and logged only when it is short and plain. */
const REQUEST_ID = /^[A-Za-z0-9._:/+=-]{1,128}$/;

/** Every route, with the method it answers: metrics label requests by these patterns, never by raw path. */
const ROUTES: readonly (readonly [path: string, method: 'GET' | 'POST'])[] = [
  ['/v1/chat/completions', 'POST'],
  ['/v1/completions', 'POST'],
  ['/v1/responses', 'POST'],
  ['/v1/models', 'GET'],
  ['/v1/models/:id{.+}', 'GET'],
  ['/healthz', 'GET'],
  ['/readyz', 'GET'],
  ['/metrics', 'GET'],
];
const KNOWN = new Set(ROUTES.map(([path]) => path));

export function createApp(deps: AppDeps): App {
  const state: AppState = { ...deps, modes: deps.modes ?? new Map(), draining: false };
  const { config, metrics, logger } = state;
  const app = new Hono<AppEnv>();
  let seq = 0;

  /** The one error funnel: every error reply leaves here, logged once with the request id. */
  const fail = (c: Context<AppEnv>, err: unknown): Response => {
    let reply: ErrorReply;
    if (err instanceof ReplyError) reply = err.reply;
    else if (c.req.raw.signal.aborted) {
      // The client is gone; nobody reads this reply, but the log should say what happened.
      reply = toErrorReply(new BomError('Client closed the request', { code: 'client_closed', status: 499 }));
    } else reply = toErrorReply(err);
    const level = reply.status >= 500 ? 'error' : 'info';
    logger[level](
      {
        requestId: c.get('requestId'),
        status: reply.status,
        code: reply.body.error.code,
        internal: reply.internal,
      },
      'request failed',
    );
    return errorResponse(reply, { 'x-request-id': c.get('requestId') });
  };

  app.use('*', async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId =
      given !== undefined && REQUEST_ID.test(given)
        ? given
        : `req_${Date.now().toString(36)}${(seq++).toString(36)}`;
    c.set('requestId', requestId);
    c.header('x-request-id', requestId);
    const started = performance.now();
    const tracked = c.req.path.startsWith('/v1/');
    if (tracked) metrics.inFlight.inc();
    try {
      await next();
    } catch (err) {
      // Hono hands only Error instances to onError; anything else thrown still leaves through the funnel.
      c.res = fail(c, err);
    } finally {
      const ms = performance.now() - started;
      if (tracked) {
        // The matched pattern, so `/v1/<anything>` cannot mint a new Prometheus series per path.
        const matched = routePath(c, -1);
        const route = KNOWN.has(matched) ? matched : 'unmatched';
        metrics.inFlight.dec();
        metrics.requestSeconds.observe({ route }, ms / 1000);
        metrics.requests.inc({ route, strategy: c.get('strategy') ?? '', status: String(c.res.status) });
        if (c.req.raw.signal.aborted) metrics.clientAborts.inc();
        logger.info(
          {
            requestId,
            method: c.req.method,
            route,
            status: c.res.status,
            ms: Math.round(ms * 10) / 10,
            strategy: c.get('strategy'),
            aborted: c.req.raw.signal.aborted || undefined,
          },
          'request',
        );
      }
    }
  });

  app.use('/v1/*', async (_c, next) => {
    if (state.draining) {
      throw new BomError('Server is shutting down', {
        code: 'shutting_down',
        type: 'server_error',
        status: 503,
      });
    }
    await next();
  });
  app.use('/v1/*', async (c, next) => {
    if (config.apiKeys.length > 0) {
      const token = bearer(c);
      if (!config.apiKeys.some((k) => safeEqual(k, token))) {
        const message = token
          ? 'Incorrect API key provided.'
          : "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.";
        throw new BomError(message, { code: 'invalid_api_key', type: 'invalid_request_error', status: 401 });
      }
    }
    await next();
  });

  const tooLarge = () =>
    new BomError(`Request body exceeds ${config.limits.maxBodyBytes} bytes`, {
      code: 'request_too_large',
      status: 413,
    });
  const streamedLimit = bodyLimit({
    maxSize: config.limits.maxBodyBytes,
    onError: (c) => fail(c, tooLarge()),
  });
  app.use('/v1/*', async (c, next) => {
    // With a content-length the header decides. Hono's bodyLimit touches `req.raw.body`, which makes
    // @hono/node-server build a web-stream Request and lose its fast body read (measurable per request
    // on the proxy-overhead bench); it is kept for chunked bodies, whose size is only known by reading.
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > config.limits.maxBodyBytes) throw tooLarge();
      return next();
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return streamedLimit(c, next);
  });

  app.post('/v1/chat/completions', chatHandler(state));
  app.post('/v1/completions', completionsHandler(state));
  app.post('/v1/responses', responsesHandler(state));

  const modelObject = (id: string, owned = 'bom') => ({ id, object: 'model', created: 0, owned_by: owned });
  async function listModels(signal: AbortSignal) {
    const upstreamModels = await state.upstream.models({
      signal: AbortSignal.any([signal, AbortSignal.timeout(5000)]),
    });
    const data = upstreamModels.map((m) => ({ ...modelObject(String(m['id']), 'upstream'), ...m }));
    for (const m of upstreamModels)
      for (const a of aliasesFor(String(m['id']), config.selection.samples)) data.push(modelObject(a));
    return { upstreamModels, data };
  }
  app.get('/v1/models', async (c) => {
    const { data } = await listModels(c.req.raw.signal);
    return c.json({ object: 'list', data });
  });
  app.get('/v1/models/:id{.+}', async (c) => {
    const id = c.req.param('id');
    const { upstreamModels, data } = await listModels(c.req.raw.signal);
    const found = data.find((m) => m.id === id);
    if (found) return c.json(found);
    let alias: ReturnType<typeof parseAlias> = null;
    try {
      alias = parseAlias(id);
    } catch {
      alias = null; // a malformed alias names no model
    }
    // An alias exists when a request could use it: its N within the sample cap.
    const usable =
      alias !== null &&
      (alias.samples === undefined || (alias.samples >= 1 && alias.samples <= config.limits.maxSamples));
    if (alias && usable && upstreamModels.some((m) => m['id'] === alias.model))
      return c.json(modelObject(id));
    throw new BomError(`The model '${id}' does not exist`, {
      code: 'model_not_found',
      type: 'not_found_error',
      status: 404,
      param: 'model',
    });
  });

  let lastCheck = { at: 0, ok: false };
  async function checkUpstream(): Promise<boolean> {
    if (Date.now() - lastCheck.at < 2000) return lastCheck.ok;
    let ok = false;
    try {
      await state.upstream.models({ signal: AbortSignal.timeout(2000) });
      ok = true;
    } catch {
      ok = false;
    }
    lastCheck = { at: Date.now(), ok };
    return ok;
  }

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const upstream = await checkUpstream();
    const scorer = state.scorers.ready();
    const detail = state.scorers.readiness?.();
    const ready = upstream && scorer && !state.draining;
    // Load balancers need only the status; where the server asks for keys, the details (upstream
    // address, a failed model's path and error) are for key holders only.
    if (config.apiKeys.length > 0 && !config.apiKeys.some((k) => safeEqual(k, bearer(c)))) {
      return c.json({ ready }, ready ? 200 : 503);
    }
    return c.json(
      {
        ready,
        upstream: { url: state.upstream.url, reachable: upstream },
        scorer: { id: state.scorers.defaultId, ready: scorer, ...(detail ?? {}) },
        draining: state.draining,
      },
      ready ? 200 : 503,
    );
  });
  app.get('/metrics', async (c) => {
    c.header('content-type', metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });

  // A known route asked with the wrong method is a 405 naming the allowed one, not an unknown route.
  for (const [path, allow] of ROUTES) {
    app.all(path, (c) => {
      throw new BomError(`Method ${c.req.method} is not allowed on ${c.req.path}; use ${allow}`, {
        code: 'method_not_allowed',
        status: 405,
        headers: { allow },
      });
    });
  }

  // Hono does not route a not-found handler's throw to onError, so it calls the funnel itself.
  app.notFound((c) =>
    fail(
      c,
      new BomError(`Unknown route ${c.req.method} ${c.req.path}`, {
        code: 'unknown_url',
        type: 'not_found_error',
        status: 404,
      }),
    ),
  );
  app.onError((err, c) => fail(c, err));

  return { app, state, checkUpstream };
}
