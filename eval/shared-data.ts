// Where the shared, read-only datasets live. They are never copied into the repo: tests and benchmarks
// read them in place and skip cleanly when absent. BOM_SHARED_DATA overrides the search.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const candidates = [
  process.env['BOM_SHARED_DATA'],
  fileURLToPath(new URL('../../shared/data', import.meta.url)),
  '/work/shared/data',
].filter((p): p is string => Boolean(p));

/** Absolute path of the shared data folder, or null when this machine does not have it. */
export const sharedDataDir: string | null = candidates.find((p) => existsSync(p)) ?? null;

/** Absolute path of a file under the shared data folder, or null when it is absent. */
export function sharedDataFile(relative: string): string | null {
  if (sharedDataDir === null) return null;
  const path = `${sharedDataDir}/${relative}`;
  return existsSync(path) ? path : null;
}
