// Agreement with the public checkers' own test cases (../shared/data/equivalence/equivalence_cases.jsonl),
// per source, honouring each row's config where it changes the label (precision, list order).
// Run: npx tsx bench/equivalence-yardstick.ts [--verbose] [--source NAME] [--one-policy]
import { readFileSync } from 'node:fs';
import { type CheckOptions, checkAnswer } from '../src/answers/check.ts';
import type { EquivalenceOptions } from '../src/answers/equivalent.ts';
import { sharedDataFile } from '../eval/shared-data.ts';

const file = sharedDataFile('equivalence/equivalence_cases.jsonl');
if (file === null) {
  console.log(
    'yardstick: shared data equivalence/equivalence_cases.jsonl not found (set BOM_SHARED_DATA); skipping',
  );
  process.exit(0);
}

interface Row {
  source: string;
  id: string;
  gold: string | null;
  pred: string | null;
  expected: boolean;
  config: {
    precision?: number;
    float_rounding?: number;
    match_types?: unknown;
    strict?: boolean;
    allow_set_relation_comp?: boolean;
    language?: string;
    api?: string;
  };
}

const verbose = process.argv.includes('--verbose');
const only = process.argv.includes('--source')
  ? process.argv[process.argv.indexOf('--source') + 1]
  : undefined;
/**
 * A row whose config names hendrycks' `is_equiv` (string equality, so lists are ordered) is checked with
 * `listOrder: 'ordered'`; `--one-policy` checks every row with the server's default policy instead.
 */
const perSource = !process.argv.includes('--one-policy');

const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Row);

const stats = new Map<
  string,
  { n: number; ok: number; falseMerges: number; anyFalse: number; expectedFalse: number }
>();
let checks = 0;
const t0 = performance.now();
for (const r of rows) {
  if (only && !r.source.includes(only)) continue;
  const options: EquivalenceOptions & CheckOptions = {};
  const types = Array.isArray(r.config.match_types) ? (r.config.match_types as string[]) : null;
  // Extraction targets: LaTeX only means no plain-number fallback; native letters mean a multiple-choice
  // task (lighteval's tests use four options).
  if (types?.includes('NativeLetters')) options.choices = 'ABCD';
  else if (types && !types.includes('expr')) options.targets = ['latex'];
  // Plain-number extraction alone reads `1,22` as a decimal comma (Math-Verify's number pattern).
  if (types?.length === 1 && types[0] === 'expr') options.decimalComma = true;
  const p = r.config.precision ?? r.config.float_rounding;
  if (p !== undefined && p !== 6) options.precision = p;
  if (perSource && /math_equivalence\.is_equiv/.test(r.config.api ?? '')) options.listOrder = 'ordered';
  if (r.config.allow_set_relation_comp === false) options.setRelation = 'gold-relation';
  if (r.config.strict === false) options.strict = false;
  // Budgets are operation counts (deterministic); the default applies.
  let equal = false;
  let how = 'null';
  let gold: string | null = null;
  let pred: string | null = null;
  if (r.gold !== null && r.pred !== null) {
    const res = checkAnswer(r.gold, r.pred, options);
    ({ equal, how, gold, pred } = res);
    checks++;
  }
  const s = stats.get(r.source) ?? { n: 0, ok: 0, falseMerges: 0, anyFalse: 0, expectedFalse: 0 };
  s.n++;
  if (equal === r.expected) s.ok++;
  if (!r.expected) {
    s.expectedFalse++;
    if (equal && bothNumbers(gold, pred)) s.falseMerges++;
    if (equal) s.anyFalse++;
  }
  stats.set(r.source, s);
  if (verbose && equal !== r.expected) {
    console.log(
      `MISS ${r.expected ? 'T' : 'F'} [${r.source.split('/')[1]}] ${JSON.stringify(r.gold).slice(0, 100)} | ${JSON.stringify(r.pred).slice(0, 100)}`,
    );
    console.log(
      `     got ${equal} via ${how}: ${JSON.stringify(gold)?.slice(0, 80)} vs ${JSON.stringify(pred)?.slice(0, 80)}`,
    );
  }
}
const ms = performance.now() - t0;

/** Both extracted answers are plain numbers with different values: a false merge of two numbers. */
function bothNumbers(a: string | null, b: string | null): boolean {
  const num = (x: string | null): number | null => {
    const t = x === null ? '' : x.replace(/[$\s]/g, '').replace(/,(?=\d{3}\b)/g, '');
    return /^-?(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : null;
  };
  const x = num(a);
  const y = num(b);
  return x !== null && y !== null && x !== y;
}

console.log(
  `policy: ${perSource ? 'per-row config (hendrycks is_equiv: ordered lists)' : 'default (one policy for all)'}`,
);
console.log(
  'source                              agree        %   expected-false  false-merges(different numbers)  equal-on-expected-false(any)',
);
let all = 0;
let allOk = 0;
for (const [src, s] of stats) {
  all += s.n;
  allOk += s.ok;
  console.log(
    `${src.padEnd(36)}${`${s.ok}/${s.n}`.padStart(8)} ${((100 * s.ok) / s.n).toFixed(1).padStart(7)}%  ${String(s.expectedFalse).padStart(10)}  ${String(s.falseMerges).padStart(14)}  ${String(s.anyFalse).padStart(28)}`,
  );
}
console.log(
  `${'all'.padEnd(36)}${`${allOk}/${all}`.padStart(8)} ${((100 * allOk) / all).toFixed(1).padStart(7)}%`,
);
console.log(
  `${checks} checks (extract both sides + compare) in ${ms.toFixed(0)} ms: ${((checks / ms) * 1000).toFixed(0)} checks/s`,
);
