// `npm run build` (and `prepare`, so `npm ci` runs it): bundles the CLI from its one entry, src/cli.ts,
// into dist/ with esbuild, so `bom` starts without transpiling TypeScript on every run.
// - It follows imports from the entry: no list of source files to keep up to date.
// - Dependencies stay external (`packages: 'external'`): onnxruntime-node, @huggingface/transformers and
//   the rest load from node_modules exactly as under tsx, and their dynamic import()s stay lazy.
// - Code splitting keeps each subcommand's dynamic import() a separate chunk, so `bom --help` loads little.
// - `import.meta.url` (and .dirname/.filename) in a source file still mean that .ts file, wherever its
//   code lands in dist/: paths such as `new URL('../../shared/data', import.meta.url)` resolve as before.
// - dist/build.json records every source file bundled with its mtime, so bin/bom.mjs can tell a stale
//   build from a fresh one.
// Plain JavaScript on purpose: it must run straight after `npm ci`, before anything is compiled.
// Usage: node scripts/build.mjs [--entry src/cli.ts] [--outdir dist]   (the options are for the tests)
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { entry: { type: 'string', default: 'src/cli.ts' }, outdir: { type: 'string', default: 'dist' } },
});
const outdir = resolve(root, values.outdir);
const posix = (p) => p.split(sep).join('/');

/** Rewrites `import.meta.url|dirname|filename` in our sources to the source file's own location. */
const sourceLocation = {
  name: 'source-location',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta')) return { contents: text, loader: 'ts' };
      const other = /\bimport\.meta\.(?!(?:url|dirname|filename)\b)\w+/.exec(text);
      if (other)
        return {
          errors: [
            {
              text: `${other[0]} in ${posix(relative(root, args.path))}: the build only maps url, dirname and filename`,
            },
          ],
        };
      // A hoisted function at the end keeps every line where it was, so source maps stay exact.
      const rel = JSON.stringify(posix(relative(outdir, args.path)));
      const contents =
        text.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key) => `__bomSource().${key}`) +
        `\nimport { dirname as __bomDirname } from 'node:path';` +
        ` import { fileURLToPath as __bomFileURLToPath } from 'node:url';` +
        ` function __bomSource() { const url = new URL(${rel}, import.meta.url).href;` +
        ` const filename = __bomFileURLToPath(url); return { url, filename, dirname: __bomDirname(filename) }; }\n`;
      return { contents, loader: 'ts' };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const started = performance.now();
const result = await esbuild
  .build({
    absWorkingDir: root,
    entryPoints: [values.entry],
    outdir,
    // Every output file sits directly in dist/ (the import.meta rewrite above counts on it).
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Error classes and the like keep their names when bundling renames a clashing identifier.
    keepNames: true,
    // Maps point stack traces at the .ts files; the sources themselves are in the repo, not in the maps.
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceLocation],
  })
  // esbuild has printed the errors already.
  .catch(() => process.exit(1));
const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('node_modules/'));
const sources = Object.fromEntries(inputs.map((p) => [p, statSync(join(root, p)).mtimeMs]));
writeFileSync(join(outdir, 'build.json'), `${JSON.stringify({ sources }, null, 1)}\n`);
const files = Object.keys(result.metafile.outputs).filter((p) => p.endsWith('.js')).length;
console.log(
  `bom: built ${posix(relative(root, outdir)) || '.'}/ (${files} files from ${inputs.length} sources) in ${Math.round(performance.now() - started)} ms`,
);
