// Adaptive sampling and cheaper best-of-majority: mean samples, tokens and reward calls, and Pass@1
// with CIs, fixed vs adaptive vs cheaper scoring, as ratios against the fixed arm at the same N.
// 1. Offline (`bom eval`'s code; majority arms: the regret default, predictive, beta and window rules): simulated pools (kind mixed, pool 128, N = 16/32/64) and the real Qwen file.
// 2. Online: the Qwen file served by the replay upstream, every problem sent through a real bom server
//    (fixed N = 8 vs adaptive), counting the samples used, the completion tokens billed and problems right.
import { pino } from 'pino';
import { evaluate, parseArms, simulateRecords } from '../eval/index.ts';
import { loadSamples } from '../eval/formats.ts';
import { sharedDataFile } from '../eval/shared-data.ts';
import { mergeLayers, parseConfig } from '../src/config.ts';
import { createMetrics } from '../src/server/metrics.ts';
import { listen, startServer } from '../src/server/serve.ts';
import { buildDeps } from '../src/server/wiring.ts';
import { createReplay } from '../src/upstream/replay/index.ts';

const pct = (x: number) => (x * 100).toFixed(1);

async function offline(
  title: string,
  records: Parameters<typeof evaluate>[0],
  Ns: number[],
  specs: string,
  trials: number,
) {
  const run = await evaluate(records, parseArms(specs), {
    Ns,
    ks: [1],
    trials,
    seed: 1,
    mode: 'recorded',
    bootstrap: 500,
  });
  console.log(`\n${title}`);
  console.log(
    'arm'.padEnd(44),
    'N',
    ' Pass@1 [95% CI]      ',
    'samples (x fixed)',
    'reward calls (x bon)',
    'tokens (x fixed)',
  );
  for (const n of Ns) {
    const rows = run.summary.results.filter((r) => r.N === n);
    const base = (name: string) => rows.find((r) => r.strategy === name);
    for (const r of rows) {
      const fixedName = r.strategy.split(':')[0]!;
      const fixed = base(fixedName) ?? rows[0]!;
      const bon = base('bon');
      const tokens =
        r.mean_tokens !== undefined && fixed.mean_tokens
          ? (r.mean_tokens / fixed.mean_tokens).toFixed(2)
          : '-';
      console.log(
        r.strategy.padEnd(44),
        String(n).padStart(2),
        `${pct(r.pass_at_k)} [${pct(r.ci[0])}, ${pct(r.ci[1])}]`.padEnd(22),
        `${r.mean_samples.toFixed(2)} (${(r.mean_samples / n).toFixed(2)})`.padEnd(17),
        `${r.mean_scored.toFixed(2)}${bon ? ` (${(r.mean_scored / bon.mean_scored).toFixed(2)})` : ''}`.padEnd(
          20,
        ),
        tokens,
      );
    }
  }
}

// `npx tsx bench/adaptive.ts [sim|qwen]`: one part only (both by default).
const part = process.argv[2];
if (part !== undefined && part !== 'sim' && part !== 'qwen') {
  console.error(`bench/adaptive.ts: unknown part ${JSON.stringify(part)} (expected sim or qwen)`);
  process.exit(2);
}
const sim =
  part === 'qwen'
    ? []
    : simulateRecords({ kind: 'mixed', problems: 500, samples: 128, seed: 1, rewardNoise: 0.5 });
if (part !== 'qwen')
  await offline(
    'simulated pools (mixed, 500 problems, pool 128, 40 trials)',
    sim,
    [16, 32, 64],
    'maj,maj:adaptive=0.95:adaptive_rule=beta,maj:adaptive=0.9:adaptive_rule=beta,maj:adaptive=0.95:adaptive_rule=predictive,maj:adaptive=0.94:adaptive_rule=predictive,maj:adaptive=0.98,maj:adaptive=0.975,maj:adaptive=0.985,maj:adaptive=0.95:adaptive_rule=window,bon,bon:adaptive=0.95,bom,bom:adaptive=0.95,bom:score_members=3,bom:score_members=4,bom:score_members=3:adaptive=0.95,wmaj,wmaj:adaptive=0.95',
    40,
  );

const file = part === 'sim' ? null : sharedDataFile('samples/qwen25math_math_cot_100_rm_maj.jsonl');
if (file === null) {
  if (part !== 'sim') console.log('shared Qwen file not found; skipping the real-data parts');
} else {
  const loaded = loadSamples(file);
  await offline(
    'Qwen2.5-Math MATH, 100 problems x 8 recorded samples (one trial: recorded order)',
    loaded.records,
    [8],
    'maj,maj:adaptive=0.95:adaptive_rule=beta,maj:adaptive=0.95:adaptive_rule=predictive,maj:adaptive=0.98,maj:adaptive=0.95:adaptive_rule=window,bon,bon:adaptive=0.95,bom,bom:adaptive=0.95,bom:score_members=3',
    1,
  );

  // Online: the replay upstream serving the recorded samples (seed 0: sample i is recorded sample i).
  const replay = createReplay({ problems: loaded.records as never, models: ['replay'] });
  const upstream = await listen(replay.app, 0, '127.0.0.1');
  const config = parseConfig(
    mergeLayers({ port: 0, upstream: { url: `${upstream.url}/v1` }, log: { level: 'silent' } }, {}),
  );
  const bom = await startServer(
    buildDeps(config, { logger: pino({ level: 'silent' }), metrics: createMetrics() }),
  );
  const post = async (prompt: string, selection: Record<string, unknown>) => {
    const res = await fetch(`${bom.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'replay',
        seed: 0,
        messages: [{ role: 'user', content: prompt }],
        selection,
      }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: the bench reads untyped extension fields of the response
    return (await res.json()) as Record<string, any>;
  };
  const arms: [string, Record<string, unknown>][] = [
    ['majority, fixed N = 8', { strategy: 'majority', samples: 8 }],
    ['majority, adaptive (beta, C = 0.95)', { strategy: 'majority', samples: 8, adaptive: { rule: 'beta' } }],
    [
      'majority, adaptive (predictive, C = 0.95)',
      { strategy: 'majority', samples: 8, adaptive: { rule: 'predictive' } },
    ],
    ['majority, adaptive (default: regret, C = 0.98)', { strategy: 'majority', samples: 8, adaptive: true }],
    ['majority, adaptive (window)', { strategy: 'majority', samples: 8, adaptive: { rule: 'window' } }],
  ];
  console.log('\nonline through bom serve + the replay upstream (Qwen file, 100 problems, N = 8)');
  let fixedTokens = 0;
  let fixedRight = 0;
  for (const [name, selection] of arms) {
    let samples = 0;
    let tokens = 0;
    let right = 0;
    let drawn = 0;
    for (const r of loaded.records) {
      const res = await post(r.prompt ?? '', selection);
      samples += res['selection'].samples.succeeded;
      drawn += res['selection'].stop?.drawn ?? res['selection'].samples.succeeded;
      tokens += res['usage'].completion_tokens;
      const answer = res['choices'][0].selection.answer as string | null;
      const rep = res['choices'][0].selection.representative as number;
      if (r.samples[rep]?.correct === true && answer !== null) right++;
    }
    if (name.includes('fixed')) {
      fixedTokens = tokens;
      fixedRight = right;
    }
    const n = loaded.records.length;
    console.log(
      name.padEnd(50),
      `samples/problem ${(samples / n).toFixed(2)} (drawn ${(drawn / n).toFixed(2)})`,
      `tokens ${tokens} (${(tokens / fixedTokens).toFixed(2)}x)`,
      `right ${right}/${n} (${right - fixedRight >= 0 ? '+' : ''}${right - fixedRight})`,
    );
  }
  await bom.close(0);
  await upstream.close(0);
}
