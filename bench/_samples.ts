// Loader for the recorded MATH samples (shared data, read in place); benchmarks only.
import { readFileSync } from 'node:fs';
import { sharedDataFile } from '../eval/shared-data.ts';

const SAMPLES = 'samples/qwen25math_math_cot_100_rm_maj.jsonl';

export interface Problem {
  idx: string | number;
  gt: string;
  code: string[];
  pred: string[];
  score: boolean[];
}

/** The problems, or null (after saying so) when the shared data is absent. */
export function loadProblems(): Problem[] | null {
  const file = sharedDataFile(SAMPLES);
  if (file === null) {
    console.log(`shared data ${SAMPLES} not found (set BOM_SHARED_DATA); skipping`);
    return null;
  }
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Problem);
}
