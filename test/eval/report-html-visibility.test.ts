// Identical curves in the HTML report must not hide each other: each strategy has its own
// dash pattern and marker, coinciding lines are drawn a few pixels apart, and the legend says which
// series equals which.
import { describe, expect, it } from 'vitest';
import { lineChart } from '../../eval/report-html.ts';
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
