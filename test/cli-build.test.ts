// The `bom` that ships is the esbuild bundle in dist/ (scripts/build.mjs, run by `npm ci` and `npm test`):
// the CLI tests that spawn bin/bom.mjs test it only if it is current; --help and --version answer without
// loading any subcommand; the launcher says in one line why it falls back to tsx; import.meta in a bundled
// source still names the .ts file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commands, summaries } from '../src/commands/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/bom.mjs');
const version: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const run = (args: string[], opts: { env?: NodeJS.ProcessEnv; node?: string[]; launcher?: string } = {}) =>
  spawnSync(process.execPath, [...(opts.node ?? []), opts.launcher ?? bin, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    input: '',
    env: { ...process.env, BOM_FROM_SOURCE: '', ...opts.env },
  });

describe('the build in dist/', () => {
  it('is current, so every test that spawns bin/bom.mjs runs what ships (else: npm run build)', () => {
    const { sources } = JSON.parse(readFileSync(join(root, 'dist/build.json'), 'utf8')) as {
      sources: Record<string, number>;
    };
    expect(Object.keys(sources)).toContain('src/cli.ts');
    const changed = Object.entries(sources).filter(([p, mtime]) => statSync(join(root, p)).mtimeMs !== mtime);
    expect(changed.map(([p]) => p)).toEqual([]);
    const r = run(['--version']);
    expect(r.stderr).toBe('');
  });

  it('stack traces name the .ts sources (source maps), not dist/', () => {
    const r = run(['score'], { env: { BOM_DEBUG: '1' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/src\/cli\.ts:\d+:\d+/);
    expect(r.stderr).not.toMatch(/dist\/cli\.js/);
  });

  it('bom --version prints the package.json version', () => {
    for (const flag of ['--version', '-v']) {
      const r = run([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  });

  it('bom --help lists every command with its description, and names the version', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`bom v${version}`);
    for (const meta of Object.values(summaries)) expect(r.stdout).toContain(meta.description);
  });

  it("the summaries --help lists are each command's own name and description", async () => {
    expect(Object.keys(summaries).sort()).toEqual(Object.keys(commands).sort());
    for (const [name, load] of Object.entries(commands)) {
      const meta = (await load()).meta as { name?: string; description?: string };
      expect({ name: meta.name, description: meta.description }).toEqual(
        summaries[name as keyof typeof summaries],
      );
    }
  });

  // A module.register hook that names on stderr every module the process loads.
  const hooks = `data:text/javascript,${encodeURIComponent(
    "import { writeSync } from 'node:fs'; export async function resolve(s, c, next) { const r = await next(s, c); writeSync(2, 'loaded ' + r.url + '\\n'); return r; }",
  )}`;
  const tracer = `data:text/javascript,${encodeURIComponent(
    `import { register } from 'node:module'; register(${JSON.stringify(hooks)});`,
  )}`;
  const loaded = (args: string[]) =>
    run(args, { node: ['--import', tracer] })
      .stderr.split('\n')
      .filter((l) => l.startsWith('loaded '))
      .map((l) => l.slice('loaded '.length));

  it('bom --help and --version load no subcommand module and none of the heavy dependencies', () => {
    for (const args of [['--help'], ['--version']]) {
      const urls = loaded(args);
      expect(urls.some((u) => u.endsWith('/dist/cli.js'))).toBe(true);
      const local = urls.filter((u) => u.includes('/dist/') && !u.endsWith('/dist/cli.js'));
      expect(
        local.filter((u) => /\/dist\/(answers|demo|replay|serve|eval|ab|simulate|sample|score)-/.test(u)),
      ).toEqual([]);
      expect(
        urls.filter((u) => /node_modules\/(hono|@hono|openai|pino|prom-client|zod|@huggingface)\//.test(u)),
      ).toEqual([]);
    }
  });

  it('bom serve --help loads serve but not the transformers.js runtime', () => {
    const urls = loaded(['serve', '--help']);
    expect(urls.some((u) => /\/dist\/serve-/.test(u))).toBe(true);
    expect(urls.filter((u) => /node_modules\/(@huggingface|onnxruntime)/.test(u))).toEqual([]);
  });
});

describe('bin/bom.mjs without a current build', () => {
  // A copy of the launcher beside links to the real sources and node_modules, with a dist/ to vary.
  const dir = mkdtempSync(join(tmpdir(), 'bom-launcher-'));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin/bom.mjs'), readFileSync(bin));
  for (const d of ['src', 'strategies', 'eval', 'node_modules']) symlinkSync(join(root, d), join(dir, d));
  writeFileSync(join(dir, 'package.json'), readFileSync(join(root, 'package.json')));
  const launcher = join(dir, 'bin/bom.mjs');

  it('with no dist/, says so in one line on stderr and runs the sources through tsx', () => {
    const r = run(['--version'], { launcher });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
    expect(r.stderr).toMatch(/^bom: no build in dist\/ .*`npm run build` fixes this\n$/);
  });

  it('with a source changed since the build, names it and runs the sources', () => {
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'dist/build.json'), JSON.stringify({ sources: { 'src/cli.ts': 1 } }));
    const r = run(['--version'], { launcher });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
    expect(r.stderr).toMatch(/^bom: src\/cli\.ts changed since the last build; .*\n$/);
  });

  it('BOM_FROM_SOURCE=1 runs the sources without a word', () => {
    const r = run(['--version'], { launcher, env: { BOM_FROM_SOURCE: '1' } });
    expect(r.stdout).toBe(`${version}\n`);
    expect(r.stderr).toBe('');
  });
});

describe('scripts/build.mjs', () => {
  it('import.meta.url, .dirname and .filename in a bundled file still name that .ts file', () => {
    const out = mkdtempSync(join(tmpdir(), 'bom-build-'));
    const fixture = join(root, 'test/fixtures/build');
    const b = spawnSync(
      process.execPath,
      [join(root, 'scripts/build.mjs'), '--entry', 'test/fixtures/build/entry.ts', '--outdir', out],
      { encoding: 'utf8' },
    );
    expect(b.status, b.stderr).toBe(0);
    const r = spawnSync(process.execPath, [join(out, 'entry.js')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const at = (dir: string, file: string) => ({
      url: pathToFileURL(join(dir, file)).href,
      dirname: dir,
      filename: join(dir, file),
    });
    expect(JSON.parse(r.stdout)).toEqual({
      entry: at(fixture, 'entry.ts'),
      nested: at(join(fixture, 'deep/nested'), 'where.ts'),
      lazy: { ...at(join(fixture, 'deep'), 'lazy.ts'), shared: join(fixture, '../../../../shared/data') },
    });
  });
});
