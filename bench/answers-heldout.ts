// Agreement with the held-out-style pairs (test/answers/heldout-style.txt: written independently of the
// public yardstick), run through the public command `bom answers check` (JSONL in, one verdict per line
// out), per family, with false merges (pairs a careful grader keeps apart that were judged equal).
// Run: npx tsx bench/answers-heldout.ts [--verbose] [--blind]   (--blind: test/answers/heldout-blind.txt)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readBlind, readHeldout } from '../test/answers/heldout-style.ts';

const verbose = process.argv.includes('--verbose');
const pairs = process.argv.includes('--blind') ? readBlind() : readHeldout();
const bin = fileURLToPath(new URL('../bin/bom.mjs', import.meta.url));
const input = pairs
  .map((p) => JSON.stringify({ gold: p.gold, pred: p.pred, ...(p.problem ? { problem: p.problem } : {}) }))
  .join('\n');
const r = spawnSync(process.execPath, [bin, 'answers', 'check'], { input: `${input}\n`, encoding: 'utf8' });
if (r.status !== 0) {
  console.error(r.stderr);
  process.exit(1);
}
const out = r.stdout
  .trimEnd()
  .split('\n')
  .map((l) => JSON.parse(l) as { equal: boolean; rule: string; types: unknown[] });
if (out.length !== pairs.length) throw new Error(`${out.length} verdicts for ${pairs.length} pairs`);

const families = new Map<string, { n: number; ok: number }>();
let ok = 0;
let falseMerges = 0;
let missedMerges = 0;
pairs.forEach((p, i) => {
  const v = out[i]!;
  const f = families.get(p.family) ?? { n: 0, ok: 0 };
  f.n++;
  if (v.equal === p.equal) {
    f.ok++;
    ok++;
  } else {
    if (v.equal) falseMerges++;
    else missedMerges++;
    if (verbose)
      console.log(
        `MISS ${p.equal ? '=' : '≠'} line ${p.line} [${p.family}] ${p.gold} ~~ ${p.pred}  (${v.rule})`,
      );
  }
  families.set(p.family, f);
});
for (const [name, f] of families)
  console.log(
    `${name.padEnd(60)}${`${f.ok}/${f.n}`.padStart(9)} ${((100 * f.ok) / f.n).toFixed(1).padStart(6)}%`,
  );
console.log(
  `${'all'.padEnd(60)}${`${ok}/${pairs.length}`.padStart(9)} ${((100 * ok) / pairs.length).toFixed(1).padStart(6)}%`,
);
console.log(
  `equal pairs ${pairs.filter((p) => p.equal).length}, different pairs ${pairs.filter((p) => !p.equal).length}; missed merges ${missedMerges}, false merges ${falseMerges}`,
);
