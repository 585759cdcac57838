// Hostile and mistyped CLI input: each is one line `bom: error [code]: message` and a non-zero exit,
// never a stack trace, a hang or a silently ignored flag.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/bom.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'bom-cli-errors-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const bom = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000, input: '' });

/** As `bom` above, without blocking the event loop (a test that holds a port open must keep serving it). */
const bomAsync = (...args: string[]) =>
  new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill(), 30_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });

const good = file('good.jsonl', `${JSON.stringify({ id: 'p1', gold: '1', samples: [{ text: '1' }] })}\n`);
const subdir = join(dir, 'a-dir');
mkdirSync(subdir);

const cases: { name: string; args: string[]; code: string; message: RegExp }[] = [
  { name: 'a mistyped flag', args: ['serve', '--prot', '9000'], code: 'unknown_option', message: /--prot/ },
  {
    name: 'a flag on a command without any',
    args: ['answers', 'extract', '--x'],
    code: 'unknown_option',
    message: /--x/,
  },
  {
    name: 'sample: a corrupt middle line in the --out store (stopped before anything is drawn)',
    args: [
      'sample',
      '--benchmark',
      file('bench.jsonl', `${JSON.stringify({ id: 'q1', question: 'What is 1+1?', answer: '2' })}\n`),
      '--out',
      file(
        'corrupt-store.jsonl',
        `${JSON.stringify({ id: 'a', samples: [{ text: '1' }] })}\n{oops\n${JSON.stringify({ id: 'b', samples: [{ text: '2' }] })}\n`,
      ),
      '--model',
      'm',
      '--url',
      'http://127.0.0.1:9/v1',
    ],
    code: 'bad_input_line',
    message: /corrupt-store\.jsonl:2: .*--on-bad-line skip/,
  },
  {
    name: 'sample: 10^9 samples per problem (ran out of memory)',
    args: [
      'sample',
      '--benchmark',
      file('bench1.jsonl', `${JSON.stringify({ id: 'q1', question: 'What is 1+1?', answer: '2' })}\n`),
      '--out',
      join(dir, 'never.jsonl'),
      '--model',
      'm',
      '--url',
      'http://127.0.0.1:9/v1',
      '--samples',
      '1000000000',
    ],
    code: 'invalid_option',
    message: /--samples should be an integer from 1 to 100000, got '1000000000'/,
  },
  {
    name: 'sample: an --url that is not an http(s) URL (failed every problem in turn)',
    args: [
      'sample',
      '--benchmark',
      join(dir, 'bench1.jsonl'),
      '--out',
      join(dir, 'never.jsonl'),
      '--model',
      'm',
      '--url',
      'gpu-box:8000',
    ],
    code: 'invalid_option',
    message: /--url should be an http:\/\/ or https:\/\/ URL, got 'gpu-box:8000'/,
  },
  {
    name: 'replay: a null line',
    args: ['replay', '--samples', file('null.jsonl', 'null\n')],
    code: 'bad_samples_file',
    message: /null\.jsonl:1: expected a JSON object per line, got null/,
  },
  {
    name: 'replay: a non-number fault rate',
    args: ['replay', '--samples', good, '--error-rate', 'abc'],
    code: 'invalid_option',
    message: /--error-rate/,
  },
  {
    name: 'replay: port abc',
    args: ['replay', '--samples', good, '--port', 'abc'],
    code: 'invalid_option',
    message: /--port/,
  },
  {
    name: 'eval: 10^9 trials',
    args: ['eval', '--samples', good, '--trials', '1e9'],
    code: 'invalid_option',
    message: /--trials should be an integer from 1 to 100000/,
  },
  {
    name: 'demo: trials abc',
    args: ['demo', '--trials', 'abc'],
    code: 'invalid_option',
    message: /--trials/,
  },
  {
    name: 'simulate: 10^9 problems',
    args: ['simulate', '--problems', '1000000', '--samples', '1000'],
    code: 'invalid_option',
    message: /at most 2000000 simulated samples/,
  },
  {
    name: 'eval: --html into a directory',
    args: [
      'eval',
      '--samples',
      good,
      '--N',
      '1',
      '--k',
      '1',
      '--trials',
      '1',
      '--bootstrap',
      '1',
      '--html',
      subdir,
    ],
    code: 'output_unwritable',
    message: /cannot write .*a-dir/,
  },
  // A server whose defaults no request can meet stops at start-up, naming the setting; it used to
  // start and refuse every request with a 400 blaming a field the client never sent.
  {
    name: 'serve: a default N above limits.maxSamples',
    args: ['serve', '--samples', '500', '--upstream', 'http://127.0.0.1:9/v1'],
    code: 'invalid_config',
    message: /'selection\.samples'.*500.*limits\.maxSamples \(128\)/,
  },
  {
    name: 'serve: a default scorer that is not configured',
    args: ['serve', '--scorer', 'nope', '--upstream', 'http://127.0.0.1:9/v1', '--port', '0'],
    code: 'invalid_config',
    message: /default scorer 'nope'.*logprob/,
  },
  {
    name: 'serve: a local model folder that does not exist',
    args: ['serve', '--local', '--local-model', join(dir, 'no-such-model'), '--port', '0'],
    code: 'local_model_unavailable',
    message: /local model folder not found: .*no-such-model/,
  },
  {
    name: 'serve: an upstream URL that is not http(s)',
    args: ['serve', '--upstream', 'ftp://gpu-box/v1'],
    code: 'invalid_config',
    message: /'upstream\.url'.*http/,
  },
  {
    // Every problem left out at every N: an empty table and exit 0 looked like a result.
    name: 'eval: no problem has N samples for any --N',
    args: ['eval', '--samples', good, '--N', '2,4', '--k', '1', '--trials', '1'],
    code: 'nothing_evaluated',
    message: /no problem has 2 or more samples .*the largest pool has 1; lower --N/,
  },
  {
    name: 'config: an unknown nested key',
    args: ['serve', '--config', file('unknown.json', '{"upstream":{"nope":1}}')],
    code: 'invalid_config',
    message: /unknown setting 'upstream\.nope'/,
  },
];

describe('CLI errors', () => {
  it.each(cases)('$name → [$code]', (c) => {
    const r = bom(...c.args);
    expect(r.status, r.stderr).toBeGreaterThan(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^bom: error \\[${c.code}\\]: `));
    expect(lines[0]).toMatch(c.message);
  });

  it('a port already in use is one line naming the address and the way out, for serve and replay', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = String((taken.address() as AddressInfo).port);
    try {
      for (const args of [
        ['serve', '--port', port, '--upstream', 'http://127.0.0.1:9/v1'],
        ['replay', '--samples', good, '--port', port],
      ]) {
        const r = await bomAsync(...args);
        expect(r.status, r.stderr).toBe(1);
        const lines = r.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(
          new RegExp(`^bom: error \\[address_in_use\\]: 127\\.0\\.0\\.1:${port} is already in use.*--port`),
        );
      }
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('BOM_PORT=abc names the variable', () => {
    const r = spawnSync(process.execPath, [bin, 'serve'], {
      encoding: 'utf8',
      env: { ...process.env, BOM_PORT: 'abc' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^bom: error \[invalid_config\]: Invalid config 'port' \(from BOM_PORT, --port/);
  });
});
