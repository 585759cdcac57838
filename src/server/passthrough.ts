// Strategy `none`: the request goes upstream untouched (its own n, stream, everything) and the
// answer comes back as the upstream sent it; only errors are reshaped.
import type { Context } from 'hono';
import type { Endpoint } from '../upstream/fanout.ts';
import type { Json } from '../upstream/types.ts';
import type { AppEnv, AppState } from './deps.ts';
import { sseResponse } from './sse.ts';

export async function passThrough(
  c: Context<AppEnv>,
  state: AppState,
  endpoint: Endpoint,
  body: Json,
): Promise<Response> {
  const { upstream } = state;
  const signal = c.req.raw.signal;
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
    const chunks =
      endpoint === 'chat'
        ? await upstream.chatStream(forwarded, { signal })
        : await upstream.completionStream(forwarded, { signal });
    return sseResponse(
      c,
      async (w) => {
        for await (const chunk of chunks) await w.data(chunk);
        await w.done();
      },
      (err, reply) => state.logger.warn({ err: reply.internal ?? String(err) }, 'pass-through stream failed'),
    );
  }
  const res =
    endpoint === 'chat'
      ? await upstream.chat(forwarded, { signal })
      : await upstream.completion(forwarded, { signal });
  return c.json(res);
}
