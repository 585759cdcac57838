// The command-line contract scripts rely on: `bom eval --json` shape, --html, bad-line policy, `bom ab`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateRecords } from '../../eval/sim-source.ts';

const bin = new URL('../../bin/bom.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'bom-cli-'));
const samples = join(dir, 'sim.jsonl');
writeFileSync(
  samples,
  `${simulateRecords({ problems: 12, samples: 8, seed: 2 })
    .map((r) => JSON.stringify(r))
    .join('\n')}\n`,
);
const bom = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('bom eval (CLI)', () => {
  it('--json prints one document with results (strategy, N, k, pass_at_k, ci) and oracle (N, k, pass_at_k)', () => {
    const html = join(dir, 'report.html');
    const r = bom(
      'eval',
      '--samples',
      samples,
      '--strategies',
      'majority,best-of-n,best-of-majority,weighted-majority',
      '--N',
      '1,2,8',
      '--k',
      '1,2',
      '--trials',
      '20',
      '--seed',
      '1',
      '--json',
      '--html',
      html,
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.results).toHaveLength(4 * 3 * 2);
    for (const row of doc.results) {
      expect(Object.keys(row)).toEqual(expect.arrayContaining(['strategy', 'N', 'k', 'pass_at_k', 'ci']));
      expect(row.ci[0]).toBeLessThanOrEqual(row.pass_at_k);
      expect(row.ci[1]).toBeGreaterThanOrEqual(row.pass_at_k);
    }
    expect(doc.oracle).toHaveLength(3 * 2);
    expect(Object.keys(doc.oracle[0])).toEqual(expect.arrayContaining(['N', 'k', 'pass_at_k']));
    const page = readFileSync(html, 'utf8');
    expect(page.match(/<svg/g)?.length).toBeGreaterThanOrEqual(5);
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('a malformed line stops the run naming file:line, or is skipped with --on-bad-line skip', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${readFileSync(samples, 'utf8')}{"id": "cut", "samp`);
    const stop = bom('eval', '--samples', bad, '--N', '2', '--k', '1', '--trials', '5', '--json');
    expect(stop.status).toBe(2);
    expect(stop.stderr).toMatch(/bad_input_line.*bad\.jsonl:13: truncated line/);
    const skip = bom(
      'eval',
      '--samples',
      bad,
      '--N',
      '2',
      '--k',
      '1',
      '--trials',
      '5',
      '--json',
      '--on-bad-line',
      'skip',
    );
    expect(skip.status, skip.stderr).toBe(0);
    expect(JSON.parse(skip.stdout).warnings[0]).toMatch(/bad\.jsonl:13/);
  });
});

describe('bom ab (CLI)', () => {
  it('reports the paired difference, its CI, the exact sign test and disagreements', () => {
    const r = bom(
      'ab',
      '--samples',
      samples,
      '--a',
      'best-of-majority:alpha=0.3',
      '--b',
      'best-of-n',
      '--N',
      '8',
      '--trials',
      '1',
      '--show',
      '100',
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const row = doc.comparisons[0];
    expect(row).toMatchObject({ N: 8, k: 1, problems: 12 });
    expect(row.diff).toBeCloseTo(row.a - row.b, 12);
    expect(row.wins + row.losses + row.ties).toBe(12);
    expect(row.disagreements).toHaveLength(row.wins + row.losses);
    expect(row.p_value).toBeGreaterThan(0);
  });
});

describe('one problem (no CI can be computed)', () => {
  const one = join(dir, 'one.jsonl');
  writeFileSync(one, `${JSON.stringify(simulateRecords({ problems: 1, samples: 8, seed: 2 })[0])}\n`);

  it('bom eval says n/a (text, HTML) or null (JSON) for the CI, never a zero-width interval or NaN', () => {
    const html = join(dir, 'one.html');
    const text = bom(
      'eval',
      '--samples',
      one,
      '--strategies',
      'majority',
      '--N',
      '1,8',
      '--k',
      '1',
      '--html',
      html,
    );
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('n/a');
    expect(text.stdout).not.toContain('NaN');
    expect(readFileSync(html, 'utf8')).not.toContain('NaN');
    const json = bom('eval', '--samples', one, '--strategies', 'majority', '--N', '8', '--k', '1', '--json');
    expect(JSON.parse(json.stdout).results[0].ci).toEqual([null, null]);
  });

  it('bom ab says n/a for the CI of the difference', () => {
    const r = bom('ab', '--samples', one, '--a', 'majority', '--b', 'best-of-n', '--N', '8');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('n/a');
    expect(r.stdout).not.toContain('NaN');
  });
});
