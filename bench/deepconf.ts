// deepconf (issue 13): tokens and accuracy of plain majority vs offline filtering vs online early
// termination on simulated traces (eval/confidence-traces.ts: trace confidence correlated with
// correctness at strength d), calibration of selection.confidence, and the cost of top-20 logprobs
// (JSON bytes per token, parse time per sample, bom's CPU per request with and without them).
//   npx tsx bench/deepconf.ts            (all)      npx tsx bench/deepconf.ts cost   (costs only)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { evaluate, parseArms, simulateTraces } from '../eval/index.ts';
import { createRng } from '../src/core/index.ts';
import { mergeLayers, parseConfig } from '../src/config.ts';
import { createMetrics } from '../src/server/metrics.ts';
import { startServer } from '../src/server/serve.ts';
import { buildDeps } from '../src/server/wiring.ts';
import { toSample } from '../src/upstream/fanout.ts';

const pct = (x: number) => (x * 100).toFixed(1);
const only = process.argv[2];

async function simulated(strength: number, N: number, problems: number) {
  const window = 64;
  // d = 0 also turns off the unsure-stretch signal of wrong traces: confidence then says nothing.
  const records = simulateTraces(
    { problems, samples: N, strength, window, dip: strength === 0 ? 0 : 0.5 },
    createRng(11 + strength * 10),
  );
  const warmup = Math.min(16, N / 4);
  const arms = parseArms(
    [
      'majority',
      `deepconf:window=${window}`,
      `deepconf:keep=10:window=${window}`,
      `deepconf:warmup=${warmup}:window=${window}`,
      `deepconf:warmup=${warmup}:keep=10:window=${window}`,
    ].join(','),
  );
  // Online arms are bom eval's (eval/grid.ts onlineTrial: the server's rule, src/selection/online.ts).
  const run = await evaluate(records, arms, {
    Ns: [N],
    ks: [1],
    trials: 1,
    seed: 1,
    mode: 'recorded',
    bootstrap: 300,
  });
  const full =
    records.reduce((s, r) => s + r.samples.reduce((t, x) => t + x.completion_tokens!, 0), 0) / problems;
  console.log(
    `\nsimulated traces, strength d = ${strength}${strength === 0 ? ' (no dip)' : ', dip 0.5'}, N = ${N}, ${problems} problems (${full.toFixed(0)} tokens/problem drawn in full)`,
  );
  console.log(
    'arm'.padEnd(36),
    'Pass@1 %  [95% CI]   ',
    'tokens/problem (x full)',
    'samples',
    'early %',
    'ECE %',
  );
  for (const r of run.summary.results) {
    const cal = run.summary.calibration.find((c) => c.strategy === r.strategy && c.N === N);
    const tokens = r.mean_tokens ?? full;
    console.log(
      r.strategy.padEnd(36),
      `${pct(r.pass_at_k).padStart(5)}  [${pct(r.ci[0])}, ${pct(r.ci[1])}]`.padEnd(24),
      `${tokens.toFixed(0)} (${(tokens / full).toFixed(2)}x)`.padEnd(23),
      r.mean_samples.toFixed(1).padStart(7),
      (r.early_stop_rate === undefined ? '' : pct(r.early_stop_rate)).padStart(7),
      cal ? pct(cal.ece).padStart(6) : '',
    );
  }
}

function costs() {
  // One typical chat choice of 500 tokens: without logprobs, with logprobs only, with top-20.
  const T = 500;
  const entry = (k: number, i: number) => ({
    token: ` tok${i % 97}`,
    logprob: -0.0123456789 * (i % 13),
    bytes: [32, 116, 111, 107],
    top_logprobs: Array.from({ length: k }, (_, j) => ({
      token: ` alt${j}`,
      logprob: -1.23456789 * j,
      bytes: [32, 97, 108, 116],
    })),
  });
  const choice = (k: number | null) => ({
    index: 0,
    message: { role: 'assistant', content: 'x'.repeat(T * 4) },
    finish_reason: 'stop',
    logprobs: k === null ? null : { content: Array.from({ length: T }, (_, i) => entry(k, i)) },
  });
  console.log('\ncost of logprobs per 500-token sample (OpenAI chat shape, bytes arrays included)');
  console.log('form'.padEnd(16), 'JSON bytes/token', 'parse µs/sample', 'toSample µs/sample');
  for (const [name, k] of [
    ['none', null],
    ['logprobs', 0],
    ['top_logprobs 5', 5],
    ['top_logprobs 20', 20],
  ] as const) {
    const text = JSON.stringify({ choices: [choice(k)] });
    const reps = k === 20 ? 200 : 1000;
    let t0 = performance.now();
    let parsed: unknown;
    for (let r = 0; r < reps; r++) parsed = JSON.parse(text);
    const parseUs = ((performance.now() - t0) * 1000) / reps;
    const c = (parsed as { choices: Record<string, unknown>[] }).choices[0]!;
    t0 = performance.now();
    for (let r = 0; r < reps; r++) toSample('chat', c, 0);
    const sampleUs = ((performance.now() - t0) * 1000) / reps;
    const base = JSON.stringify({ choices: [choice(null)] }).length;
    console.log(
      name.padEnd(16),
      ((text.length - base) / T).toFixed(1).padStart(16),
      parseUs.toFixed(0).padStart(15),
      sampleUs.toFixed(0).padStart(18),
    );
  }
  const stored =
    JSON.stringify(Array.from({ length: T }, (_, i) => Math.round((2 + (i % 17) / 7) * 1000) / 1000)).length /
    T;
  console.log(
    `store: token_confidence ≈ ${stored.toFixed(1)} bytes/token (self-certainty the same again); full top-20 lists ≈ ${(JSON.stringify(entry(20, 1).top_logprobs.map((e) => ({ token: e.token, logprob: e.logprob }))).length).toFixed(0)} bytes/token`,
  );
}

async function cpuPerRequest() {
  // bom's own CPU per request (the replay upstream runs in the same process: its share is included in
  // both arms, so the difference is what top-20 logprobs add).
  const T = 400;
  const mk = (answer: string, c: number) => ({
    text: `${'step '.repeat(T / 2)}\\boxed{${answer}}`,
    logprobs: Array.from({ length: T }, () => -0.1),
    tokens: Array.from({ length: T }, () => ' step'),
    token_confidence: Array.from({ length: T }, (_, i) => c + (i % 5) / 10),
  });
  const problems = [
    {
      id: 'p',
      prompt: 'cpu?',
      samples: Array.from({ length: 8 }, (_, i) => mk(i % 3 === 0 ? '2' : '1', 3 + i)),
    },
  ];
  // The replay runs in its own process (`bom replay`): the CPU measured here is bom's (and the client's).
  const dir = mkdtempSync(join(tmpdir(), 'bom-bench-dc-'));
  const file = join(dir, 'samples.jsonl');
  writeFileSync(file, `${problems.map((p) => JSON.stringify(p)).join('\n')}\n`);
  const bin = new URL('../bin/bom.mjs', import.meta.url).pathname;
  const child = spawn(process.execPath, [bin, 'replay', '--samples', file, '--port', '0', '--model', 'm'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const upUrl = await new Promise<string>((resolve) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /on (https?:\/\/\S+)\/v1/.exec(out);
      if (m) resolve(m[1]!);
    });
  });
  const up = {
    close: async (_: number) => {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const config = parseConfig(
    mergeLayers({ port: 0, upstream: { url: `${upUrl}/v1` }, log: { level: 'silent' } }, {}),
  );
  const bom = await startServer(
    buildDeps(config, { logger: pino({ level: 'silent' }), metrics: createMetrics() }),
  );
  const send = (selection: Record<string, unknown>) =>
    fetch(`${bom.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'cpu?' }], seed: 0, selection }),
    }).then((r) => r.json());
  console.log(`\nbom's CPU per request, N = 8 samples of ${T} tokens (replay upstream in another process)`);
  for (const [name, selection] of [
    ['majority (no logprobs)', { strategy: 'majority', samples: 8 }],
    ['deepconf (top-20)', { strategy: 'deepconf', samples: 8 }],
  ] as const) {
    for (let i = 0; i < 20; i++) await send(selection);
    const reps = 100;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await send(selection);
    const c = process.cpuUsage(c0);
    console.log(
      name.padEnd(24),
      `${((c.user + c.system) / 1000 / reps).toFixed(2)} ms CPU/request`,
      `${((performance.now() - t0) / reps).toFixed(2)} ms wall`,
    );
  }
  await bom.close(0);
  await up.close(0);
}

if (only !== 'cost') {
  for (const d of [0, 1, 2]) await simulated(d, 64, 300);
  await simulated(2, 16, 300);
}
costs();
await cpuPerRequest();
