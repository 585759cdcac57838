// The terminal table: one block per strategy, rows N, columns k, "pass@k [lo, hi]" in percent.
import type { EvalSummary } from './evaluate.ts';

const pct = (x: number) => (x * 100).toFixed(1);

export function renderTable(summary: EvalSummary): string {
  const lines: string[] = [];
  lines.push(
    `${summary.graded}/${summary.problems} problems graded · answers: ${summary.answers} · trials ${summary.trials} · seed ${summary.seed}`,
  );
  const strategies = [...new Set(summary.results.map((r) => r.strategy))];
  // The label column fits the longest label (a spec such as `maj:adaptive=0.95:adaptive_rule=window`),
  // so every column lines up under its header.
  const calibrationLabel = (c: { strategy: string; N: number }) => `  ${c.strategy} N=${c.N}`;
  const width = Math.max(
    24,
    ...strategies.map((s) => s.length + 2),
    ...(summary.calibration ?? []).map((c) => calibrationLabel(c).length + 2),
  );
  const header = (title: string) =>
    `${title.padEnd(width)}${summary.ks.map((k) => `pass@${k}`.padStart(22)).join('')}`;
  const costHeader = `${'samples'.padStart(14)}${summary.results.some((r) => r.mean_tokens !== undefined) ? 'tokens'.padStart(14) : ''}`;
  for (const s of strategies) {
    lines.push('', header(s) + costHeader);
    for (const n of summary.Ns) {
      const row = summary.ks.map((k) => {
        const r = summary.results.find((x) => x.strategy === s && x.N === n && x.k === k);
        // No CI from fewer than two problems (stats.ts): said, not printed as NaN.
        const ci = Number.isFinite(r?.ci[0]) ? `[${pct(r!.ci[0])}, ${pct(r!.ci[1])}]` : '[n/a]';
        return (r ? `${pct(r.pass_at_k)} ${ci}` : '—').padStart(22);
      });
      if (row.some((c) => c.trim() !== '—'))
        lines.push(`  N=${n}`.padEnd(width) + row.join('') + costColumns(summary, s, n));
    }
  }
  if (summary.oracle.length > 0) {
    // Not a ceiling: pass@k of the policy is what k unselected samples score, which a selector over N
    // samples should beat. The ceiling is coverage, pass@N: some sample among the N is correct.
    lines.push('', `${header('k random samples')}${'ceiling pass@N'.padStart(16)}`);
    for (const n of summary.Ns) {
      const rows = summary.oracle.filter((o) => o.N === n);
      if (rows.length === 0) continue;
      lines.push(
        `  N=${n}`.padEnd(width) +
          summary.ks
            .map((k) => pct(rows.find((o) => o.k === k)?.pass_at_k ?? Number.NaN).padStart(22))
            .join('') +
          pct(rows[0]!.coverage).padStart(16),
      );
    }
    lines.push(
      "  (k random samples: the policy's pass@k, no selection; ceiling: pass@N, coverage — no selector beats it)",
    );
  }
  if ((summary.calibration ?? []).length > 0) {
    // How far selection.confidence is from the first choice's accuracy (10 equal-width bins).
    lines.push(
      '',
      `${'calibration'.padEnd(width)}${'confidence is'.padStart(20)}${'mean conf'.padStart(12)}${'accuracy'.padStart(12)}${'ECE'.padStart(10)}`,
    );
    for (const c of summary.calibration) {
      lines.push(
        calibrationLabel(c).padEnd(width) +
          (c.basis === 'weighted_share' ? 'weighted share' : 'vote share').padStart(20) +
          pct(c.mean_confidence).padStart(12) +
          pct(c.accuracy).padStart(12) +
          pct(c.ece).padStart(10),
      );
    }
  }
  for (const w of summary.warnings) lines.push(`warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Mean samples (and completion tokens) drawn per trial for one strategy at one N: one number when it is
 * the same for every k (fixed arms: N), else one per k joined by '/' (an adaptive rule stops per k).
 */
function costColumns(summary: EvalSummary, strategy: string, n: number): string {
  const rows = summary.ks
    .map((k) => summary.results.find((x) => x.strategy === strategy && x.N === n && x.k === k))
    .filter((r) => r !== undefined);
  if (rows.length === 0) return '';
  const join = (values: string[]) => ([...new Set(values)].length === 1 ? values[0]! : values.join('/'));
  const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
  const samples = join(rows.map((r) => fmt(r.mean_samples)));
  const anyTokens = summary.results.some((r) => r.mean_tokens !== undefined);
  const tokens = anyTokens
    ? join(rows.map((r) => (r.mean_tokens === undefined ? '—' : r.mean_tokens.toFixed(0)))).padStart(14)
    : '';
  return samples.padStart(14) + tokens;
}
