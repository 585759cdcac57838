// POST /v1/chat/completions: selection over N samples, or the `none` pass-through.
import type { Context } from 'hono';
import { invalidRequest } from '../core/index.ts';
import type { ScorePrompt } from '../reward/index.ts';
import type { Json } from '../upstream/types.ts';
import type { AppState } from './deps.ts';
import { passThrough } from './passthrough.ts';
import { chosenSamples, selectionMeta, usageOf } from './render.ts';
import { chatSchema, parseBody, planSelection } from './request.ts';
import { sampleAndSelect, scorerFor } from './run.ts';
import { pieces, sseResponse } from './sse.ts';

/** Deeper than any real request (JSON schemas in tools included); far below what overflows the stack. */
export const MAX_JSON_DEPTH = 128;

/** True when arrays/objects nest deeper than `max` (walks containers only, stops at the first too deep). */
export function nestsDeeper(value: unknown, max: number, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth >= max) return true;
  if (Array.isArray(value)) {
    for (const v of value)
      if (typeof v === 'object' && v !== null && nestsDeeper(v, max, depth + 1)) return true;
    return false;
  }
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    if (typeof v === 'object' && v !== null && nestsDeeper(v, max, depth + 1)) return true;
  }
  return false;
}

export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidRequest(
      'We could not parse the JSON body of your request. Send valid JSON with content-type application/json.',
      null,
      'invalid_json',
    );
  }
  // A body nested thousands deep parses, but re-serialising it for the upstream overflows the stack,
  // which would surface as a retryable "upstream unavailable" after N doomed calls.
  if (nestsDeeper(value, MAX_JSON_DEPTH)) {
    throw invalidRequest(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`, null, 'invalid_json');
  }
  return value;
}

/** Our own fields and the ones fan-out sets per call are removed; everything else goes upstream. */
export function upstreamBody(body: Json, model: string, drop: readonly string[]): Json {
  const out: Json = { ...body, model };
  for (const k of ['selection', 'n', 'stream', 'stream_options', ...drop]) delete out[k];
  return out;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((p) => (typeof (p as Json)['text'] === 'string' ? (p as Json)['text'] : ''))
      .join('\n');
  return '';
}

/** The conversation as the scorer receives it (text content only). */
export function scorePrompt(messages: readonly Json[]): ScorePrompt {
  return { messages: messages.map((m) => ({ role: String(m['role']), content: contentText(m['content']) })) };
}

const newId = (prefix: string) => `${prefix}-${crypto.randomUUID().replace(/-/g, '').slice(0, 24)}`;

export function chatHandler(state: AppState) {
  return async (c: Context) => {
    const raw = await readJson(c);
    const body = parseBody(chatSchema, raw);
    const plan = planSelection(body, state.config);
    c.set('strategy' as never, plan.strategy as never);
    if (plan.strategy === 'none')
      return passThrough(c, state, 'chat', { ...(raw as Json), model: plan.model });

    const scorer = scorerFor(state, plan);
    const ub = upstreamBody(raw as Json, plan.model, []);
    const clientLogprobs = body.logprobs === true;
    if (scorer?.needsLogprobs && !clientLogprobs) ub['logprobs'] = true;
    const prompt = scorePrompt(body.messages as Json[]);
    const signal = c.req.raw.signal;
    const id = newId('chatcmpl');
    const created = Math.floor(Date.now() / 1000);
    const model = plan.requestedModel;

    const choiceOf = (r: ReturnType<typeof chosenSamples>[number], index: number) => ({
      index,
      message: r.sample.choice['message'] ?? { role: 'assistant', content: r.sample.text },
      logprobs: clientLogprobs ? (r.sample.choice['logprobs'] ?? null) : null,
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
      requestId: c.get('requestId' as never),
    };
    if (body.stream) {
      const includeUsage = body.stream_options?.include_usage === true;
      return sseResponse(
        c,
        async (w) => {
          w.comment(`bom: sampling ${plan.samples} for ${plan.strategy}`);
          const run = await sampleAndSelect(state, {
            ...selectArgs,
            onSample: (done, total) => w.comment(`sampled ${done}/${total}`),
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
