// Server-sent events for selection: headers at once, comment keep-alives while sampling (compliant
// parsers ignore them), then real chunks; after the first byte an error is a data event, then the end.
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import type { Json } from '../upstream/index.ts';
import { clientClosedReply, type ErrorReply, toErrorReply } from './errors.ts';
import { ReplyError } from './run.ts';

/** What a stream reports to the server when its client goes away (serve.ts puts it in `c.env`). */
export interface StreamHooks {
  onClientClosed(info: { requestId: string | undefined; phase: 'sampling' | 'streaming' }): void;
}

/** The hooks `startServer` passes in the request env (absent when an app is driven without it). */
export const STREAM_HOOKS = 'bomStreamHooks';

function hooksOf(c: Context): StreamHooks | undefined {
  const env = c.env as Record<string, unknown> | undefined;
  return env?.[STREAM_HOOKS] as StreamHooks | undefined;
}

export interface SseWriter {
  comment(text: string): void;
  data(obj: Json): Promise<void>;
  done(): Promise<void>;
  error(reply: ErrorReply): Promise<void>;
  readonly closed: boolean;
}

export function sseResponse(
  c: Context,
  run: (w: SseWriter) => Promise<void>,
  onError: (err: unknown, reply: ErrorReply) => void,
  keepAliveMs = 10_000,
): Response {
  c.header('content-type', 'text/event-stream; charset=utf-8');
  c.header('cache-control', 'no-cache');
  c.header('x-accel-buffering', 'no');
  return stream(c, async (s) => {
    let closed = false;
    s.onAbort(() => {
      closed = true;
    });
    let wrote = false;
    const write = (text: string) => (closed ? Promise.resolve() : s.write(text).then(() => undefined));
    const w: SseWriter = {
      comment: (text) => {
        void write(`: ${text}\n\n`);
      },
      data: (obj) => {
        wrote = true;
        return write(`data: ${JSON.stringify(obj)}\n\n`);
      },
      done: () => write('data: [DONE]\n\n'),
      error: (reply) => write(`data: ${JSON.stringify(reply.body)}\n\n`),
      get closed() {
        return closed;
      },
    };
    const timer = setInterval(() => w.comment('keep-alive'), keepAliveMs);
    const gone = () => closed || c.req.raw.signal.aborted;
    try {
      await run(w);
    } catch (err) {
      if (gone()) {
        // The client went away (the abort is why the run failed): a client-closed 499, not a 500.
        const hooks = hooksOf(c);
        const info = {
          requestId: c.get('requestId' as never) as string | undefined,
          phase: wrote ? ('streaming' as const) : ('sampling' as const),
        };
        if (hooks) hooks.onClientClosed(info);
        else onError(err, clientClosedReply());
        return;
      }
      const reply = err instanceof ReplyError ? err.reply : toErrorReply(err);
      onError(err, reply);
      await w.error(reply);
      return;
    } finally {
      clearInterval(timer);
    }
    // Finished, but into a closed connection (writes after the close are dropped).
    if (closed)
      hooksOf(c)?.onClientClosed({
        requestId: c.get('requestId' as never) as string | undefined,
        phase: 'streaming',
      });
  });
}

/** Splits text into streamed pieces; selection streams a finished text, so pieces can be generous. */
export function pieces(text: string, size = 96): string[] {
  if (text.length === 0) return [];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
