// Proxy overhead: the replay upstream hit directly (one call with n=N) vs through `bom serve`
// (selection over N samples, one returned), C concurrent clients, same duration each; then one client
// at a time, where added latency is bom's own per-request cost rather than queueing. Prints req/s,
// samples/s, latency p50/p99 and the CPU each process spent per request, and the ratios.
//
// On a small machine the three processes (load generator, replay, bom) share the cores, so a closed
// loop of C clients measures CPU share as much as bom: the CPU-per-request columns say who spends
// what, and `--pin` gives bom its own core (load generator and replay on core 0, bom on core 1), the
// shape of a real deployment where the upstream is a GPU server elsewhere.
// Usage: [BOM_BENCH_PROF=DIR] npx tsx bench/proxy-overhead.ts [--n 16] [--clients 64] [--seconds 5] [--latency-ms 0]
//          [--pin] [--client http|fetch] [--log-level info]
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, openSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sharedDataFile } from '../eval/shared-data.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '16' },
    clients: { type: 'string', default: '64' },
    seconds: { type: 'string', default: '5' },
    'latency-ms': { type: 'string', default: '0' },
    pin: { type: 'boolean', default: false },
    client: { type: 'string', default: 'http' },
    'log-level': { type: 'string', default: 'info' },
  },
});
const N = Number(values.n);
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const root = fileURLToPath(new URL('..', import.meta.url));
const file =
  process.env['BOM_BENCH_SAMPLES'] ?? sharedDataFile('samples/qwen25math_math_cot_100_rm_maj.jsonl');
if (file === null) {
  console.log('proxy overhead: shared data samples not found (set BOM_SHARED_DATA); skipping');
  process.exit(0);
}
const canPin = values.pin && existsSync('/usr/bin/taskset');
if (values.pin && !canPin) console.log('--pin: taskset not found, running unpinned');
if (canPin) execFileSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' });

async function start(args: string[], opts: { env?: Record<string, string>; cpu?: string; stderr?: number }) {
  const node = [
    // BOM_BENCH_PROF=DIR writes a CPU profile of bom there.
    ...(process.env['BOM_BENCH_PROF'] && args[0] === 'serve'
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BOM_BENCH_PROF']}`]
      : []),
    `${root}bin/bom.mjs`,
    ...args,
  ];
  const [cmd, argv] =
    canPin && opts.cpu ? ['taskset', ['-c', opts.cpu, process.execPath, ...node]] : [process.execPath, node];
  const child = spawn(cmd as string, argv as string[], {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', opts.stderr ?? 'inherit'],
  });
  // Both commands print one line once they listen.
  await once(child.stdout!, 'data');
  child.stdout!.resume();
  return child;
}

/** CPU ms a process has used (user + system), from /proc; NaN where there is no /proc. */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

const question = 'What is $10.0000198\\cdot 5.9999985401\\cdot 6.9999852$ to the nearest whole number?';

// The load generator's own cost is part of what shares the machine: node:http with a keep-alive
// pool costs several times less CPU per request than fetch (measured with --client fetch).
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
function post(url: string, payload: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
async function postFetch(url: string, payload: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: payload,
  });
  await res.arrayBuffer();
  return res.status;
}
const send = values.client === 'fetch' ? postFetch : post;

interface Result {
  requests: number;
  samples: number;
  seconds: number;
  latencies: number[];
  /** CPU ms per request: load generator, replay, bom. */
  cpu: { client: number; replay: number; bom: number };
}

async function load(url: string, body: unknown, clients: number, seconds: number): Promise<Result> {
  const payload = JSON.stringify(body);
  const latencies: number[] = [];
  let requests = 0;
  const c0 = { me: process.cpuUsage(), replay: cpuMs(replay.pid), bom: cpuMs(bom.pid) };
  const started = performance.now();
  const until = started + seconds * 1000;
  const client = async () => {
    while (performance.now() < until) {
      const t = performance.now();
      const status = await send(url, payload);
      if (status !== 200) throw new Error(`status ${status}`);
      latencies.push(performance.now() - t);
      requests++;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const elapsed = (performance.now() - started) / 1000;
  const me = process.cpuUsage(c0.me);
  return {
    requests,
    samples: requests * N,
    seconds: elapsed,
    latencies,
    cpu: {
      client: (me.user + me.system) / 1000 / requests,
      replay: (cpuMs(replay.pid) - c0.replay) / requests,
      bom: (cpuMs(bom.pid) - c0.bom) / requests,
    },
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

const replay = await start(
  ['replay', '--samples', file, '--port', '18100', '--model', 'qwen', '--latency-ms', values['latency-ms']],
  { cpu: '0' },
);
const logFile = join(tmpdir(), `bom-bench-${process.pid}.log`);
const bom = await start(['serve', '--port', '18101', '--upstream', 'http://127.0.0.1:18100/v1'], {
  env: { BOM_SAMPLES: String(N), BOM_LOG_LEVEL: values['log-level'] },
  cpu: '1',
  // Logs go to a file, as a service's would: the cost of writing them is part of the overhead.
  stderr: openSync(logFile, 'w'),
});
try {
  const messages = [{ role: 'user', content: question }];
  const directUrl = 'http://127.0.0.1:18100/v1/chat/completions';
  const bomUrl = 'http://127.0.0.1:18101/v1/chat/completions';
  const directBody = { model: 'qwen', messages, n: N };
  const bomBody = { model: 'qwen', messages, selection: { strategy: 'majority', samples: N } };
  // Warm-up: JIT, keep-alive pools, bom learning that the upstream honours n.
  await load(directUrl, directBody, CLIENTS, 2);
  await load(bomUrl, bomBody, CLIENTS, 2);

  const fmt = (x: number, d = 2, w = 7) => x.toFixed(d).padStart(w);
  const row = (name: string, r: Result) =>
    `${name.padEnd(8)} ${fmt(r.requests / r.seconds, 1, 8)} req/s ${fmt(r.samples / r.seconds, 0, 7)} samples/s  p50 ${fmt(pct(r.latencies, 50))} ms  p99 ${fmt(pct(r.latencies, 99))} ms  cpu/req client ${fmt(r.cpu.client, 3, 6)} replay ${fmt(r.cpu.replay, 3, 6)} bom ${fmt(r.cpu.bom, 3, 6)} ms`;
  const ratios = (direct: Result, proxied: Result) => {
    const [dp50, pp50, dp99, pp99] = [
      pct(direct.latencies, 50),
      pct(proxied.latencies, 50),
      pct(direct.latencies, 99),
      pct(proxied.latencies, 99),
    ];
    return (
      `ratios: samples/s ${(proxied.samples / proxied.seconds / (direct.samples / direct.seconds)).toFixed(3)}  ` +
      `added p50 ${fmt(pp50 - dp50, 2, 0)} ms (x${(pp50 / dp50).toFixed(2)})  added p99 ${fmt(pp99 - dp99, 2, 0)} ms (x${(pp99 / dp99).toFixed(2)})  ` +
      `bom cpu/req ÷ replay cpu/req ${(proxied.cpu.bom / direct.cpu.replay).toFixed(2)}`
    );
  };
  console.log(
    `proxy overhead: N=${N}, ${SECONDS}s per phase, replay latency ${values['latency-ms']} ms, client ${values.client}, bom log level ${values['log-level']}${canPin ? ', pinned (client+replay core 0, bom core 1)' : ''}`,
  );
  for (const clients of [CLIENTS, 1]) {
    const direct = await load(directUrl, directBody, clients, SECONDS);
    const proxied = await load(bomUrl, bomBody, clients, SECONDS);
    console.log(`-- ${clients} concurrent client${clients === 1 ? '' : 's'}`);
    console.log(row('direct', direct));
    console.log(row('via bom', proxied));
    console.log(ratios(direct, proxied));
  }
  // Wall-clock budgets in src/answers (10 ms per request) must not be what a loaded server hits.
  const metrics = await (await fetch('http://127.0.0.1:18101/metrics')).text();
  const degraded = metrics.split('\n').filter((l) => l.startsWith('bom_cluster_degraded_total'));
  console.log(`clustering degraded under load: ${degraded.length ? degraded.join(', ') : 'never'}`);
} finally {
  replay.kill('SIGTERM');
  bom.kill('SIGTERM');
}
