// Reader of test/answers/heldout-style.txt: held-out-style answer pairs with the verdict a careful grader
// gives (see the file's header for the format). Used by heldout-style.test.ts and bench/answers-heldout.ts.
import { readFileSync } from 'node:fs';

export interface HeldoutPair {
  readonly line: number;
  readonly family: string;
  readonly equal: boolean;
  readonly gold: string;
  readonly pred: string;
  readonly problem?: string;
  /** Marked `miss`: a known miss the code does not decide right yet (the test holds it to that). */
  readonly miss: boolean;
}

export const HELDOUT_FILE = new URL('./heldout-style.txt', import.meta.url);

export function readHeldout(text = readFileSync(HELDOUT_FILE, 'utf8')): HeldoutPair[] {
  const out: HeldoutPair[] = [];
  let family = '';
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('## ')) family = line.slice(3).trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(miss )?(=|!=) (.*)$/.exec(line);
    if (!m) throw new Error(`heldout-style.txt:${i + 1}: expected '= ' or '!= '`);
    const fields = m[3]!.split(' ~~ ').map((f) => f.trim());
    if (fields.length < 2 || fields.length > 3 || fields.some((f) => f === ''))
      throw new Error(`heldout-style.txt:${i + 1}: expected gold ~~ pred [~~ problem]`);
    const [gold, pred, problem] = fields as [string, string, string | undefined];
    out.push({
      line: i + 1,
      family,
      equal: m[2] === '=',
      gold,
      pred,
      ...(problem ? { problem } : {}),
      miss: m[1] !== undefined,
    });
  });
  return out;
}
