// The replay upstream: an OpenAI-compatible server that answers from recorded samples, with fault
// injection (errors, latency, hangs, mid-stream disconnects, rejecting `n`) and counters tests read
// (requests, aborts). Deterministic: with a seed, choice j of a request is sample (seed + j) mod M.
import { contentText } from '../content.ts';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { createRng, type Rng } from '../../core/index.ts';
import { promptOf, type RecordedProblem, type RecordedSample } from './samples.ts';

export interface ReplayFaults {
  /** Probability that a call fails with `errorStatus` (seeded, so a run is repeatable). */
  errorRate?: number | undefined;
  errorStatus?: number | undefined;
  /** The first m calls fail with `errorStatus`, then all succeed: exact partial-failure counts. */
  failFirst?: number | undefined;
  /** Added latency per call, ms. */
  latencyMs?: number | undefined;
  /** Probability that a call never answers (until the client gives up). */
  timeoutRate?: number | undefined;
  /** Probability that a call's connection is cut midway (streams: after the first content chunk). */
  disconnectRate?: number | undefined;
  /** Answer 400 to n > 1, as llama.cpp does. */
  rejectN?: boolean | undefined;
  /** Return one choice whatever n says, as some servers silently do. */
  ignoreN?: boolean | undefined;
  /** Calls whose seed is at least this never answer (until the client aborts): exact in-flight counts. */
  hangFromSeed?: number | undefined;
}

export interface ReplayStats {
  requests: number;
  completed: number;
  /** Calls whose client went away before the answer was complete. */
  aborted: number;
  errors: number;
  rejectedN: number;
  inFlight: number;
  /** Sum of n over completed calls. */
  samplesServed: number;
  /** The seeds received, in arrival order (tests check seed + i). */
  seeds: number[];
  /** Body fields received on the last call (tests check vendor parameters are forwarded). */
  lastBody: Record<string, unknown> | null;
}

export interface ReplayOptions {
  problems: RecordedProblem[];
  models?: string[];
  faults?: ReplayFaults;
  seed?: number;
}

/** Most choices one replay call serves: far above any real fan-out, far below what exhausts memory. */
export const MAX_REPLAY_N = 4096;

export interface Replay {
  app: Hono<{ Bindings: HttpBindings }>;
  stats: ReplayStats;
  faults: ReplayFaults;
  setFaults(f: ReplayFaults): void;
  resetStats(): void;
}

type Json = Record<string, unknown>;

const freshStats = (): ReplayStats => ({
  requests: 0,
  completed: 0,
  aborted: 0,
  errors: 0,
  rejectedN: 0,
  inFlight: 0,
  samplesServed: 0,
  seeds: [],
  lastBody: null,
});

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** A body that sends `text` and then fails, as a connection cut mid-body looks to a fetch caller. */
function cutShort(text: string): ReadableStream<Uint8Array> {
  // Pulled in two steps: an error raised with data still queued would discard that data.
  let sent = text === '';
  return new ReadableStream({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(new TextEncoder().encode(text));
        return;
      }
      controller.error(new Error('replay: connection cut (disconnect fault)'));
    },
  });
}

/** `text` cut into n consecutive parts (by characters) whose concatenation is `text`. */
function splitText(text: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    text.slice(Math.floor((i * text.length) / n), Math.floor(((i + 1) * text.length) / n)),
  );
}

interface TokenEntry {
  token: string;
  logprob: number;
  top: { token: string; logprob: number; bytes: null }[];
}

/**
 * Per-token logprob entries of a recorded sample, with `k` top logprobs each: the recorded lists when
 * there are some; else, from the stored C_t, k entries of logprob −C_t (their mean is −C_t, so every
 * confidence computed from them is the recorded one; self-certainty from them is 0 — docs/confidence.md).
 * Null when the sample recorded neither logprobs nor confidences.
 */
function tokenEntries(s: RecordedSample, k: number): TokenEntry[] | null {
  const n = s.logprobs?.length ?? s.top_logprobs?.length ?? s.token_confidence?.length;
  if (n === undefined) return null;
  return Array.from({ length: n }, (_, i) => {
    const recorded = s.top_logprobs?.[i];
    const c = s.token_confidence?.[i];
    const top =
      k === 0
        ? []
        : recorded
          ? recorded.slice(0, k).map((t) => ({ token: t.token, logprob: t.logprob, bytes: null }))
          : c !== undefined
            ? Array.from({ length: k }, () => ({ token: '', logprob: -c, bytes: null }))
            : [];
    const logprob = s.logprobs?.[i] ?? recorded?.[0]?.logprob ?? (c !== undefined ? -c : 0);
    return { token: s.tokens?.[i] ?? '', logprob, top };
  });
}

function pieces(text: string): string[] {
  const out = text.match(/[\s\S]{1,24}/g);
  return out ?? [''];
}

export function createReplay(options: ReplayOptions): Replay {
  const problems = options.problems;
  const prompts = new Map(problems.map((p) => [p, promptOf(p).trim()]));
  const byPrompt = new Map(problems.map((p) => [prompts.get(p)!, p]));
  const cursor = new Map<string, number>();
  const models = options.models ?? ['replay'];
  let rng: Rng = createRng(options.seed ?? 1);
  const state = { faults: { ...(options.faults ?? {}) } as ReplayFaults, stats: freshStats() };
  const started = Math.floor(Date.now() / 1000);

  function findProblem(prompt: string): RecordedProblem {
    const key = prompt.trim();
    const exact = byPrompt.get(key);
    if (exact) return exact;
    // Prompt templates wrap the question: accept a recorded question contained in the prompt.
    for (const p of problems) if (prompts.get(p) && key.includes(prompts.get(p)!)) return p;
    return problems[hash(key) % problems.length]!;
  }

  function pick(problem: RecordedProblem, n: number, seed: number | undefined): RecordedSample[] {
    const m = problem.samples.length;
    let start: number;
    if (seed !== undefined) start = ((seed % m) + m) % m;
    else {
      start = cursor.get(problem.id) ?? 0;
      cursor.set(problem.id, (start + n) % m);
    }
    return Array.from({ length: n }, (_, j) => problem.samples[(start + j) % m]!);
  }

  function error(status: number, message: string, code: string, param: string | null = null) {
    const type = status >= 500 ? 'server_error' : 'invalid_request_error';
    return new Response(JSON.stringify({ error: { message, type, param, code } }), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  }

  const app = new Hono<{ Bindings: HttpBindings }>();

  app.get('/v1/models', (c) =>
    c.json({
      object: 'list',
      data: models.map((id) => ({ id, object: 'model', created: started, owned_by: 'replay' })),
    }),
  );
  app.get('/_replay/stats', (c) => c.json(state.stats));
  app.post('/_replay/faults', async (c) => {
    state.faults = (await c.req.json()) as ReplayFaults;
    return c.json(state.faults);
  });

  const handle =
    (kind: 'chat' | 'completion') => async (c: import('hono').Context<{ Bindings: HttpBindings }>) => {
      const stats = state.stats;
      const f = state.faults;
      stats.requests++;
      stats.inFlight++;
      const signal = c.req.raw.signal;
      let finished = false;
      const onAbort = () => {
        if (!finished) stats.aborted++;
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        finished = true;
        stats.inFlight--;
        signal.removeEventListener('abort', onAbort);
      };
      try {
        const raw: unknown = await c.req.json();
        if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
          done();
          return error(400, 'The request body must be a JSON object', 'invalid_request');
        }
        const body = raw as Json;
        stats.lastBody = body;
        const n = body['n'] ?? 1;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_REPLAY_N) {
          done();
          return error(
            400,
            `'n' must be an integer from 1 to ${MAX_REPLAY_N}, got ${JSON.stringify(n)}`,
            'invalid_value',
            'n',
          );
        }
        const seed = typeof body['seed'] === 'number' ? body['seed'] : undefined;
        if (seed !== undefined) stats.seeds.push(seed);
        if (f.rejectN && n > 1) {
          stats.rejectedN++;
          done();
          return error(400, 'Only one completion choice is allowed', 'invalid_value', 'n');
        }
        await sleep(f.latencyMs ?? 0, signal);
        if (signal.aborted) {
          done();
          return new Response(null, { status: 499 });
        }
        const failFirst = (f.failFirst ?? 0) > 0;
        if (failFirst || (f.errorRate ?? 0) > rng.next()) {
          if (failFirst) f.failFirst = (f.failFirst ?? 1) - 1;
          stats.errors++;
          done();
          return error(f.errorStatus ?? 500, 'injected failure', 'injected');
        }
        const hangs = f.hangFromSeed !== undefined && seed !== undefined && seed >= f.hangFromSeed;
        if (hangs || (f.timeoutRate ?? 0) > rng.next()) {
          // Hang until the caller gives up; the abort is what the caller's timeout test observes.
          await new Promise<void>((resolve) => {
            if (signal.aborted) resolve();
            signal.addEventListener('abort', () => resolve(), { once: true });
          });
          done();
          return new Response(null, { status: 499 });
        }
        const disconnect = (f.disconnectRate ?? 0) > rng.next();
        const prompt =
          kind === 'chat'
            ? contentText(
                [...((body['messages'] as Json[] | undefined) ?? [])]
                  .reverse()
                  .find((m) => m['role'] === 'user')?.['content'],
              )
            : Array.isArray(body['prompt'])
              ? JSON.stringify(body['prompt'])
              : String(body['prompt'] ?? '');
        const problem = findProblem(prompt);
        const chosen = pick(problem, f.ignoreN ? 1 : n, seed);
        const model = typeof body['model'] === 'string' ? body['model'] : models[0]!;
        const id = `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-replay${stats.requests}`;
        const created = Math.floor(Date.now() / 1000);
        const wantLogprobs =
          kind === 'chat' ? body['logprobs'] === true : typeof body['logprobs'] === 'number';
        const usage = {
          prompt_tokens: tokens(prompt),
          completion_tokens: chosen.reduce((a, s) => a + (s.completion_tokens ?? tokens(s.text)), 0),
          total_tokens: 0,
        };
        usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;

        const topK = Math.max(
          0,
          Math.min(
            20,
            kind === 'chat'
              ? typeof body['top_logprobs'] === 'number'
                ? body['top_logprobs']
                : 0
              : typeof body['logprobs'] === 'number'
                ? body['logprobs']
                : 0,
          ),
        );
        const logprobsOf = (s: RecordedSample, from = 0, to?: number) => {
          const entries = tokenEntries(s, topK);
          if (!wantLogprobs || !entries) return null;
          const part = entries.slice(from, to);
          if (kind === 'chat')
            return {
              content: part.map((e) => ({
                token: e.token,
                logprob: e.logprob,
                bytes: null,
                top_logprobs: e.top,
              })),
            };
          return {
            tokens: part.map((e) => e.token),
            token_logprobs: part.map((e) => e.logprob),
            top_logprobs:
              topK > 0
                ? part.map((e) => Object.fromEntries(e.top.map((t, j) => [t.token || `<${j}>`, t.logprob])))
                : null,
            text_offset: part.map(() => 0),
          };
        };

        if (body['stream'] === true) {
          const includeUsage = (body['stream_options'] as Json | undefined)?.['include_usage'] === true;
          const object = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
          const frame = (choices: Json[]) =>
            `data: ${JSON.stringify({ id, object, created, model, choices, ...(includeUsage ? { usage: null } : {}) })}\n\n`;
          if (disconnect) {
            // Written straight to the socket so the cut comes after the first content chunk has left:
            // through the stream helper the bytes could still be queued when the socket is destroyed,
            // and the client would see a refused stream instead of a mid-stream one.
            const first = chosen[0]!;
            const piece = pieces(first.text)[0] ?? '';
            const frames =
              (kind === 'chat'
                ? frame([
                    {
                      index: 0,
                      delta: { role: 'assistant', content: '' },
                      logprobs: null,
                      finish_reason: null,
                    },
                  ])
                : '') +
              frame([
                kind === 'chat'
                  ? { index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }
                  : { index: 0, text: piece, logprobs: null, finish_reason: null },
              ]);
            const out = c.env?.outgoing;
            if (!out) {
              // In process (no socket, e.g. replayUpstream): the body errors after the first frames.
              stats.errors++;
              done();
              return new Response(cutShort(frames), {
                status: 200,
                headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
              });
            }
            out.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
            out.write(frames, () => {
              // No finish chunk, no [DONE]: the TCP connection just ends.
              stats.errors++;
              out.destroy();
              done();
            });
            return RESPONSE_ALREADY_SENT;
          }
          c.header('content-type', 'text/event-stream');
          c.header('cache-control', 'no-cache');
          return stream(c, async (s) => {
            const send = (choices: Json[], extra: Json = {}) =>
              s.write(
                `data: ${JSON.stringify({ id, object, created, model, choices, ...(includeUsage ? { usage: null } : {}), ...extra })}\n\n`,
              );
            for (const [index, sample] of chosen.entries()) {
              if (kind === 'chat')
                await send([
                  { index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null },
                ]);
              // Separate reasoning streams first, as vLLM's reasoning parsers send it (`delta.reasoning_content`).
              if (kind === 'chat' && sample.reasoning_content !== undefined)
                await send([
                  {
                    index,
                    delta: { reasoning_content: sample.reasoning_content },
                    logprobs: null,
                    finish_reason: null,
                  },
                ]);
              const perToken = wantLogprobs ? tokenEntries(sample, topK) : null;
              if (perToken && perToken.length > 0) {
                // One chunk per recorded token, each with its logprobs: what an online reader tracks.
                const parts = splitText(sample.text, perToken.length);
                for (let t = 0; t < perToken.length; t++) {
                  if (signal.aborted) break;
                  const lp = logprobsOf(sample, t, t + 1);
                  await send([
                    kind === 'chat'
                      ? { index, delta: { content: parts[t] }, logprobs: lp, finish_reason: null }
                      : { index, text: parts[t], logprobs: lp, finish_reason: null },
                  ]);
                }
              } else
                for (const piece of pieces(sample.text)) {
                  await send([
                    kind === 'chat'
                      ? { index, delta: { content: piece }, logprobs: null, finish_reason: null }
                      : { index, text: piece, logprobs: null, finish_reason: null },
                  ]);
                }
              await send([
                kind === 'chat'
                  ? { index, delta: {}, logprobs: null, finish_reason: sample.finish_reason ?? 'stop' }
                  : { index, text: '', logprobs: null, finish_reason: sample.finish_reason ?? 'stop' },
              ]);
            }
            if (includeUsage) await send([], { usage });
            await s.write('data: [DONE]\n\n');
            stats.completed++;
            stats.samplesServed += chosen.length;
            done();
          });
        }

        if (disconnect) {
          stats.errors++;
          done();
          const out = c.env?.outgoing;
          if (!out) {
            return new Response(cutShort(''), {
              status: 200,
              headers: { 'content-type': 'application/json' },
            });
          }
          out.destroy();
          return new Response(null, { status: 499 });
        }
        const choices = chosen.map((s, index) =>
          kind === 'chat'
            ? {
                index,
                message: {
                  role: 'assistant',
                  content: s.text,
                  refusal: null,
                  ...(s.reasoning_content !== undefined ? { reasoning_content: s.reasoning_content } : {}),
                },
                logprobs: logprobsOf(s),
                finish_reason: s.finish_reason ?? 'stop',
              }
            : { index, text: s.text, logprobs: logprobsOf(s), finish_reason: s.finish_reason ?? 'stop' },
        );
        stats.completed++;
        stats.samplesServed += chosen.length;
        done();
        return c.json({
          id,
          object: kind === 'chat' ? 'chat.completion' : 'text_completion',
          created,
          model,
          system_fingerprint: 'replay',
          choices,
          usage,
        });
      } catch (err) {
        done();
        return error(400, `bad request: ${(err as Error).message}`, 'invalid_request');
      }
    };

  app.post('/v1/chat/completions', handle('chat'));
  app.post('/v1/completions', handle('completion'));

  return {
    app,
    stats: state.stats,
    get faults() {
      return state.faults;
    },
    setFaults(f) {
      state.faults = { ...f };
      rng = createRng(options.seed ?? 1);
    },
    resetStats() {
      Object.assign(state.stats, freshStats());
    },
  } as Replay;
}
