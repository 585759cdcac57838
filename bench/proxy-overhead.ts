// Proxy overhead: the replay upstream hit directly (one call with n=N) vs through `bom serve`
// (selection over N samples, one returned), C concurrent clients, same duration each. Prints req/s,
// samples/s and latency p50/p99, and the ratios. Each server runs in its own process.
// Usage: npx tsx bench/proxy-overhead.ts [--n 16] [--clients 64] [--seconds 5] [--latency-ms 0]
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '16' },
    clients: { type: 'string', default: '64' },
    seconds: { type: 'string', default: '5' },
    'latency-ms': { type: 'string', default: '0' },
  },
});
const N = Number(values.n);
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const root = fileURLToPath(new URL('..', import.meta.url));
const samplesFile = `${root}../shared/data/samples/qwen25math_math_cot_100_rm_maj.jsonl`;
const file = process.env['BOM_BENCH_SAMPLES'] ?? samplesFile.replace('/wt-server/../', '/');

async function start(args: string[], env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env['BOM_BENCH_PROF'] && args[0] === 'serve'
        ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']
        : []),
      `${root}bin/bom.mjs`,
      ...args,
    ],
    {
      env: { ...process.env, BOM_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  // Both commands print one line once they listen.
  await once(child.stdout!, 'data');
  return child;
}

const question = 'What is $10.0000198\\cdot 5.9999985401\\cdot 6.9999852$ to the nearest whole number?';

interface Result {
  requests: number;
  seconds: number;
  latencies: number[];
}

async function load(
  url: string,
  body: unknown,
  samplesPerRequest: number,
): Promise<Result & { samples: number }> {
  const payload = JSON.stringify(body);
  const latencies: number[] = [];
  let requests = 0;
  const started = performance.now();
  const until = started + SECONDS * 1000;
  const client = async () => {
    while (performance.now() < until) {
      const t = performance.now();
      // Node's fetch keeps connections alive in its global pool.
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: payload,
      });
      await res.text();
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      latencies.push(performance.now() - t);
      requests++;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const seconds = (performance.now() - started) / 1000;
  return { requests, seconds, latencies, samples: requests * samplesPerRequest };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

const replay = await start([
  'replay',
  '--samples',
  file,
  '--port',
  '18100',
  '--model',
  'qwen',
  '--latency-ms',
  values['latency-ms'],
]);
const bom = await start(['serve', '--port', '18101', '--upstream', 'http://127.0.0.1:18100/v1'], {
  BOM_SAMPLES: String(N),
});
try {
  const messages = [{ role: 'user', content: question }];
  // Warm-up: JIT, keep-alive pools, bom learning that the upstream honours n.
  await load('http://127.0.0.1:18100/v1/chat/completions', { model: 'qwen', messages, n: N }, N);
  await load(
    'http://127.0.0.1:18101/v1/chat/completions',
    { model: 'qwen', messages, selection: { samples: N } },
    N,
  );

  const direct = await load(
    'http://127.0.0.1:18100/v1/chat/completions',
    { model: 'qwen', messages, n: N },
    N,
  );
  const proxied = await load(
    'http://127.0.0.1:18101/v1/chat/completions',
    { model: 'qwen', messages, selection: { strategy: 'majority', samples: N } },
    N,
  );
  const row = (name: string, r: typeof direct) =>
    `${name.padEnd(8)} ${(r.requests / r.seconds).toFixed(1).padStart(8)} req/s ${(r.samples / r.seconds).toFixed(0).padStart(8)} samples/s   p50 ${pct(r.latencies, 50).toFixed(2).padStart(7)} ms   p99 ${pct(r.latencies, 99).toFixed(2).padStart(7)} ms`;
  console.log(
    `proxy overhead: N=${N}, ${CLIENTS} clients, ${SECONDS}s each, replay latency ${values['latency-ms']} ms`,
  );
  console.log(row('direct', direct));
  console.log(row('via bom', proxied));
  const dp50 = pct(direct.latencies, 50);
  const pp50 = pct(proxied.latencies, 50);
  const dp99 = pct(direct.latencies, 99);
  const pp99 = pct(proxied.latencies, 99);
  console.log(
    `ratios: samples/s ${(proxied.samples / proxied.seconds / (direct.samples / direct.seconds)).toFixed(3)}  ` +
      `added p50 ${(pp50 - dp50).toFixed(2)} ms (x${(pp50 / dp50).toFixed(2)})  added p99 ${(pp99 - dp99).toFixed(2)} ms (x${(pp99 / dp99).toFixed(2)})`,
  );
} finally {
  replay.kill('SIGTERM');
  bom.kill('SIGTERM');
}
