// Reader of test/answers/heldout-style.txt: held-out-style answer pairs with the verdict a careful grader
// gives (see the file's header for the format). Used by the heldout-*.test.ts files (through
// pairs-check.ts) and bench/answers-heldout.ts.
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
/** Blind pairs: written without reading heldout-style.txt and before running them (an unbiased estimate). */
export const BLIND_FILE = new URL('./heldout-blind.txt', import.meta.url);

/** Reads a pairs file; `⏎` in a field stands for a line break (whole multi-line responses). */
export function readHeldout(
  text = readFileSync(HELDOUT_FILE, 'utf8'),
  name = 'heldout-style.txt',
): HeldoutPair[] {
  const out: HeldoutPair[] = [];
  let family = '';
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('## ')) family = line.slice(3).trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(miss )?(=|!=) (.*)$/.exec(line);
    if (!m) throw new Error(`${name}:${i + 1}: expected '= ' or '!= '`);
    const fields = m[3]!.split(' ~~ ').map((f) => f.trim().replace(/ ?⏎ ?/g, '\n'));
    if (fields.length < 2 || fields.length > 3 || fields.some((f) => f === ''))
      throw new Error(`${name}:${i + 1}: expected gold ~~ pred [~~ problem]`);
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

export function readBlind(): HeldoutPair[] {
  return readHeldout(readFileSync(BLIND_FILE, 'utf8'), 'heldout-blind.txt');
}
