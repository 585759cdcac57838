// POST /v1/chat/completions: selection over N samples, or the `none` pass-through.
import type { Context } from 'hono';
import type { Json } from '../upstream/index.ts';
import { readJson, scorePrompt, upstreamBody } from './body.ts';
import type { AppEnv, AppState } from './deps.ts';
import { passThrough } from './passthrough.ts';
import { askForLogprobs, chosenSamples, clientLogprobsView, selectionMeta, usageOf } from './render.ts';
import { chatSchema, parseBody, planSelection } from './request.ts';
import { sampleAndSelect, scorerFor } from './run.ts';
import { pieces, sseResponse } from './sse.ts';

const newId = (prefix: string) => `${prefix}-${crypto.randomUUID().replace(/-/g, '').slice(0, 24)}`;

export function chatHandler(state: AppState) {
  return async (c: Context<AppEnv>) => {
    const raw = await readJson(c);
    const body = parseBody(chatSchema, raw);
    const plan = planSelection(body, state.config);
    c.set('strategy', plan.strategy);
    if (plan.strategy === 'none')
      return passThrough(c, state, 'chat', { ...(raw as Json), model: plan.model });

    const scorer = scorerFor(state, plan);
    const ub = upstreamBody(raw as Json, plan.model, []);
    const clientLogprobs = body.logprobs === true;
    const asked = { logprobs: clientLogprobs, top: body.top_logprobs ?? 0 };
    askForLogprobs(ub, 'chat', scorer);
    const prompt = scorePrompt(body.messages as Json[]);
    const signal = c.req.raw.signal;
    const id = newId('chatcmpl');
    const created = Math.floor(Date.now() / 1000);
    const model = plan.requestedModel;

    const choiceOf = (r: ReturnType<typeof chosenSamples>[number], index: number) => ({
      index,
      message: r.sample.choice['message'] ?? { role: 'assistant', content: r.sample.text },
      logprobs: clientLogprobsView(r.sample.choice['logprobs'], 'chat', asked),
      finish_reason: r.sample.finishReason ?? 'stop',
      selection: r.selection,
    });

    const selectArgs = {
      endpoint: 'chat' as const,
      body: ub,
      plan,
      scorer,
      prompt,
      signal,
      requestId: c.get('requestId'),
    };
    if (body.stream) {
      const includeUsage = body.stream_options?.include_usage === true;
      return sseResponse(
        c,
        async (w) => {
          w.comment(`bom: sampling ${plan.samples} for ${plan.strategy}`);
          const run = await sampleAndSelect(state, {
            ...selectArgs,
            onSample: (done, total, note) => w.comment(`sampled ${done}/${total}${note ? `, ${note}` : ''}`),
          });
          const base = { id, object: 'chat.completion.chunk', created, model };
          const fp = run.fan.systemFingerprint ? { system_fingerprint: run.fan.systemFingerprint } : {};
          const u = includeUsage ? { usage: null } : {};
          const chunk = (choices: Json[], extra: Json = {}) => ({ ...base, ...fp, choices, ...u, ...extra });
          const chosen = chosenSamples(run, plan, false);
          const meta = selectionMeta(run, plan);
          for (const [index, r] of chosen.entries()) {
            const message = (r.sample.choice['message'] ?? {}) as Json;
            await w.data(
              chunk([
                { index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null },
              ]),
            );
            for (const piece of pieces(r.sample.text))
              await w.data(
                chunk([{ index, delta: { content: piece }, logprobs: null, finish_reason: null }]),
              );
            const toolCalls = message['tool_calls'];
            if (Array.isArray(toolCalls) && toolCalls.length > 0) {
              const delta = toolCalls.map((t, i) => ({ index: i, ...(t as Json) }));
              await w.data(
                chunk([{ index, delta: { tool_calls: delta }, logprobs: null, finish_reason: null }]),
              );
            }
            const last = index === chosen.length - 1 && !includeUsage ? { selection: meta } : {};
            await w.data(
              chunk(
                [
                  {
                    index,
                    delta: {},
                    logprobs: null,
                    finish_reason: r.sample.finishReason ?? 'stop',
                    selection: r.selection,
                  },
                ],
                last,
              ),
            );
          }
          if (includeUsage)
            await w.data({ ...base, ...fp, choices: [], usage: usageOf([run]), selection: meta });
          await w.done();
        },
        (err, reply) =>
          state.logger.warn({ err: reply.internal ?? String(err), status: reply.status }, 'stream failed'),
      );
    }

    const run = await sampleAndSelect(state, selectArgs);
    const chosen = chosenSamples(run, plan, false);
    c.header('x-bom-samples', `${run.fan.samples.length}/${run.fan.requested}`);
    return c.json({
      id,
      object: 'chat.completion',
      created,
      model,
      ...(run.fan.systemFingerprint ? { system_fingerprint: run.fan.systemFingerprint } : {}),
      choices: chosen.map(choiceOf),
      usage: usageOf([run]),
      selection: selectionMeta(run, plan),
    });
  };
}
