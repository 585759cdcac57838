// Server-sent events for selection: headers at once, comment keep-alives while sampling (compliant
// parsers ignore them), then real chunks; after the first byte an error is a data event, then the end.
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import type { Json } from '../upstream/types.ts';
import { type ErrorReply, toErrorReply } from './errors.ts';
import { ReplyError } from './run.ts';

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
    const write = (text: string) => (closed ? Promise.resolve() : s.write(text).then(() => undefined));
    const w: SseWriter = {
      comment: (text) => {
        void write(`: ${text}\n\n`);
      },
      data: (obj) => write(`data: ${JSON.stringify(obj)}\n\n`),
      done: () => write('data: [DONE]\n\n'),
      error: (reply) => write(`data: ${JSON.stringify(reply.body)}\n\n`),
      get closed() {
        return closed;
      },
    };
    const timer = setInterval(() => w.comment('keep-alive'), keepAliveMs);
    try {
      await run(w);
    } catch (err) {
      const reply = err instanceof ReplyError ? err.reply : toErrorReply(err);
      onError(err, reply);
      await w.error(reply);
    } finally {
      clearInterval(timer);
    }
  });
}

/** Splits text into streamed pieces; selection streams a finished text, so pieces can be generous. */
export function pieces(text: string, size = 96): string[] {
  if (text.length === 0) return [];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
