// Terminal rendering of `bom ab`.
import type { AbSummary } from './ab.ts';

const pct = (x: number) => (x * 100).toFixed(1);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${pct(x)}`;

export function renderAb(s: AbSummary): string {
  const lines = [
    `A = ${s.a}   B = ${s.b}   (paired: same problems, draws and rewards; ${s.trials} trials, seed ${s.seed})`,
  ];
  for (const r of s.comparisons) {
    lines.push(
      '',
      `N=${r.N} k=${r.k}: A ${pct(r.a)}  B ${pct(r.b)}  A−B ${signed(r.diff)} ${Number.isFinite(r.ci[0]) ? `[${signed(r.ci[0])}, ${signed(r.ci[1])}]` : '[CI n/a: one problem]'}` +
        `  A better on ${r.wins}, B on ${r.losses}, tied ${r.ties} of ${r.problems}; exact sign test p = ${r.p_value.toPrecision(3)}`,
    );
    for (const d of r.disagreements) {
      const clusters = d.clusters
        .map(
          (c) =>
            `${c.answer ?? '∅'}×${c.votes}${c.reward === null ? '' : ` r=${c.reward.toFixed(2)}`}${c.correct ? ' ✓' : ''}`,
        )
        .join(', ');
      lines.push(
        `  ${d.id}: A ${pct(d.a)} ${JSON.stringify(d.a_answers)}  B ${pct(d.b)} ${JSON.stringify(d.b_answers)}  clusters: ${clusters}`,
      );
    }
  }
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  return `${lines.join('\n')}\n`;
}
