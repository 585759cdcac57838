#!/usr/bin/env node
// Launcher: runs the build in dist/ (made by `npm run build`, which `npm ci` runs as `prepare`), so `bom`
// starts without transpiling TypeScript. When there is no build (`npm ci --ignore-scripts`), or a source
// file changed since it was made, it says so in one line on stderr and runs the sources through tsx, as
// before the build existed: slower to start, never stale. BOM_FROM_SOURCE=1 picks tsx without the warning.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);

/** Why dist/ cannot be used (missing, or a source changed since the build), or null when it is current. */
function staleBuild() {
  let sources;
  try {
    sources = JSON.parse(readFileSync(new URL('dist/build.json', root), 'utf8')).sources;
  } catch {
    return 'no build in dist/ (was `npm ci --ignore-scripts` used?)';
  }
  for (const [path, mtime] of Object.entries(sources)) {
    let now;
    try {
      now = statSync(new URL(path, root)).mtimeMs;
    } catch {
      now = undefined;
    }
    if (now !== mtime) return `${path} changed since the last build`;
  }
  return null;
}

const why = process.env['BOM_FROM_SOURCE'] === '1' ? 'BOM_FROM_SOURCE' : staleBuild();
if (why === null) {
  // Stack traces name the .ts files and lines (dist/*.js.map).
  process.setSourceMapsEnabled(true);
  await import('../dist/cli.js');
} else {
  if (why !== 'BOM_FROM_SOURCE')
    process.stderr.write(
      `bom: ${why}; running the sources through tsx (slower); \`npm run build\` fixes this\n`,
    );
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
