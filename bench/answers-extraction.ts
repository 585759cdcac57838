// Extraction accuracy: the blind cases (test/answers/extraction-blind.txt), per kind, and the public
// extraction cases (../shared/data/equivalence/extraction_cases.jsonl) where our options can express
// their config. Run: npx tsx bench/answers-extraction.ts [--verbose]
import { readFileSync } from 'node:fs';
import { extractAnswer } from '../src/answers/index.ts';
import { sharedDataFile } from '../eval/shared-data.ts';
import { extractionOk, readExtractionCases } from '../test/answers/extraction-blind.ts';

const verbose = process.argv.includes('--verbose');
const cases = readExtractionCases();
const kinds = new Map<string, { n: number; ok: number }>();
let ok = 0;
let marked = 0;
for (const c of cases) {
  const r = extractionOk(c);
  const k = kinds.get(c.kind) ?? { n: 0, ok: 0 };
  k.n++;
  if (r.ok) {
    k.ok++;
    ok++;
  } else if (verbose) {
    console.log(
      `MISS ${c.line} [${c.kind}] want ${c.expected ?? '∅'} got ${JSON.stringify(r.value)} via ${r.rule}`,
    );
  }
  if (c.miss) marked++;
  kinds.set(c.kind, k);
}
console.log(
  `blind extraction: ${ok}/${cases.length} = ${((ok / cases.length) * 100).toFixed(1)}% (${marked} marked miss)`,
);
for (const [kind, k] of kinds) console.log(`  ${kind.padEnd(40)} ${k.ok}/${k.n}`);

const file = sharedDataFile('equivalence/extraction_cases.jsonl');
if (file === null) {
  console.log('public extraction cases: shared data not found; skipping');
  process.exit(0);
}
interface Row {
  id: string;
  input: string;
  expected_extraction: unknown;
  config: string;
}
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Row);
let pOk = 0;
let pN = 0;
for (const r of rows) {
  // Configs our options cannot express (boxes disabled, the malformed-operator switch) are not scored.
  if (/boxed_match_priority=-1|malformed_operators=False/.test(r.config)) {
    if (verbose) console.log(`n/a  ${r.id}`);
    continue;
  }
  pN++;
  const strings = /strings=\('([^']*)',?\)/.exec(r.config)?.[1];
  const choices = r.config.startsWith('StringExtractionConfig') ? (strings ?? 'ABCD') : undefined;
  const a = extractAnswer(r.input, choices ? { choices } : {});
  let want: string | null;
  const e = r.expected_extraction;
  if (Array.isArray(e)) want = e.length === 0 ? null : String(e[e.length - 1]);
  else if (typeof e === 'string') want = e;
  else want = JSON.stringify(e);
  let good: boolean;
  if (/len==1/.test(String(e))) good = a.value !== null;
  else if (/\[0\]==9999/.test(String(e))) good = a.value === '9999';
  else if (/Rational\(1,2\)/.test(String(e))) good = a.value !== null && /\\frac12|1\/2/.test(a.value);
  else good = want === null ? a.value === null : a.value?.toUpperCase() === want.toUpperCase();
  if (good) pOk++;
  if (verbose || !good)
    console.log(
      `${good ? 'ok  ' : 'MISS'} ${r.id}: ${JSON.stringify(r.input)} -> ${JSON.stringify(a.value)} (${a.rule}); want ${JSON.stringify(e)}`,
    );
}
console.log(`public extraction cases: ${pOk}/${pN} scored (${rows.length - pN} not expressible)`);
