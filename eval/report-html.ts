// Self-contained HTML report of `bom eval`: inline SVG plots (Pass@k vs N per k, Pass@k vs k per N,
// strategies side by side with bootstrap confidence bands, the random-sample baseline and the pass@N
// ceiling dotted; each strategy its own colour, dash and marker, coinciding lines nudged apart), the result
// table and per-problem results. No scripts, no external assets: it opens anywhere, offline.
import type { EvalRun, EvalSummary, ResultRow } from './evaluate.ts';
import { perProblemRows } from './per-problem.ts';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number) => (x * 100).toFixed(1);

interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  /** An SVG stroke-dasharray; overrides `dashed`. */
  dash?: string;
  /** Point marker; default a circle. */
  marker?: Marker;
  points: { x: number; y: number; lo?: number; hi?: number }[];
}

type Marker = 'circle' | 'square' | 'triangle' | 'diamond' | 'down' | 'cross';
/** Each strategy its own dash pattern and marker as well as colour, so equal curves stay distinguishable. */
const DASHES = ['', '7 3', '2 3', '9 3 2 3', '4 4', '12 4'];
const MARKERS: Marker[] = ['circle', 'square', 'triangle', 'diamond', 'down', 'cross'];
/** Pixels between lines that would coincide (identical values at a point): each stays visible. */
const NUDGE = 3;

function markerSvg(kind: Marker, x: number, y: number, color: string, title: string): string {
  const t = `<title>${title}</title>`;
  const r = 3;
  const f = (n: number) => n.toFixed(1);
  switch (kind) {
    case 'square':
      return `<rect x="${f(x - r)}" y="${f(y - r)}" width="${2 * r}" height="${2 * r}" fill="${color}">${t}</rect>`;
    case 'triangle':
      return `<polygon points="${f(x)},${f(y - r - 1)} ${f(x + r + 0.5)},${f(y + r)} ${f(x - r - 0.5)},${f(y + r)}" fill="${color}">${t}</polygon>`;
    case 'down':
      return `<polygon points="${f(x)},${f(y + r + 1)} ${f(x + r + 0.5)},${f(y - r)} ${f(x - r - 0.5)},${f(y - r)}" fill="${color}">${t}</polygon>`;
    case 'diamond':
      return `<polygon points="${f(x)},${f(y - r - 1)} ${f(x + r + 1)},${f(y)} ${f(x)},${f(y + r + 1)} ${f(x - r - 1)},${f(y)}" fill="${color}">${t}</polygon>`;
    case 'cross':
      return `<path d="M${f(x - r)},${f(y - r)}L${f(x + r)},${f(y + r)}M${f(x - r)},${f(y + r)}L${f(x + r)},${f(y - r)}" stroke="${color}" stroke-width="2">${t}</path>`;
    default:
      return `<circle cx="${f(x)}" cy="${f(y)}" r="${r - 0.5}" fill="${color}">${t}</circle>`;
  }
}

/**
 * Vertical pixel offsets per series and point: where several series have the same value at the same
 * x, they are spread NUDGE px apart around the true position (the tooltips keep the exact values).
 */
function nudges(series: readonly Series[]): number[][] {
  const groups = new Map<string, number[]>();
  series.forEach((s, i) => {
    for (const p of s.points) {
      const key = `${p.x}|${p.y.toFixed(4)}`;
      const g = groups.get(key) ?? [];
      g.push(i);
      groups.set(key, g);
    }
  });
  return series.map((s, i) =>
    s.points.map((p) => {
      const g = groups.get(`${p.x}|${p.y.toFixed(4)}`)!;
      return (g.indexOf(i) - (g.length - 1) / 2) * NUDGE;
    }),
  );
}

/** "same as X" for a series whose every point equals an earlier one's, so the legend says why. */
function twins(series: readonly Series[]): (string | null)[] {
  const sig = (s: Series) => s.points.map((p) => `${p.x}|${p.y.toFixed(4)}`).join(',');
  return series.map((s, i) => {
    if (s.points.length === 0) return null;
    const j = series.findIndex((o, k) => k < i && sig(o) === sig(s));
    return j >= 0 ? series[j]!.name : null;
  });
}

/** A line chart with optional CI bands; `logX` spaces N = 1, 2, 4, … evenly. */
export function lineChart(
  title: string,
  xLabel: string,
  series: Series[],
  logX: boolean,
  /** Tick positions on the x axis; default every x a series has. */
  xTicks?: readonly number[],
): string {
  // The legend sits in the right margin, clear of the data.
  const W = 640;
  const H = 300;
  const m = { l: 48, r: 190, t: 28, b: 40 };
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  if (xs.length === 0) return '';
  const ys = series.flatMap((s) => s.points.flatMap((p) => [p.lo ?? p.y, p.hi ?? p.y]));
  const yMin = Math.max(0, Math.floor(Math.min(...ys) * 10) / 10);
  const yMax = Math.min(1, Math.ceil(Math.max(...ys) * 10) / 10 || 1);
  const fx = (x: number) => (logX ? Math.log2(x) : x);
  const x0 = fx(xs[0]!);
  const x1 = fx(xs[xs.length - 1]!);
  const px = (x: number) => m.l + (x1 === x0 ? 0.5 : (fx(x) - x0) / (x1 - x0)) * (W - m.l - m.r);
  const py = (y: number) => H - m.b - ((y - yMin) / (yMax - yMin || 1)) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">`,
    `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13" font-weight="600">${esc(title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const y = yMin + ((yMax - yMin) * i) / 4;
    parts.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${py(y)}" y2="${py(y)}" stroke="#eee"/>`,
      `<text x="${m.l - 6}" y="${py(y) + 4}" text-anchor="end" font-size="10">${pct(y)}</text>`,
    );
  }
  for (const x of xTicks ?? xs) {
    parts.push(`<text x="${px(x)}" y="${H - m.b + 14}" text-anchor="middle" font-size="10">${x}</text>`);
  }
  parts.push(`<text x="${W / 2}" y="${H - 6}" text-anchor="middle" font-size="11">${esc(xLabel)}</text>`);
  // Every band first, faint, then every line on top: a band drawn after a line would veil it.
  for (const s of series) {
    const pts = s.points;
    if (pts.length > 0 && pts.every((p) => p.lo !== undefined && p.hi !== undefined)) {
      const band = [
        ...pts.map((p) => `${px(p.x)},${py(p.hi!)}`),
        ...[...pts].reverse().map((p) => `${px(p.x)},${py(p.lo!)}`),
      ];
      parts.push(`<polygon points="${band.join(' ')}" fill="${s.color}" fill-opacity="0.07"/>`);
    }
  }
  const offset = nudges(series);
  const same = twins(series);
  let ly = m.t + 6;
  series.forEach((s, i) => {
    const pts = s.points;
    const dash = s.dash ?? (s.dashed ? '5 4' : '');
    const at = (j: number) => [px(pts[j]!.x), py(pts[j]!.y) + offset[i]![j]!] as const;
    const d = pts
      .map((_, j) => {
        const [x, y] = at(j);
        return `${j === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
      })
      .join('');
    parts.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
    );
    pts.forEach((p, j) => {
      const [x, y] = at(j);
      parts.push(markerSvg(s.marker ?? 'circle', x, y, s.color, `${esc(s.name)}: ${pct(p.y)}%`));
    });
    // Legend: a short line in the series' own dash pattern with its marker.
    const lx = W - m.r + 8;
    parts.push(
      `<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
      markerSvg(s.marker ?? 'circle', lx + 11, ly, s.color, esc(s.name)),
      `<text x="${lx + 26}" y="${ly + 4}" font-size="10">${legendLines(s.name)
        .map((line, j) => `<tspan x="${lx + 26}" dy="${j === 0 ? 0 : 11}">${esc(line)}</tspan>`)
        .join('')}</text>`,
    );
    ly += (legendLines(s.name).length - 1) * 11;
    // A series equal to an earlier one everywhere says so under its name (it is drawn nudged apart).
    if (same[i]) {
      ly += 12;
      parts.push(
        `<text x="${lx + 26}" y="${ly + 4}" font-size="9" fill="#666">same values as ${esc(same[i]!)}</text>`,
      );
    }
    ly += 16;
  });
  parts.push('</svg>');
  return parts.join('');
}

function strategySeries(
  summary: EvalSummary,
  pick: (r: ResultRow) => boolean,
  x: (r: ResultRow) => number,
): Series[] {
  const names = [...new Set(summary.results.map((r) => r.strategy))];
  return names.map((name, i) => ({
    name,
    color: COLORS[i % COLORS.length]!,
    dash: DASHES[i % DASHES.length]!,
    marker: MARKERS[i % MARKERS.length]!,
    points: summary.results
      .filter((r) => r.strategy === name && pick(r))
      // No band where there is no CI (fewer than two problems).
      .map((r) => ({
        x: x(r),
        y: r.pass_at_k,
        ...(Number.isFinite(r.ci[0]) ? { lo: r.ci[0], hi: r.ci[1] } : {}),
      }))
      .sort((a, b) => a.x - b.x),
  }));
}

export function renderHtml(
  summary: EvalSummary & { samples?: string; format?: string },
  run?: EvalRun,
): string {
  const charts: string[] = [];
  for (const k of summary.ks) {
    const series = strategySeries(
      summary,
      (r) => r.k === k,
      (r) => r.N,
    );
    series.push({
      name: 'k random samples',
      color: '#555',
      dash: '3 3',
      marker: 'cross',
      points: summary.oracle.filter((o) => o.k === k).map((o) => ({ x: o.N, y: o.pass_at_k })),
    });
    series.push({
      name: 'ceiling: pass@N',
      color: '#aaa',
      dash: '1 3',
      points: summary.oracle.filter((o) => o.k === k).map((o) => ({ x: o.N, y: o.coverage })),
    });
    charts.push(lineChart(`Pass@${k} vs N`, 'N (samples)', series, true));
  }
  const byK: string[] = [];
  for (const n of summary.Ns) {
    if (summary.ks.length < 2) break;
    byK.push(
      lineChart(
        `Pass@k vs k at N=${n}`,
        'k (submissions)',
        strategySeries(
          summary,
          (r) => r.N === n,
          (r) => r.k,
        ),
        false,
      ),
    );
  }
  const frontier = frontierCharts(summary);
  const rows = summary.results
    .map(
      (r) =>
        `<tr><td>${esc(r.strategy)}</td><td>${r.N}</td><td>${r.k}</td><td>${pct(r.pass_at_k)}</td><td>${Number.isFinite(r.ci[0]) ? `${pct(r.ci[0])}–${pct(r.ci[1])}` : 'n/a'}</td><td>${r.problems}</td><td>${r.mean_scored.toFixed(1)}</td><td>${r.fallbacks}</td><td>${r.mean_samples.toFixed(2)}</td><td>${r.mean_tokens === undefined ? '—' : r.mean_tokens.toFixed(0)}</td></tr>`,
    )
    .join('');
  const oracleRows = summary.oracle
    .map(
      (o) => `<tr><td>${o.N}</td><td>${o.k}</td><td>${pct(o.pass_at_k)}</td><td>${pct(o.coverage)}</td></tr>`,
    )
    .join('');
  let perProblem = '';
  if (run) {
    const nMax = Math.max(...summary.Ns);
    const kMin = summary.ks[0]!;
    const pp = perProblemRows(run).slice(0, 1000);
    const names = [...new Set(summary.results.map((r) => r.strategy))];
    perProblem = `<h2>Per problem (Pass@${kMin}, largest N each problem has)</h2><table><tr><th>id</th><th>pool</th><th>correct</th>${names.map((n) => `<th>${esc(n)}</th>`).join('')}<th>clusters (answer×votes, ✓ = correct)</th></tr>${pp
      .map((p) => {
        const cells = names.map((n) => {
          const byN = p.results[n] ?? {};
          const key = String(
            Math.max(
              ...Object.keys(byN)
                .map(Number)
                .filter((x) => x <= nMax),
            ),
          );
          const v = byN[key]?.[0];
          return `<td>${v === undefined ? '—' : pct(v)}</td>`;
        });
        const clusters = p.clusters
          .slice(0, 12)
          .map((c) => `${esc(c.answer ?? '∅')}×${c.votes}${c.correct ? ' ✓' : ''}`)
          .join(', ');
        return `<tr><td>${esc(p.id)}</td><td>${p.size}</td><td>${p.correct}</td>${cells.join('')}<td class="c">${clusters}${p.clusters.length > 12 ? ', …' : ''}</td></tr>`;
      })
      .join('')}</table>`;
  }
  const warnings = summary.warnings.map((w) => `<li>${esc(w)}</li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bom eval report</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f6f6f6}td:first-child{text-align:left}.c{text-align:left;font-size:12px}.charts{display:flex;flex-wrap:wrap;gap:12px}</style>
</head><body><h1>bom eval</h1>
<p>${esc(summary.samples ?? '')} · format ${esc(summary.format ?? '')} · answers: ${summary.answers} · ${summary.graded}/${summary.problems} problems graded · ${summary.trials} trials per problem and N (one when N is the whole pool) · seed ${summary.seed} · bands: 95% bootstrap CI over problems · lines with equal values are drawn ${NUDGE} px apart (hover a point for its exact value)</p>
${warnings ? `<h3>Warnings</h3><ul>${warnings}</ul>` : ''}
<h2>Pass@k vs N</h2><div class="charts">${charts.join('')}</div>
${frontier}
${byK.length > 0 ? `<h2>Pass@k vs k</h2><div class="charts">${byK.join('')}</div>` : ''}
<h2>Results</h2><table><tr><th>strategy</th><th>N</th><th>k</th><th>Pass@k %</th><th>95% CI</th><th>problems</th><th>RM calls/trial</th><th>fallbacks</th><th>samples/trial</th><th>tokens/trial</th></tr>${rows}</table>
<h2>Baseline and ceiling</h2><p>k random samples: the policy's pass@min(k,N), what k samples submitted without selection score (a selector should beat it). Ceiling: pass@N (coverage), some sample among the N is correct; no selector can beat it.</p><table><tr><th>N</th><th>k</th><th>k random samples %</th><th>ceiling: pass@N %</th></tr>${oracleRows}</table>
${calibrationSection(summary)}
${perProblem}
</body></html>
`;
}

/**
 * The cost–accuracy frontier: Pass@k against the mean samples drawn per trial, one line per arm over N
 * (a fixed arm sits at x = N; an adaptive arm where its rule stopped on average), with its CI band.
 * Shown when some arm is adaptive (otherwise it is the Pass@k vs N chart again).
 */
export function frontierCharts(summary: EvalSummary): string {
  if (!summary.results.some((r) => r.mean_samples !== r.N)) return '';
  const charts = summary.ks.map((k) => {
    const series = strategySeries(
      summary,
      (r) => r.k === k,
      (r) => r.mean_samples,
    );
    const xs = series.flatMap((s) => s.points.map((p) => p.x));
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    const ticks: number[] = [];
    for (let x = 2 ** Math.ceil(Math.log2(lo)); x <= hi; x *= 2) ticks.push(x);
    // The ends too when they are far from a power of two (an adaptive arm's smallest mean, say).
    if (ticks.length === 0 || lo < ticks[0]! / 1.3) ticks.unshift(Number(lo.toFixed(1)));
    if (hi > ticks[ticks.length - 1]! * 1.3) ticks.push(Number(hi.toFixed(1)));
    return lineChart(
      `Pass@${k} vs mean samples drawn`,
      'mean samples drawn per trial (log scale)',
      series,
      true,
      ticks,
    );
  });
  return `<h2>Cost–accuracy frontier</h2><p>Each arm is a line over N: x is the mean number of samples drawn per trial (a fixed arm draws N; an adaptive arm stops when its rule decides), y is Pass@k with its 95% band. Up and to the left is better.</p><div class="charts">${charts.join('')}</div>`;
}

/** A legend name in lines that fit the legend margin (long arm specs break after a ':'). */
export function legendLines(name: string, width = 28): string[] {
  if (name.length <= width) return [name];
  const lines: string[] = [];
  let line = '';
  for (const part of name.split(/(?<=:)/)) {
    if (line !== '' && line.length + part.length > width) {
      lines.push(line);
      line = '';
    }
    line += part;
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * Calibration of `selection.confidence`: a reliability diagram per strategy at the largest N (accuracy of
 * the first choice against its confidence, 10 bins, the diagonal is perfect calibration, dot area ∝
 * trials) and the expected calibration error of every strategy and N.
 */
export function calibrationSection(summary: EvalSummary): string {
  const rows = summary.calibration ?? [];
  if (rows.length === 0) return '';
  const maxN = Math.max(...rows.map((r) => r.N));
  const W = 220;
  const pad = 28;
  const at = (v: number) => pad + v * (W - 2 * pad);
  const diagrams = rows
    .filter((r) => r.N === maxN)
    .map((r, i) => {
      const color = COLORS[i % COLORS.length]!;
      const biggest = Math.max(1, ...r.bins.map((b) => b.count));
      const dots = r.bins
        .filter((b) => b.count > 0)
        .map(
          (b) =>
            `<circle cx="${at(b.confidence).toFixed(1)}" cy="${(W - at(b.accuracy)).toFixed(1)}" r="${(2 + 6 * Math.sqrt(b.count / biggest)).toFixed(1)}" fill="${color}" fill-opacity="0.6"><title>confidence ${b.lo.toFixed(1)}–${b.hi.toFixed(1)}: ${b.count} trials, mean confidence ${pct(b.confidence)} %, accuracy ${pct(b.accuracy)} %</title></circle>`,
        )
        .join('');
      return `<svg width="${W}" height="${W + 16}" role="img" aria-label="reliability diagram ${esc(r.strategy)}"><text x="${W / 2}" y="12" text-anchor="middle" font-size="12">${esc(r.strategy)} · N=${r.N} · ECE ${pct(r.ece)} %</text><g transform="translate(0,8)"><rect x="${pad}" y="${pad}" width="${W - 2 * pad}" height="${W - 2 * pad}" fill="none" stroke="#ccc"/><line x1="${at(0)}" y1="${W - at(0)}" x2="${at(1)}" y2="${W - at(1)}" stroke="#aaa" stroke-dasharray="3 3"/>${dots}<text x="${W / 2}" y="${W - 6}" text-anchor="middle" font-size="10">confidence</text><text x="10" y="${W / 2}" font-size="10" transform="rotate(-90 10 ${W / 2})" text-anchor="middle">accuracy</text></g></svg>`;
    })
    .join('');
  const table = rows
    .map(
      (r) =>
        `<tr><td>${esc(r.strategy)}</td><td>${r.N}</td><td>${r.basis === 'weighted_share' ? 'confidence-weighted share' : 'vote share'}</td><td>${r.trials}</td><td>${pct(r.mean_confidence)}</td><td>${pct(r.accuracy)}</td><td>${pct(r.ece)}</td></tr>`,
    )
    .join('');
  return `<h2>Calibration of selection.confidence</h2><p>Each trial's first choice: its confidence against whether it is correct (10 equal-width bins; on the dashed diagonal confidence equals accuracy). ECE = Σ (bin trials / trials) · |accuracy − mean confidence|.</p><div class="charts">${diagrams}</div><table><tr><th>strategy</th><th>N</th><th>confidence is</th><th>trials</th><th>mean confidence %</th><th>accuracy %</th><th>ECE %</th></tr>${table}</table>`;
}
