// POST /v1/responses: OpenAI's Responses API with selection. The request is translated to chat
// completions (every upstream serves them), N samples go through the same sampleAndSelect as
// /v1/chat/completions, and the chosen samples come back as a Response object. `output` holds the
// top answer only (so the SDKs' `output_text` is one answer); with n = k > 1 every chosen answer,
// best first, is in `selection.choices[i].output` (choice 0 is the one in `output`).
import type { Context } from 'hono';
import { invalidRequest } from '../core/index.ts';
import type { Json } from '../upstream/index.ts';
import { readJson, scorePrompt } from './body.ts';
import type { AppEnv, AppState } from './deps.ts';
import { type ErrorReply, toErrorReply } from './errors.ts';
import { askForLogprobs, chosenSamples, selectionMeta, usageOf } from './render.ts';
import { parseBody, planSelection, type SelectionPlan } from './request.ts';
import { ResponseEvents } from './responses-stream.ts';
import {
  newId,
  outputItems,
  type ResponsesBody,
  refuseUnsupported,
  responseObject,
  responseUsage,
  responsesSchema,
  statusOf,
  toChatBody,
} from './responses-translate.ts';
import { ReplyError, type SelectRun, sampleAndSelect, scorerFor } from './run.ts';
import { pieces, type SseWriter, sseResponse } from './sse.ts';

const messageOf = (choice: Json, text: string): Json =>
  (choice['message'] as Json | undefined) ?? { role: 'assistant', content: text };

/** Every chosen answer as Response output items, best first. */
function choicesOf(run: SelectRun, plan: SelectionPlan) {
  return chosenSamples(run, plan, false).map((r, index) => ({
    index,
    ...statusOf(r.sample.finishReason),
    output: outputItems(messageOf(r.sample.choice, r.sample.text), r.sample.finishReason, newId),
    selection: r.selection,
  }));
}

/** Feeds one chat message (reasoning, text, refusal) into the event builder. */
function* messageEvents(events: ResponseEvents, message: Json, finishReason: string | null): Generator<Json> {
  const reasoning = message['reasoning_content'] ?? message['reasoning'];
  if (typeof reasoning === 'string') for (const p of pieces(reasoning)) yield* events.reasoning(p);
  const text = typeof message['content'] === 'string' ? message['content'] : '';
  const refusal = typeof message['refusal'] === 'string' ? message['refusal'] : '';
  if (text !== '' || refusal === '') {
    yield* events.text('');
    for (const p of pieces(text)) yield* events.text(p);
  }
  yield* events.refusal(refusal);
  yield* events.closeItem(statusOf(finishReason).status);
}

export function responsesHandler(state: AppState) {
  return async (c: Context<AppEnv>) => {
    const raw = (await readJson(c)) as Json;
    const body = parseBody(responsesSchema, raw);
    refuseUnsupported(body);
    const plan = planSelection(body, state.config);
    c.set('strategy', plan.strategy);
    const chat = toChatBody(body, raw, plan.model);
    const id = newId('resp');
    const createdAt = Math.floor(Date.now() / 1000);
    const model = plan.requestedModel;
    const respond = (
      status: 'in_progress' | 'completed' | 'incomplete',
      output: Json[],
      usage: Json | null,
      extra: { incompleteDetails?: { reason: string } | null; selection?: Json } = {},
    ) => responseObject({ id, createdAt, model, body, status, output, usage, ...extra });
    const logStreamError = (err: unknown, reply: ErrorReply) =>
      state.logger.warn({ err: reply.internal ?? String(err), status: reply.status }, 'stream failed');
    /** A Responses stream: created/in_progress at once, then `produce`'s events; errors become an error event. */
    const streamed = (
      produce: (events: ResponseEvents, w: SseWriter) => Promise<void>,
      comment: string,
    ): Response =>
      sseResponse(
        c,
        async (w) => {
          w.comment(comment);
          const events = new ResponseEvents(newId);
          try {
            for (const e of events.start(respond('in_progress', [], null))) await w.data(e);
            await produce(events, w);
          } catch (err) {
            const reply = err instanceof ReplyError ? err.reply : toErrorReply(err);
            logStreamError(err, reply);
            await w.data(events.error(reply));
          }
        },
        logStreamError,
      );

    if (plan.strategy === 'none') return passThrough(c, state, body, chat, respond, streamed);

    const scorer = scorerFor(state, plan);
    askForLogprobs(chat, 'chat', scorer);
    const selectArgs = {
      endpoint: 'chat' as const,
      body: chat,
      plan,
      scorer,
      prompt: scorePrompt(chat['messages'] as Json[]),
      signal: c.req.raw.signal,
      requestId: c.get('requestId'),
    };
    const final = (run: SelectRun, choices: ReturnType<typeof choicesOf>) => {
      const top = choices[0];
      return respond(top?.status ?? 'completed', top?.output ?? [], responseUsage(usageOf([run])), {
        incompleteDetails: top?.incomplete_details ?? null,
        selection: {
          ...selectionMeta(run, plan),
          choices: choices.map((ch) => ({
            index: ch.index,
            status: ch.status,
            selection: ch.selection,
            output: ch.output,
          })),
        },
      });
    };

    if (body.stream) {
      return streamed(async (events, w) => {
        const run = await sampleAndSelect(state, {
          ...selectArgs,
          onSample: (done, total) => w.comment(`sampled ${done}/${total}`),
        });
        const choices = choicesOf(run, plan);
        const top = chosenSamples(run, plan, false)[0];
        if (top) {
          const message = messageOf(top.sample.choice, top.sample.text);
          for (const e of messageEvents(events, message, top.sample.finishReason)) await w.data(e);
          // The streamed items (their ids) are the ones the final Response holds.
          choices[0]!.output = events.output;
        }
        for (const e of events.finish(final(run, choices))) await w.data(e);
      }, `bom: sampling ${plan.samples} for ${plan.strategy}`);
    }

    const run = await sampleAndSelect(state, selectArgs);
    c.header('x-bom-samples', `${run.fan.samples.length}/${run.fan.requested}`);
    return c.json(final(run, choicesOf(run, plan)));
  };
}

/** Strategy `none`: one chat call upstream, its answer as a Response (streamed live when asked). */
async function passThrough(
  c: Context<AppEnv>,
  state: AppState,
  body: ResponsesBody,
  chat: Json,
  respond: (
    status: 'completed' | 'incomplete',
    output: Json[],
    usage: Json | null,
    extra?: { incompleteDetails?: { reason: string } | null },
  ) => Json,
  streamed: (produce: (events: ResponseEvents, w: SseWriter) => Promise<void>, comment: string) => Response,
): Promise<Response> {
  if ((body.n ?? 1) > 1)
    throw invalidRequest("n > 1 needs a selection strategy; strategy 'none' returns one answer", 'n');
  const signal = c.req.raw.signal;
  const usageFrom = (u: unknown) => {
    const x = (u ?? {}) as Json;
    const p = Number(x['prompt_tokens'] ?? 0);
    const q = Number(x['completion_tokens'] ?? 0);
    return responseUsage({ prompt_tokens: p, completion_tokens: q, total_tokens: p + q });
  };
  if (state.config.log.prompts)
    state.logger.info({ requestId: c.get('requestId'), prompt: chat['messages'] }, 'pass-through prompt');
  if (body.stream) {
    // Opened before answering, so an upstream refusal is still an HTTP error.
    const chunks = await state.upstream.chatStream(
      { ...chat, stream: true, stream_options: { include_usage: true } },
      { signal },
    );
    return streamed(async (events, w) => {
      let finish: string | null = null;
      let usage: unknown = null;
      for await (const chunk of chunks) {
        if (chunk['usage']) usage = chunk['usage'];
        const choice = ((chunk['choices'] as Json[] | undefined) ?? [])[0];
        if (!choice) continue;
        const delta = (choice['delta'] ?? {}) as Json;
        const r = delta['reasoning_content'] ?? delta['reasoning'];
        if (typeof r === 'string') for (const e of events.reasoning(r)) await w.data(e);
        if (typeof delta['content'] === 'string')
          for (const e of events.text(delta['content'])) await w.data(e);
        if (typeof delta['refusal'] === 'string')
          for (const e of events.refusal(delta['refusal'])) await w.data(e);
        if (choice['finish_reason']) finish = String(choice['finish_reason']);
      }
      const { status, incomplete_details } = statusOf(finish);
      if (events.output.length === 0) for (const e of events.text('')) await w.data(e);
      for (const e of events.closeItem(status)) await w.data(e);
      const response = respond(status, events.output, usageFrom(usage), {
        incompleteDetails: incomplete_details,
      });
      for (const e of events.finish(response)) await w.data(e);
    }, 'bom: pass-through');
  }
  const res = await state.upstream.chat(chat, { signal });
  const choice = ((res['choices'] as Json[] | undefined) ?? [])[0] ?? {};
  const finish = (choice['finish_reason'] ?? null) as string | null;
  const { status, incomplete_details } = statusOf(finish);
  const output = outputItems(messageOf(choice, ''), finish, newId);
  return c.json(respond(status, output, usageFrom(res['usage']), { incompleteDetails: incomplete_details }));
}
