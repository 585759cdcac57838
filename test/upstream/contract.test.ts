// Every Upstream implementation against the one contract (contract.ts): the openai SDK client over
// the replay on a loopback port, the replay in process (plain, ignoring n, rejecting n), and the
// embedded local model over the tiny LM the tests build.
import { SerialQueue } from '../../src/models/index.ts';
import { type Listening, listen } from '../../src/server/serve.ts';
import { LocalGenerator } from '../../src/upstream/local/generator.ts';
import { LocalUpstream } from '../../src/upstream/local/local-upstream.ts';
import { createOpenAIUpstream } from '../../src/upstream/openai-client.ts';
import {
  createReplay,
  fetchUpstream,
  type Replay,
  type ReplayFaults,
  replayUpstream,
} from '../../src/upstream/replay/index.ts';
import type { Upstream } from '../../src/upstream/types.ts';
import { TINY_LM_DIR } from '../fixtures/build-tiny-lm.ts';
import { recordedProblems } from '../fixtures/recorded.ts';
import { type FailureCase, QUESTION, type UpstreamSubject, upstreamContract } from './contract.ts';

const MODEL = 'replay-model';

// Texts longer than one 24-character stream piece, distinct so seeds tell them apart.
const problems = recordedProblems(
  JSON.stringify({
    id: 'six-seven',
    prompt: QUESTION,
    samples: [
      { text: 'Six sevens: 6*7 = 42, so \\boxed{42}', logprobs: [-0.5, -0.25], tokens: ['Six', ' sevens'] },
      { text: 'Multiplying six by seven gives \\boxed{42}', logprobs: [-0.6], tokens: ['Multiplying'] },
      { text: 'I think it is \\boxed{41}', logprobs: [-0.01, -0.02], tokens: ['I', ' think'] },
      { text: 'Truncated answer that never fini', finish_reason: 'length', logprobs: [-1], tokens: ['T'] },
      { text: 'Therefore the product is \\boxed{42}', logprobs: [-0.4], tokens: ['Therefore'] },
    ],
  }),
);

const replayOf = (faults: ReplayFaults = {}) => createReplay({ problems, models: [MODEL], faults });

/** Holding a replay call: a latency no test waits out, undone on release. */
function holdReplay(replay: Replay) {
  const base = { ...replay.faults };
  replay.setFaults({ ...base, latencyMs: 3_600_000 });
  return {
    running: (async () => {
      while (replay.stats.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
    })(),
    release: () => replay.setFaults(base),
  };
}

const transient503 = (label: string, upstream: Upstream): FailureCase => ({
  label,
  upstream,
  expected: { kind: 'status', status: 503, code: 'injected', retryable: true },
  recovers: true,
});

// ---------------------------------------------------------------------------------------------
// HTTP: the openai SDK client → the replay on a loopback port.

const servers: Listening[] = [];
async function served(replay: Replay | { fetch: (r: Request) => Response | Promise<Response> }) {
  const app = 'app' in replay ? replay.app : replay;
  const server = await listen(app as Parameters<typeof listen>[0], 0, '127.0.0.1');
  servers.push(server);
  const upstream = createOpenAIUpstream({ url: `${server.url}/v1`, apiKey: 'test-key' });
  return { server, upstream, close: () => server.close(0) };
}

upstreamContract(
  'http (openai SDK → replay on loopback)',
  {
    n: 'honoured',
    logprobs: true,
    seesBody: true,
    connection: true,
    frontsApps: true,
    // Bug (openai-client.ts, `iterate` + normaliseUpstreamError's last line): a cut mid-stream reaches
    // the iterator as the raw body error (Error 'aborted', code ECONNRESET, from http-fetch.ts's
    // node:http stream; TypeError 'terminated' with the global fetch), which is not an OpenAIError
    // and so is classed `internal`: not retried, answered 500, though the upstream is at fault.
  },
  async () => {
    const replay = replayOf();
    const { upstream } = await served(replay);
    return {
      upstream,
      model: MODEL,
      calls: () => replay.stats.requests,
      running: () => replay.stats.inFlight,
      lastBody: () => replay.stats.lastBody,
      hold: () => holdReplay(replay),
      async failures() {
        const failing = await served(replayOf({ failFirst: 1, errorStatus: 503 }));
        // A port that was listening a moment ago and is closed now: connection refused.
        const gone = await served(replayOf());
        await gone.close();
        servers.splice(servers.indexOf(gone.server), 1);
        return [
          transient503('replay failFirst 503 over HTTP', failing.upstream),
          {
            label: 'closed port',
            upstream: gone.upstream,
            expected: { kind: 'connection', status: null, retryable: true },
          },
        ];
      },
      cutting: async () => served(replayOf({ disconnectRate: 1 })),
      front: async (app) => served(app),
      async close() {
        await Promise.all(servers.splice(0).map((s) => s.close(0)));
      },
    } satisfies UpstreamSubject;
  },
);

// ---------------------------------------------------------------------------------------------
// The replay in process: the Hono app called directly, no socket.

function inProcess(faults: ReplayFaults = {}): UpstreamSubject {
  const replay = replayOf(faults);
  return {
    upstream: replayUpstream(replay),
    model: MODEL,
    calls: () => replay.stats.requests,
    running: () => replay.stats.inFlight,
    lastBody: () => replay.stats.lastBody,
    hold: () => holdReplay(replay),
    failures: async () => [
      transient503(
        'replay failFirst 503 in process',
        replayUpstream(replayOf({ failFirst: 1, errorStatus: 503 })),
      ),
    ],
    cutting: async () => ({
      upstream: replayUpstream(replayOf({ disconnectRate: 1 })),
      close: async () => {},
    }),
    front: async (app) => ({ upstream: fetchUpstream((r) => app.fetch(r)), close: async () => {} }),
    close: async () => {},
  };
}

const inProcessCaps = { logprobs: true, seesBody: true, connection: true, frontsApps: true } as const;
upstreamContract('replay in process', { ...inProcessCaps, n: 'honoured' }, () => inProcess());
upstreamContract('replay in process, ignoring n', { ...inProcessCaps, n: 'ignored' }, () =>
  inProcess({ ignoreN: true }),
);
upstreamContract('replay in process, rejecting n', { ...inProcessCaps, n: 'rejected' }, () =>
  inProcess({ rejectN: true }),
);

// ---------------------------------------------------------------------------------------------
// The embedded local model over the tiny LM (as buildLocalUpstream builds it, with a queue the
// test can watch: model batches started and running).

class WatchedQueue extends SerialQueue {
  started = 0;
  active = 0;
  #next: (() => void) | null = null;
  /** Resolves when the next batch starts running. */
  nextStart(): Promise<void> {
    return new Promise((resolve) => {
      this.#next = resolve;
    });
  }
  override run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return super.run(async () => {
      this.started++;
      this.active++;
      const notify = this.#next;
      this.#next = null;
      notify?.();
      try {
        return await fn();
      } finally {
        this.active--;
      }
    }, signal);
  }
}

const localOptions = { modelName: 'tiny-qwen2-lm', maxN: 8, maxTokens: 64, temperature: 1, topP: 1 };

upstreamContract(
  'local (tiny LM in process)',
  { n: 'honoured', logprobs: true, seesBody: false, connection: false, frontsApps: false },
  async () => {
    const queue = new WatchedQueue();
    const generator = new LocalGenerator({ model: TINY_LM_DIR, dtype: 'fp32', queue });
    await generator.load();
    const missing = new LocalGenerator({ model: `${TINY_LM_DIR}-missing`, dtype: 'fp32' });
    const upstream = new LocalUpstream(generator, localOptions);
    return {
      upstream,
      model: localOptions.modelName,
      calls: () => queue.started,
      running: () => queue.active + queue.pending,
      hold: () => ({ running: queue.nextStart(), release: () => {} }),
      failures: async () => [
        {
          label: 'missing model folder',
          upstream: new LocalUpstream(missing, localOptions),
          expected: {
            kind: 'status',
            status: 503,
            code: 'local_model_failed',
            retryable: false,
            public: true,
          },
        },
        {
          label: 'n above maxN',
          upstream,
          body: { model: localOptions.modelName, messages: [{ role: 'user', content: QUESTION }], n: 9 },
          expected: { kind: 'status', status: 400, param: 'n', code: 'invalid_value', retryable: false },
          recovers: true,
        },
      ],
      close: () => generator.close(),
    };
  },
);
