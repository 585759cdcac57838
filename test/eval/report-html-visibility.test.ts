// Identical curves in the HTML report must not hide each other: each strategy has its own
// dash pattern and marker, coinciding lines are drawn a few pixels apart, and the legend says which
// series equals which.
import { describe, expect, it } from 'vitest';
import { frontierCharts, legendLines, lineChart, renderHtml } from '../../eval/report-html.ts';
import { evaluate } from '../../eval/evaluate.ts';
import { parseArms } from '../../eval/arms.ts';
import { simulateRecords } from '../../eval/sim-source.ts';
import { renderTable } from '../../eval/report-text.ts';

const pts = [
  { x: 1, y: 0.5 },
  { x: 2, y: 0.6 },
  { x: 4, y: 0.7 },
];

describe('HTML report: every strategy visible', () => {
  it('two series with equal values get distinct paths, dashes and markers, and the legend names the twin', () => {
    const svg = lineChart(
      'Pass@1 vs N',
      'N',
      [
        { name: 'best-of-majority', color: '#111', dash: '', marker: 'circle', points: pts },
        { name: 'best-of-n', color: '#222', dash: '7 3', marker: 'square', points: pts },
        {
          name: 'majority',
          color: '#333',
          dash: '2 3',
          marker: 'triangle',
          points: pts.map((p) => ({ ...p, y: p.y - 0.2 })),
        },
      ],
      true,
    );
    const paths = [...svg.matchAll(/<path d="(M[^"]+)" fill="none" stroke="(#\d+)"/g)].map((m) => m[1]);
    expect(paths).toHaveLength(3);
    expect(new Set(paths).size).toBe(3);
    expect(svg).toContain('stroke-dasharray="7 3"');
    expect(svg).toMatch(/<rect [^>]*fill="#222"/); // square markers
    expect(svg).toContain('same values as best-of-majority');
    expect(svg).not.toContain('same values as best-of-n<');
  });
});

describe('text report labels', () => {
  it('calls the policy pass@k what it is and shows pass@N as the ceiling', () => {
    const text = renderTable({
      problems: 1,
      graded: 1,
      answers: 'recorded',
      Ns: [8],
      ks: [1],
      trials: 1,
      seed: 1,
      results: [],
      oracle: [{ N: 8, k: 1, pass_at_k: 0.5, coverage: 0.9 }],
      skipped: [],
      warnings: [],
    } as never);
    expect(text).not.toMatch(/oracle \(ceiling\)/);
    expect(text).toMatch(/k random samples/);
    expect(text).toMatch(/ceiling pass@N/);
    expect(text).toMatch(/90\.0/);
  });
});

describe('text table alignment', () => {
  it('a long arm name widens the label column: each value ends under its header', async () => {
    const records = simulateRecords({ problems: 6, samples: 16, seed: 2 });
    const long = 'maj:adaptive=0.95:adaptive_rule=window:adaptive_window=6';
    const run = await evaluate(records, parseArms(`maj,${long}`), {
      Ns: [8],
      ks: [1, 2],
      trials: 2,
      seed: 1,
      mode: 'recorded',
    });
    const lines = renderTable(run.summary).split('\n');
    for (const name of ['maj', long]) {
      const h = lines.findIndex((l) => l.startsWith(`${name} `) || l === name);
      const header = lines[h]!;
      const row = lines[h + 1]!;
      expect(row.startsWith('  N=8')).toBe(true);
      // pass@1 and pass@2 end where their values end; the samples column too.
      for (const label of ['pass@1', 'pass@2', 'samples']) {
        const end = header.indexOf(label) + label.length;
        expect(end).toBeGreaterThan(label.length);
        expect(row[end - 1]).toMatch(/[\d\]]/);
        expect(row[end] ?? ' ').toBe(' ');
      }
    }
    const calibration = lines.filter((l) => l.includes(`${long} N=8`));
    expect(calibration).toHaveLength(1);
    expect(calibration[0]!.indexOf('vote share')).toBe(
      lines.find((l) => l.startsWith('calibration'))!.indexOf('confidence is') + 3,
    );
  });
});

describe('the cost–accuracy frontier (adaptive arms)', () => {
  it('plots each arm over N at its mean samples drawn, fixed arms at x = N; the tables show samples', async () => {
    const records = simulateRecords({ problems: 20, samples: 32, seed: 4 });
    const run = await evaluate(records, parseArms('maj,maj:adaptive=0.9'), {
      Ns: [8, 16, 32],
      ks: [1],
      trials: 5,
      seed: 1,
      mode: 'recorded',
      bootstrap: 50,
    });
    const adaptive = run.summary.results.filter((r) => r.strategy === 'maj:adaptive=0.9');
    expect(adaptive.some((r) => r.mean_samples < r.N)).toBe(true);
    const html = frontierCharts(run.summary);
    expect(html).toContain('Cost–accuracy frontier');
    expect(html).toContain('Pass@1 vs mean samples drawn');
    // One line per arm, each with a CI band.
    expect(html.match(/<path d="M/g)).toHaveLength(2);
    expect(html.match(/<polygon points="[^"]*" fill="[^"]*" fill-opacity/g)).toHaveLength(2);
    // The fixed arm's points sit at N: the same x as the ticks 8, 16, 32; the adaptive arm's to the left.
    for (const n of [8, 16, 32]) expect(html).toMatch(new RegExp(`>${n}</text>`));
    expect(renderHtml(run.summary)).toContain('<th>samples/trial</th>');
    // Without an adaptive arm there is no frontier (it would repeat Pass@k vs N).
    const fixed = { ...run.summary, results: run.summary.results.filter((r) => r.strategy === 'maj') };
    expect(frontierCharts(fixed)).toBe('');
    const table = renderTable(run.summary);
    expect(table).toMatch(/samples/);
    // The calibration of selection.confidence, one line per strategy and N, as in the JSON.
    expect(table).toMatch(/calibration\s+confidence is\s+mean conf\s+accuracy\s+ECE/);
    expect(table).toMatch(/maj N=32\s+vote share/);
    const row = adaptive.find((r) => r.N === 32)!;
    const shown = Number.isInteger(row.mean_samples) ? String(row.mean_samples) : row.mean_samples.toFixed(2);
    expect(table).toMatch(new RegExp(`\\s${shown.replace('.', '\\.')}(\\s|$)`, 'm'));
  });
});

describe('legend names', () => {
  it('long arm specs wrap after a colon, every character kept', () => {
    expect(legendLines('majority')).toEqual(['majority']);
    const name = 'maj:adaptive=0.95:adaptive_rule=predictive';
    const lines = legendLines(name);
    expect(lines).toEqual(['maj:adaptive=0.95:', 'adaptive_rule=predictive']);
    expect(lines.join('')).toBe(name);
    expect(legendLines('x'.repeat(60)).every((l) => l.length <= 28)).toBe(true);
  });
});
