// CLI start-up: wall time from spawning `bom` to its answer, the build in dist/ (what `npm ci` makes and
// bin/bom.mjs runs) against the old way (the TypeScript sources through tsx: BOM_FROM_SOURCE=1), in the
// same run, interleaved so machine noise hits both alike. Medians over --runs runs; ratio = tsx / build.
// Prints figures against the issue's targets; nothing here is asserted.
// --against DIR adds a third column: another checkout's bin/bom.mjs (e.g. a clone of main before the build).
// Usage: npx tsx bench/cli-startup.ts [--runs 9] [--against DIR]
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '9' }, against: { type: 'string' } },
});
const RUNS = Number(values.runs);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}bin/bom.mjs`;

// Measure the current sources: rebuild first (about 0.1 s).
const built = spawnSync(process.execPath, [`${root}scripts/build.mjs`], { encoding: 'utf8' });
if (built.status !== 0) throw new Error(`build failed:\n${built.stderr}`);

type Way = 'build' | 'tsx' | 'against';
const ways: Way[] = values.against ? ['build', 'tsx', 'against'] : ['build', 'tsx'];
const env = (way: Way): NodeJS.ProcessEnv => ({ ...process.env, BOM_FROM_SOURCE: way === 'tsx' ? '1' : '' });
const binOf = (way: Way): string => (way === 'against' ? `${values.against}/bin/bom.mjs` : bin);

/** Milliseconds until the process exits, checking it said what it should. */
function timeExit(args: string[], way: Way, input: string, expect: RegExp): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, [binOf(way), ...args], { env: env(way), input, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status === 0 && expect.test(r.stdout)) return ms;
  // The other checkout may not have this command (a bom before --version): n/a in its column.
  if (way === 'against') return Number.NaN;
  throw new Error(`bom ${args.join(' ')} (${way}): ${r.stderr}`);
}

/** Milliseconds until `bom serve` prints its listening line (no model to load: an HTTP upstream). */
async function timeServe(way: Way): Promise<number> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [binOf(way), 'serve', '--port', '0', '--upstream', 'http://127.0.0.1:9/v1', '--strategy', 'majority'],
    { env: { ...env(way), BOM_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const ms = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (out.includes('bom listening on')) resolve(performance.now() - started);
    });
    child.once('exit', (code) =>
      reject(new Error(`bom serve (${way}) exited with ${code} before listening`)),
    );
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const line = `${JSON.stringify({ gold: '\\frac12', pred: '0.5' })}\n`;
const cases: { name: string; target: number; time: (way: Way) => number | Promise<number> }[] = [
  { name: 'bom --help', target: 300, time: (w) => timeExit(['--help'], w, '', /COMMANDS/) },
  { name: 'bom --version', target: 300, time: (w) => timeExit(['--version'], w, '', /^\d+\.\d+\.\d+/) },
  {
    name: 'bom answers check (1 line)',
    target: 400,
    time: (w) => timeExit(['answers', 'check'], w, line, /"equal":true/),
  },
  { name: 'bom serve to listening', target: 1000, time: timeServe },
];

const floor: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  floor.push(performance.now() - started);
}
console.log(`CLI start-up, median of ${RUNS} runs (node -e 0 alone: ${median(floor).toFixed(0)} ms)`);
const against = values.against ? `${'against'.padStart(10)}${'against/build'.padStart(15)}` : '';
console.log(
  `${'command'.padEnd(30)}${'build'.padStart(10)}${'tsx'.padStart(10)}${'tsx/build'.padStart(11)}${against}${'target'.padStart(9)}`,
);
const cell = (ms: number) => (Number.isNaN(ms) ? 'n/a' : `${ms.toFixed(0)} ms`).padStart(10);
for (const c of cases) {
  const ms: Record<Way, number[]> = { build: [], tsx: [], against: [] };
  for (const way of ways) await c.time(way); // warm the file cache for every way
  for (let i = 0; i < RUNS; i++) {
    // Rotate the order so no way always runs first (or right after another).
    for (let j = 0; j < ways.length; j++) {
      const way = ways[(i + j) % ways.length]!;
      ms[way].push(await c.time(way));
    }
  }
  const b = median(ms.build);
  const t = median(ms.tsx);
  const old = median(ms.against);
  const a = values.against
    ? `${cell(old)}${(Number.isNaN(old) ? 'n/a' : `${(old / b).toFixed(1)}×`).padStart(15)}`
    : '';
  console.log(
    `${c.name.padEnd(30)}${cell(b)}${cell(t)}${`${(t / b).toFixed(1)}×`.padStart(11)}${a}${`≤ ${c.target}`.padStart(9)}${b <= c.target ? '  met' : '  MISSED'}`,
  );
}
