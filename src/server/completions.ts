// POST /v1/completions: string or array prompts (choices prompt-major, index = prompt_i * n + j) and
// the legacy `best_of` restored as the sample budget, with selection choosing the n returned.
import { setMaxListeners } from 'node:events';
import type { Context } from 'hono';
import { invalidRequest } from '../core/index.ts';
import type { Json } from '../upstream/index.ts';
import { readJson, upstreamBody } from './body.ts';
import type { AppEnv, AppState } from './deps.ts';
import { passThrough } from './passthrough.ts';
import { askForLogprobs, chosenSamples, clientLogprobsView, selectionMeta, usageOf } from './render.ts';
import { completionSchema, parseBody, planSelection } from './request.ts';
import { type SelectRun, sampleAndSelect, scorerFor } from './run.ts';
import { pieces, sseResponse } from './sse.ts';

/** One entry per prompt: a string, or a token array (kept as-is for the upstream). */
function splitPrompts(prompt: string | string[] | number[] | number[][]): (string | number[])[] {
  if (typeof prompt === 'string') return [prompt];
  if (prompt.length > 0 && typeof prompt[0] === 'number') return [prompt as number[]];
  return prompt as (string | number[])[];
}

export function completionsHandler(state: AppState) {
  return async (c: Context<AppEnv>) => {
    const raw = (await readJson(c)) as Json;
    const body = parseBody(completionSchema, raw);
    const bestOf = body.best_of ?? undefined;
    if (bestOf !== undefined) {
      if (body.stream) throw invalidRequest("'best_of' cannot be used with 'stream'", 'best_of');
      if (bestOf < (body.n ?? 1))
        throw invalidRequest(`'best_of' (${bestOf}) must be at least n (${body.n ?? 1})`, 'best_of');
    }
    const prompts = splitPrompts(body.prompt);
    const plan = planSelection(body, state.config, {
      ...(bestOf === undefined ? {} : { value: bestOf, param: 'best_of' }),
      prompts: prompts.length,
    });
    c.set('strategy', plan.strategy);
    // Echo requests score the prompt itself (log-likelihood evaluation): selecting makes no sense.
    if (plan.strategy === 'none' || body.echo === true)
      return passThrough(c, state, 'completion', { ...raw, model: plan.model });

    const scorer = scorerFor(state, plan);
    const base = upstreamBody(raw, plan.model, ['best_of', 'prompt']);
    const clientLogprobs = typeof body.logprobs === 'number';
    const asked = { logprobs: clientLogprobs, top: typeof body.logprobs === 'number' ? body.logprobs : 0 };
    askForLogprobs(base, 'completion', scorer);
    const signal = c.req.raw.signal;
    // One fan-out per prompt listens on the client's signal (up to limits.maxSamples of them).
    if (prompts.length > 1) setMaxListeners(0, signal);
    const id = `cmpl-${crypto.randomUUID().replace(/-/g, '').slice(0, 24)}`;
    const created = Math.floor(Date.now() / 1000);
    const model = plan.requestedModel;

    const runAll = (onSample?: (done: number, total: number, note: string) => void) => {
      let done = 0;
      const total = prompts.length * plan.samples;
      return Promise.all(
        prompts.map((p) =>
          sampleAndSelect(state, {
            endpoint: 'completion',
            body: { ...base, prompt: p },
            plan,
            scorer,
            prompt: { prompt: typeof p === 'string' ? p : JSON.stringify(p) },
            signal,
            requestId: c.get('requestId'),
            // One prompt: the adaptive rule's note (leader, stop) too, as chat streams it.
            ...(onSample
              ? {
                  onSample: (_d: number, _t: number, note?: string) =>
                    onSample(++done, total, prompts.length === 1 ? (note ?? '') : ''),
                }
              : {}),
          }),
        ),
      );
    };
    const choicesOf = (runs: SelectRun[]) =>
      runs.flatMap((run, pi) =>
        chosenSamples(run, plan, true).map((r, j) => ({
          index: pi * plan.k + j,
          text: r.sample.text,
          logprobs: clientLogprobsView(r.sample.choice['logprobs'], 'completion', asked),
          finish_reason: r.sample.finishReason ?? 'stop',
          selection: r.selection,
        })),
      );
    const meta = (runs: SelectRun[]) =>
      runs.length === 1
        ? selectionMeta(runs[0]!, plan)
        : { prompts: runs.map((r) => selectionMeta(r, plan)) };

    if (body.stream) {
      const includeUsage = body.stream_options?.include_usage === true;
      return sseResponse(
        c,
        async (w) => {
          w.comment(`bom: sampling ${plan.samples} x ${prompts.length} for ${plan.strategy}`);
          const runs = await runAll((d, t, note) => w.comment(`sampled ${d}/${t}${note ? `, ${note}` : ''}`));
          const u = includeUsage ? { usage: null } : {};
          const chunk = (choices: Json[], extra: Json = {}) => ({
            id,
            object: 'text_completion',
            created,
            model,
            choices,
            ...u,
            ...extra,
          });
          const choices = choicesOf(runs);
          for (const [i, ch] of choices.entries()) {
            for (const piece of pieces(ch.text))
              await w.data(chunk([{ index: ch.index, text: piece, logprobs: null, finish_reason: null }]));
            const last = i === choices.length - 1 && !includeUsage ? { selection: meta(runs) } : {};
            await w.data(
              chunk(
                [
                  {
                    index: ch.index,
                    text: '',
                    logprobs: null,
                    finish_reason: ch.finish_reason,
                    selection: ch.selection,
                  },
                ],
                last,
              ),
            );
          }
          if (includeUsage) await w.data(chunk([], { usage: usageOf(runs), selection: meta(runs) }));
          await w.done();
        },
        (err, reply) =>
          state.logger.warn({ err: reply.internal ?? String(err), status: reply.status }, 'stream failed'),
      );
    }

    const runs = await runAll();
    return c.json({
      id,
      object: 'text_completion',
      created,
      model,
      choices: choicesOf(runs),
      usage: usageOf(runs),
      selection: meta(runs),
    });
  };
}
