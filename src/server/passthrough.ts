// Strategy `none`: the request goes upstream untouched (its own n, stream, everything) and the
// answer comes back as the upstream sent it; only errors are reshaped.
import type { Context } from 'hono';
import type { Endpoint } from '../upstream/index.ts';
import { timeoutSignal } from '../upstream/index.ts';
import type { Json } from '../upstream/index.ts';
import type { AppEnv, AppState } from './deps.ts';
import { sseResponse } from './sse.ts';

export async function passThrough(
  c: Context<AppEnv>,
  state: AppState,
  endpoint: Endpoint,
  body: Json,
): Promise<Response> {
  const { upstream } = state;
  // The same overall deadline as a fan-out: a hung upstream must not hold the client (or a socket)
  // for ever. It covers a stream to its end; the client going away aborts it too.
  const deadline = timeoutSignal(c.req.raw.signal, state.config.upstream.deadlineMs);
  const signal = deadline.signal;
  const forwarded: Json = { ...body };
  delete forwarded['selection'];
  if (state.config.log.prompts) {
    // Opt-in only (`log.prompts`); the upstream's answer is not buffered here, so only the prompt.
    state.logger.info(
      { requestId: c.get('requestId'), prompt: body['messages'] ?? body['prompt'] },
      'pass-through prompt',
    );
  }
  if (forwarded['stream'] === true) {
    // Open the upstream stream before answering, so an upstream refusal is still an HTTP error.
    let chunks: AsyncIterable<Json>;
    try {
      chunks =
        endpoint === 'chat'
          ? await upstream.chatStream(forwarded, { signal })
          : await upstream.completionStream(forwarded, { signal });
    } catch (err) {
      deadline.dispose();
      throw err;
    }
    return sseResponse(
      c,
      async (w) => {
        try {
          for await (const chunk of chunks) await w.data(chunk);
          await w.done();
        } finally {
          deadline.dispose();
        }
      },
      (err, reply) => state.logger.warn({ err: reply.internal ?? String(err) }, 'pass-through stream failed'),
    );
  }
  try {
    const res =
      endpoint === 'chat'
        ? await upstream.chat(forwarded, { signal })
        : await upstream.completion(forwarded, { signal });
    return c.json(res);
  } finally {
    deadline.dispose();
  }
}
