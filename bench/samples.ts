// Loader for the recorded MATH samples (../shared/data/samples); benchmarks only.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const SAMPLES = resolve(
  import.meta.dirname,
  '../../shared/data/samples/qwen25math_math_cot_100_rm_maj.jsonl',
);

export interface Problem {
  idx: string | number;
  gt: string;
  code: string[];
  pred: string[];
  score: boolean[];
}

/** The problems, or null (after saying so) when the shared data is absent. */
export function loadProblems(): Problem[] | null {
  const file = process.env['BOM_SAMPLES'] ?? SAMPLES;
  if (!existsSync(file)) {
    console.log(`${file} not found; skipping`);
    return null;
  }
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Problem);
}
