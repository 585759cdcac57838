// The one contract every Upstream passes (like Hono's routers, which all pass one shared suite): the HTTP
// client over the replay on loopback, the in-process replay, the embedded local model. Where an
// implementation legitimately differs it says so in its capabilities, and the case either asserts
// the declared behaviour or is registered as skipped with the capability in its title.
// Call `upstreamContract(name, capabilities, makeSubject)` inside a test file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, type Upstream, UpstreamError } from '../../src/upstream/types.ts';

/** The question every case asks; replay fixtures record answers for it. */
export const QUESTION = 'What is 6*7? Put the answer in \\boxed{}.';

/** Known bugs a subject shows: the case is registered as `it.fails` until it is fixed. */
export type KnownBug =
  /** A connection cut mid-stream surfaces as kind `internal` instead of `connection`. */
  'cut-stream-kind';

export interface UpstreamCapabilities {
  /** What a call with n > 1 gets: n choices, one choice, or a 400 naming `n` (llama.cpp). */
  n: 'honoured' | 'ignored' | 'rejected';
  /** Per-token logprobs when asked (chat `logprobs: true`, legacy `logprobs: 0`). */
  logprobs: boolean;
  /** The subject can show the body a call arrived with, so forwarded vendor fields are checked. */
  seesBody: boolean;
  /** A connection can be cut mid-answer (remote upstreams; the local model has no connection). */
  connection: boolean;
  /** Any OpenAI-compatible app can stand behind this kind of upstream (error translation cases). */
  frontsApps: boolean;
  knownBugs?: readonly KnownBug[];
}

export interface FailureCase {
  label: string;
  upstream: Upstream;
  /** Default: a plain one-choice chat call. */
  body?: Json;
  expected: {
    kind: UpstreamError['kind'];
    status: number | null;
    retryable: boolean;
    code?: string | null;
    param?: string | null;
    public?: boolean;
  };
  /** The same upstream answers the next call (a transient fault such as failFirst). */
  recovers?: boolean;
}

export interface Fronted {
  upstream: Upstream;
  close(): Promise<void>;
}

export interface UpstreamSubject {
  upstream: Upstream;
  /** The model name to send. */
  model: string;
  /** Calls that reached the upstream's own work so far (requests received, model batches started). */
  calls(): number;
  /** Calls still running upstream. */
  running(): number;
  /** The body the last call arrived with (when `seesBody`). */
  lastBody?(): Json | null;
  /**
   * Makes the next call stay running until it is aborted: `running` resolves once it is running
   * upstream; `release` undoes the hold.
   */
  hold(): { running: Promise<void>; release(): void };
  /** Upstreams of the same kind that fail, with what their failure must look like. */
  failures(): Promise<FailureCase[]>;
  /** An upstream of this kind whose connection is cut mid-answer (when `connection`). */
  cutting?(): Promise<Fronted>;
  /** An upstream of this kind in front of an arbitrary app (when `frontsApps`). */
  front?(app: { fetch: (request: Request) => Response | Promise<Response> }): Promise<Fronted>;
  close(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: test-only access to untyped response fields
type Loose = Record<string, any>;

const live = () => new AbortController().signal;

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function rejection(p: Promise<unknown>): Promise<UpstreamError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamError);
  return err as UpstreamError;
}

async function collect(stream: AsyncIterable<Json>): Promise<Loose[]> {
  const chunks: Loose[] = [];
  for await (const chunk of stream) chunks.push(chunk as Loose);
  return chunks;
}

function expectUsage(usage: Loose | undefined): void {
  expect(usage).toBeDefined();
  for (const k of ['prompt_tokens', 'completion_tokens', 'total_tokens']) {
    expect(Number.isInteger(usage![k]), k).toBe(true);
    expect(usage![k], k).toBeGreaterThanOrEqual(0);
  }
  expect(usage!['total_tokens']).toBe(usage!['prompt_tokens'] + usage!['completion_tokens']);
}

/** Stream chunks folded per choice index: the concatenated deltas and the last finish_reason. */
function fold(chunks: Loose[], field: 'content' | 'text'): Map<number, { text: string; finish: unknown }> {
  const out = new Map<number, { text: string; finish: unknown }>();
  for (const chunk of chunks) {
    for (const c of chunk['choices'] as Loose[]) {
      const slot = out.get(c['index']) ?? { text: '', finish: null };
      const piece = field === 'content' ? c['delta']?.['content'] : c['text'];
      if (typeof piece === 'string') slot.text += piece;
      if (c['finish_reason'] != null) slot.finish = c['finish_reason'];
      out.set(c['index'], slot);
    }
  }
  return out;
}

export function upstreamContract(
  name: string,
  caps: UpstreamCapabilities,
  make: () => UpstreamSubject | Promise<UpstreamSubject>,
): void {
  describe(`Upstream contract: ${name}`, () => {
    let s: UpstreamSubject;
    const chatBody = (extra: Json = {}): Json => ({
      model: s.model,
      messages: [{ role: 'user', content: QUESTION }],
      max_tokens: 64,
      ...extra,
    });
    const completionBody = (extra: Json = {}): Json => ({
      model: s.model,
      prompt: QUESTION,
      max_tokens: 64,
      ...extra,
    });
    /** `it`, or `it.skip` when the capability is absent, or `it.fails` while a known bug stands. */
    const when = (capable: boolean, bug?: KnownBug) =>
      !capable ? it.skip : bug && caps.knownBugs?.includes(bug) ? it.fails : it;
    const N = 3;

    beforeAll(async () => {
      s = await make();
    });
    afterAll(async () => {
      await s?.close();
    });

    it('has a url', () => {
      expect(typeof s.upstream.url).toBe('string');
      expect(s.upstream.url.length).toBeGreaterThan(0);
    });

    it('chat returns an OpenAI-shaped completion', async () => {
      const r = (await s.upstream.chat(chatBody({ seed: 1 }), { signal: live() })) as Loose;
      expect(r['object']).toBe('chat.completion');
      expect(typeof r['id']).toBe('string');
      expect(typeof r['model']).toBe('string');
      expect(r['choices']).toHaveLength(1);
      const c = r['choices'][0];
      expect(c['index']).toBe(0);
      expect(c['message']).toMatchObject({ role: 'assistant', content: expect.any(String) });
      expect(c['message'].content.length).toBeGreaterThan(0);
      expect(['stop', 'length']).toContain(c['finish_reason']);
      expectUsage(r['usage']);
    });

    if (caps.n === 'honoured') {
      it('n > 1 returns n choices, indexed 0…n-1 (n: honoured)', async () => {
        const r = (await s.upstream.chat(chatBody({ n: N, seed: 1 }), { signal: live() })) as Loose;
        expect((r['choices'] as Loose[]).map((c) => c['index']).sort()).toEqual([0, 1, 2]);
        for (const c of r['choices']) expect(typeof c['message'].content).toBe('string');
        expectUsage(r['usage']);
      });
    } else if (caps.n === 'ignored') {
      it('n > 1 returns one choice (n: ignored)', async () => {
        const r = (await s.upstream.chat(chatBody({ n: N, seed: 1 }), { signal: live() })) as Loose;
        expect(r['choices']).toHaveLength(1);
      });
    } else {
      it('n > 1 is a 400 naming n, not retryable (n: rejected)', async () => {
        const err = await rejection(s.upstream.chat(chatBody({ n: N }), { signal: live() }));
        expect(err).toMatchObject({ kind: 'status', status: 400, param: 'n' });
        expect(err.retryable).toBe(false);
      });
    }

    it('a legacy completion returns choices[].text', async () => {
      const r = (await s.upstream.completion(completionBody({ seed: 1 }), { signal: live() })) as Loose;
      expect(r['object']).toBe('text_completion');
      expect(r['choices']).toHaveLength(1);
      expect(r['choices'][0]).toMatchObject({ index: 0, text: expect.any(String) });
      expect(r['choices'][0].text.length).toBeGreaterThan(0);
      expect(['stop', 'length']).toContain(r['choices'][0].finish_reason);
      expectUsage(r['usage']);
    });

    it('a chat stream yields chunks whose deltas add up to the non-streamed answer, and ends', async () => {
      const n = caps.n === 'honoured' ? N : 1;
      const body = chatBody({ seed: 7, ...(n > 1 ? { n } : {}) });
      const full = (await s.upstream.chat(body, { signal: live() })) as Loose;
      const chunks = await collect(
        await s.upstream.chatStream({ ...body, stream_options: { include_usage: true } }, { signal: live() }),
      );
      expect(chunks.length).toBeGreaterThan(0);
      for (const chunk of chunks) {
        expect(chunk['object']).toBe('chat.completion.chunk');
        expect(Array.isArray(chunk['choices'])).toBe(true);
      }
      const folded = fold(chunks, 'content');
      expect(folded.size).toBe(n);
      for (const c of full['choices'] as Loose[]) {
        expect(folded.get(c['index'])).toEqual({ text: c['message'].content, finish: c['finish_reason'] });
      }
      const usage = chunks.find((c) => c['usage'])?.['usage'];
      expectUsage(usage);
    });

    it('a completion stream yields text chunks that add up to the non-streamed answer, and ends', async () => {
      const body = completionBody({ seed: 7 });
      const full = (await s.upstream.completion(body, { signal: live() })) as Loose;
      const chunks = await collect(await s.upstream.completionStream(body, { signal: live() }));
      for (const chunk of chunks) expect(chunk['object']).toBe('text_completion');
      expect(fold(chunks, 'text').get(0)).toEqual({
        text: full['choices'][0].text,
        finish: full['choices'][0].finish_reason,
      });
    });

    it('models() lists at least one model with an id', async () => {
      const models = await s.upstream.models({ signal: live() });
      expect(models.length).toBeGreaterThan(0);
      for (const m of models) expect(typeof m['id']).toBe('string');
      expect(models.map((m) => m['id'])).toContain(s.model);
    });

    it('the same seed gives the same text', async () => {
      const n = caps.n === 'honoured' ? N : 1;
      const body = chatBody({ seed: 11, temperature: 1, ...(n > 1 ? { n } : {}) });
      const texts = (r: Json) => (r['choices'] as Loose[]).map((c) => c['message'].content);
      const a = texts(await s.upstream.chat(body, { signal: live() }));
      const b = texts(await s.upstream.chat(body, { signal: live() }));
      expect(b).toEqual(a);
      const p = completionBody({ seed: 11, temperature: 1 });
      const first = (await s.upstream.completion(p, { signal: live() })) as Loose;
      const again = (await s.upstream.completion(p, { signal: live() })) as Loose;
      expect(again['choices'][0].text).toBe(first['choices'][0].text);
    });

    it(`logprobs ${caps.logprobs ? 'are per-token when asked' : 'are absent (logprobs: unsupported)'}`, async () => {
      const r = (await s.upstream.chat(chatBody({ seed: 1, logprobs: true }), { signal: live() })) as Loose;
      const legacy = (await s.upstream.completion(completionBody({ seed: 1, logprobs: 0 }), {
        signal: live(),
      })) as Loose;
      if (!caps.logprobs) {
        expect(r['choices'][0].logprobs ?? null).toBeNull();
        return;
      }
      const content = r['choices'][0].logprobs?.content as Loose[];
      expect(content.length).toBeGreaterThan(0);
      for (const t of content) {
        expect(typeof t['token']).toBe('string');
        expect(Number.isFinite(t['logprob'])).toBe(true);
        expect(t['logprob']).toBeLessThanOrEqual(0);
      }
      const lp = legacy['choices'][0].logprobs as Loose;
      expect(lp['token_logprobs'].length).toBeGreaterThan(0);
      expect(lp['tokens']).toHaveLength(lp['token_logprobs'].length);
      // Without the flag there are none.
      const plain = (await s.upstream.chat(chatBody({ seed: 1 }), { signal: live() })) as Loose;
      expect(plain['choices'][0].logprobs ?? null).toBeNull();
    });

    it(`vendor fields are accepted${caps.seesBody ? ' and arrive upstream untouched' : ' (body not observable)'}`, async () => {
      const vendor = { top_k: 20, min_p: 0.05, chat_template_kwargs: { enable_thinking: false } };
      const r = (await s.upstream.chat(chatBody({ seed: 1, ...vendor }), { signal: live() })) as Loose;
      expect(r['choices']).toHaveLength(1);
      if (caps.seesBody) expect(s.lastBody?.()).toMatchObject({ ...vendor, model: s.model });
    });

    it('an already-aborted signal rejects with kind aborted, and nothing runs upstream', async () => {
      const before = s.calls();
      const ac = new AbortController();
      ac.abort(new Error('client went away'));
      for (const call of [
        () => s.upstream.chat(chatBody(), { signal: ac.signal }),
        () => s.upstream.completion(completionBody(), { signal: ac.signal }),
        () => s.upstream.chatStream(chatBody(), { signal: ac.signal }),
        () => s.upstream.completionStream(completionBody(), { signal: ac.signal }),
      ]) {
        const err = await rejection(call());
        expect(err.kind).toBe('aborted');
        expect(err.retryable).toBe(false);
      }
      expect(s.calls()).toBe(before);
      expect(s.running()).toBe(0);
    });

    it('an already-aborted timeout signal rejects with kind timeout', async () => {
      const ac = new AbortController();
      ac.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
      const err = await rejection(s.upstream.chat(chatBody(), { signal: ac.signal }));
      expect(err.kind).toBe('timeout');
    });

    for (const method of ['chat', 'chatStream'] as const) {
      it(`aborting a running ${method} call rejects with kind aborted and leaves nothing running`, async () => {
        const held = s.hold();
        try {
          const ac = new AbortController();
          const call = s.upstream[method](chatBody(), { signal: ac.signal });
          call.catch(() => {});
          await held.running;
          ac.abort(new Error('client went away'));
          const err = await rejection(call);
          expect(err.kind).toBe('aborted');
          await eventually(() => s.running() === 0);
        } finally {
          held.release();
        }
        // And the upstream still answers afterwards.
        await expect(s.upstream.chat(chatBody(), { signal: live() })).resolves.toBeDefined();
      });
    }

    it('a failing upstream rejects with UpstreamError of the right kind, status and retryable', async () => {
      const cases = await s.failures();
      expect(cases.length).toBeGreaterThan(0);
      for (const f of cases) {
        const err = await rejection(f.upstream.chat(f.body ?? chatBody(), { signal: live() }));
        const { retryable, ...fields } = f.expected;
        expect(err, f.label).toMatchObject(fields);
        expect(err.retryable, f.label).toBe(retryable);
        if (f.recovers) await expect(f.upstream.chat(chatBody(), { signal: live() })).resolves.toBeDefined();
      }
    });

    when(caps.connection)(
      `a connection cut mid-answer rejects with kind connection${caps.connection ? '' : ' (connection: none)'}`,
      async () => {
        const cut = await s.cutting!();
        try {
          const err = await rejection(cut.upstream.chat(chatBody(), { signal: live() }));
          expect(err.kind).toBe('connection');
          expect(err.retryable).toBe(true);
        } finally {
          await cut.close();
        }
      },
    );

    when(caps.connection, 'cut-stream-kind')(
      `a stream cut after its first chunks rejects the iteration with kind connection${caps.connection ? '' : ' (connection: none)'}`,
      async () => {
        const cut = await s.cutting!();
        try {
          const chunks: Loose[] = [];
          const stream = await cut.upstream.chatStream(chatBody(), { signal: live() });
          const err = await rejection(
            (async () => {
              for await (const chunk of stream) chunks.push(chunk as Loose);
            })(),
          );
          expect(chunks.length).toBeGreaterThan(0);
          expect(err.kind).toBe('connection');
        } finally {
          await cut.close();
        }
      },
    );

    when(caps.frontsApps)(
      `an error answer keeps its status, code, param and retry-after${caps.frontsApps ? '' : ' (frontsApps: no)'}`,
      async () => {
        const error = (status: number, body: Json | string, headers: Record<string, string>) =>
          new Response(typeof body === 'string' ? body : JSON.stringify({ error: body }), {
            status,
            headers: {
              'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
              ...headers,
            },
          });
        const app = {
          fetch(request: Request): Response {
            const path = new URL(request.url).pathname;
            if (path.endsWith('/chat/completions'))
              return error(
                429,
                {
                  message: 'slow down',
                  type: 'rate_limit_error',
                  param: 'messages',
                  code: 'rate_limit_exceeded',
                },
                { 'retry-after': '2', 'x-should-retry': 'false' },
              );
            if (path.endsWith('/completions'))
              return error(
                400,
                { message: 'bad prompt', type: 'invalid_request_error', param: 'prompt', code: null },
                {},
              );
            return error(503, 'upstream is warming up', { 'retry-after-ms': '250' });
          },
        };
        const f = await s.front!(app);
        try {
          const chat = await rejection(f.upstream.chat(chatBody(), { signal: live() }));
          expect(chat).toMatchObject({
            kind: 'status',
            status: 429,
            code: 'rate_limit_exceeded',
            param: 'messages',
            retryAfterMs: 2000,
            message: 'slow down',
          });
          expect(chat.retryable).toBe(true);
          const completion = await rejection(f.upstream.completion(completionBody(), { signal: live() }));
          expect(completion).toMatchObject({
            kind: 'status',
            status: 400,
            code: 'invalid_request_error',
            param: 'prompt',
            retryAfterMs: null,
          });
          expect(completion.retryable).toBe(false);
          const models = await rejection(f.upstream.models({ signal: live() }));
          expect(models).toMatchObject({
            kind: 'status',
            status: 503,
            code: null,
            param: null,
            retryAfterMs: 250,
          });
          expect(models.retryable).toBe(true);
        } finally {
          await f.close();
        }
      },
    );
  });
}
