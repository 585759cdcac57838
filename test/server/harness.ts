// A real bom server and a real replay upstream, each on a loopback port, and the official openai
// SDK as the client: the shape every integration test uses.
import OpenAI from 'openai';
import { type Logger, pino } from 'pino';
import { type ConfigInput, mergeLayers, parseConfig } from '../../src/config.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { type Listening, listen, type RunningServer, startServer } from '../../src/server/serve.ts';
import {
  createReplay,
  type RecordedProblem,
  type Replay,
  type ReplayFaults,
} from '../../src/upstream/replay/index.ts';
import { buildDeps } from '../../src/server/wiring.ts';
import { recordedProblems } from '../fixtures/recorded.ts';

const sample = (text: string, extra: Record<string, unknown> = {}) => ({ text, ...extra });

export const SIX_SEVEN = 'What is 6*7?';
export const TRUNCATED = 'Which is it, 5 or 7?';
export const OTHER = 'Name a prime.';

/** 8 samples: 42 ×4, 41 ×2, 40 ×1, one without an answer; 41 has the best mean logprob. */
export const fixture = [
  {
    id: 'six-seven',
    prompt: SIX_SEVEN,
    samples: [
      sample('6*7 = \\boxed{42}', { logprobs: [-0.5, -0.5] }),
      sample('Multiplying: \\boxed{42}', { logprobs: [-0.6] }),
      sample('I think \\boxed{41}', { logprobs: [-0.01, -0.02] }),
      sample('So \\boxed{42}', { logprobs: [-0.4] }),
      sample('Answer \\boxed{41}', { logprobs: [-0.03] }),
      sample('no idea', { logprobs: [-2] }),
      sample('\\boxed{40}', { logprobs: [-1] }),
      sample('Therefore \\boxed{42}', { logprobs: [-0.5] }),
    ],
  },
  {
    id: 'truncated',
    prompt: TRUNCATED,
    samples: [
      sample('Clearly \\boxed{5', { finish_reason: 'length' }),
      sample('It is \\boxed{7}'),
      sample('5 5 5 5 5', { finish_reason: 'length' }),
      sample('Surely \\boxed{7}'),
      sample('5 again 5', { finish_reason: 'length' }),
    ],
  },
  { id: 'prime', prompt: OTHER, samples: [sample('\\boxed{7}'), sample('\\boxed{2}'), sample('\\boxed{7}')] },
];

export const problems = recordedProblems(fixture.map((p) => JSON.stringify(p)).join('\n'));

export interface Stack {
  replay: Replay;
  upstream: Listening;
  bom: RunningServer;
  client: OpenAI;
  /** bom's base URL (…/v1). */
  base: string;
  close(): Promise<void>;
}

export async function startStack(
  options: {
    config?: ConfigInput;
    faults?: ReplayFaults;
    /** bom's upstream URL: a fixed one, or one made from the replay's (e.g. with credentials in it). */
    upstreamUrl?: string | ((replayUrl: string) => string);
    /** Recorded samples the replay serves (default: `problems` above). */
    problems?: RecordedProblem[];
    /** bom's logger (default: silent). */
    logger?: Logger;
  } = {},
): Promise<Stack> {
  const replay = createReplay({
    problems: options.problems ?? problems,
    models: ['replay-model'],
    faults: options.faults ?? {},
  });
  const upstream = await listen(replay.app, 0, '127.0.0.1');
  const config = parseConfig(
    mergeLayers(
      {
        port: 0,
        upstream: {
          url:
            typeof options.upstreamUrl === 'function'
              ? options.upstreamUrl(`${upstream.url}/v1`)
              : (options.upstreamUrl ?? `${upstream.url}/v1`),
          retryBaseMs: 5,
        },
        log: { level: 'silent' },
        shutdownGraceMs: 2000,
      },
      (options.config ?? {}) as Record<string, unknown>,
    ),
  );
  const bom = await startServer(
    buildDeps(config, { logger: options.logger ?? pino({ level: 'silent' }), metrics: createMetrics() }),
  );
  const base = `${bom.url}/v1`;
  const client = new OpenAI({ baseURL: base, apiKey: 'test-key', maxRetries: 0 });
  return {
    replay,
    upstream,
    bom,
    client,
    base,
    async close() {
      await bom.close(0);
      await upstream.close(0);
    },
  };
}

export const ask = (content: string) => [{ role: 'user' as const, content }];

/** A streaming chat request sent raw (not through the SDK), to look at the wire: comments, events, [DONE]. */
export function streamChat(base: string, selection: Record<string, unknown>): Promise<Response> {
  return fetch(`${base}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'replay-model', messages: ask(SIX_SEVEN), stream: true, selection }),
  });
}

/** Polls until `check` holds (for effects that land asynchronously, e.g. upstream aborts). */
export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The `selection` extension field, typed so the SDK's request types accept it. */
export function sel(selection: Record<string, unknown>): Record<never, never> {
  return { selection };
}

/** Response JSON as tests read it: extension fields are not in the SDK's types. */
// biome-ignore lint/suspicious/noExplicitAny: test-only access to untyped extension fields
export type Loose = Record<string, any>;
