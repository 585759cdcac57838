import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstCorrectRank, passAtK } from '../../eval/passk.ts';
import { sharedDataDir } from '../../eval/shared-data.ts';
import { majority } from '../../strategies/index.ts';
import { clusteringOf, countingScores } from '../strategies/helpers.ts';

/** 1 − C(n−c,k)/C(n,k) in exact rational arithmetic, as a float at the end. */
function exactPassAtK(n: number, c: number, k: number): number {
  const choose = (a: number, b: number): bigint => {
    if (b < 0 || b > a) return 0n;
    let r = 1n;
    for (let i = 1; i <= b; i++) r = (r * BigInt(a - b + i)) / BigInt(i);
    return r;
  };
  const num = choose(n - c, k);
  const den = choose(n, k);
  // 1 − num/den with 30 significant digits before converting.
  const scale = 10n ** 30n;
  return Number(((den - num) * scale) / den) / 1e30;
}

describe('oracle pass@k (Codex estimator)', () => {
  it('matches hand-computed values', () => {
    expect(passAtK(2, 1, 1)).toBeCloseTo(0.5, 15);
    expect(passAtK(3, 1, 2)).toBeCloseTo(2 / 3, 15); // 1 − C(2,2)/C(3,2)
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 15); // 1 − C(3,2)/C(5,2) = 1 − 3/10
    expect(passAtK(10, 0, 3)).toBe(0);
    expect(passAtK(10, 10, 3)).toBe(1);
    expect(passAtK(10, 8, 3)).toBe(1); // n − c < k
    expect(passAtK(4, 1, 4)).toBe(1);
  });

  it('k = 1 is the fraction correct', () => {
    for (const [n, c] of [
      [7, 3],
      [100, 91],
      [10_000, 1],
    ] as const) {
      expect(passAtK(n, c, 1)).toBeCloseTo(c / n, 14);
    }
  });

  it('stays accurate up to n = 10,000 (against exact BigInt arithmetic)', () => {
    const cases: [number, number, number][] = [
      [10_000, 1, 1],
      [10_000, 1, 10_000],
      [10_000, 3, 100],
      [10_000, 50, 10],
      [10_000, 5000, 2],
      [10_000, 9990, 5],
      [1000, 17, 500],
      [500, 2, 250],
    ];
    for (const [n, c, k] of cases) {
      const exact = exactPassAtK(n, c, k);
      const got = passAtK(n, c, k);
      expect(Math.abs(got - exact)).toBeLessThan(1e-12 * Math.max(1, exact));
    }
  });

  it('is monotone in k and in c', () => {
    for (let k = 1; k < 20; k++) expect(passAtK(40, 5, k + 1)).toBeGreaterThanOrEqual(passAtK(40, 5, k));
    for (let c = 0; c < 40; c++) expect(passAtK(40, c + 1, 3)).toBeGreaterThanOrEqual(passAtK(40, c, 3));
  });

  it('rejects impossible arguments', () => {
    expect(() => passAtK(3, 4, 1)).toThrow(RangeError);
    expect(() => passAtK(3, 1, 0)).toThrow(RangeError);
    expect(() => passAtK(3, 1, 4)).toThrow(RangeError);
    expect(() => passAtK(3.5, 1, 1)).toThrow(RangeError);
  });
});

describe('strategy pass@k', () => {
  it('is a hit when any of the first k submitted clusters is correct', async () => {
    const keys = ['w', 'w', 'w', 'r', 'r', 'x'];
    const correct = Uint8Array.from(keys, (k) => (k === 'r' ? 1 : 0));
    const sel = await majority.select(
      { clustering: clusteringOf(keys), score: countingScores([]).score },
      { k: 3 },
    );
    // Rank 1 (0-based): a hit for every k ≥ 2, a miss at k = 1.
    expect(firstCorrectRank(sel, correct)).toBe(1);
  });

  it('the "no answer" cluster is never a hit, whatever its representative wrote', async () => {
    const keys = [null, null, 'r'];
    const sel = await majority.select(
      { clustering: clusteringOf(keys), score: countingScores([]).score },
      { k: 2 },
    );
    expect(firstCorrectRank(sel, Uint8Array.from([1, 1, 0]))).toBe(Number.POSITIVE_INFINITY);
  });
});

// lighteval's metric unit cases (shared data; skipped when absent).
const casesDir = sharedDataDir === null ? null : `${sharedDataDir}/metric_cases`;
const hasCases = casesDir !== null;

interface LightevalCase {
  name: string;
  metric_params: { k: number; n?: number };
  doc: { choices: string[]; gold_index: number | number[] };
  model_response: { text: string[] };
  expected_output: Record<string, number>;
  tolerance: number;
}
const load = (file: string): LightevalCase[] =>
  (JSON.parse(readFileSync(`${casesDir}/${file}`, 'utf8')) as { test_cases: LightevalCase[] }).test_cases;
const gold = (c: LightevalCase) => {
  const idx = Array.isArray(c.doc.gold_index) ? c.doc.gold_index[0]! : c.doc.gold_index;
  return c.doc.choices[idx]!;
};

describe.skipIf(!hasCases)('lighteval metric cases', () => {
  it.each(hasCases ? [...load('lighteval_pass_at_k.json'), ...load('lighteval_pass_at_k_math.json')] : [])(
    'pass@k: $name',
    (c) => {
      const texts = c.model_response.text;
      const n = c.metric_params.n ?? texts.length;
      const correct = texts.slice(0, n).filter((t) => t === gold(c)).length;
      const expected = Object.values(c.expected_output)[0]!;
      expect(Math.abs(passAtK(n, correct, c.metric_params.k) - expected)).toBeLessThanOrEqual(c.tolerance);
    },
  );

  it.each(hasCases ? load('lighteval_maj_at_k.json') : [])(
    'maj@k through the majority strategy: $name',
    async (c) => {
      const texts = c.model_response.text.slice(0, c.metric_params.k);
      const sel = await majority.select(
        { clustering: clusteringOf(texts), score: countingScores([]).score },
        { k: 1 },
      );
      const correct = Uint8Array.from(texts, (t) => (t === gold(c) ? 1 : 0));
      const hit = Number.isFinite(firstCorrectRank(sel, correct)) ? 1 : 0;
      expect(hit).toBe(Object.values(c.expected_output)[0]);
    },
  );
});
