// Progress for long offline runs: done/total, samples and tokens per second, and an ETA from the
// rate so far. Pure formatting; the command decides where and how often to print it.

export interface ProgressState {
  readonly startedMs: number;
  readonly nowMs: number;
  /** Problems finished in this run (not counting ones resumed from the store). */
  readonly done: number;
  /** Problems this run has to do. */
  readonly total: number;
  readonly samples: number;
  readonly tokens: number;
  readonly failed: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0
    ? `${h}h${String(m).padStart(2, '0')}m`
    : m > 0
      ? `${m}m${String(sec).padStart(2, '0')}s`
      : `${sec}s`;
}

export function formatProgress(p: ProgressState, width = 24): string {
  const elapsed = Math.max(1e-3, (p.nowMs - p.startedMs) / 1000);
  const frac = p.total === 0 ? 1 : p.done / p.total;
  const filled = Math.round(frac * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const eta = p.done === 0 ? Number.NaN : (elapsed / p.done) * (p.total - p.done);
  const parts = [
    `${bar} ${p.done}/${p.total}`,
    `${(p.samples / elapsed).toFixed(1)} samples/s`,
    `${Math.round(p.tokens / elapsed)} tok/s`,
    `elapsed ${formatDuration(elapsed)}`,
    `ETA ${formatDuration(eta)}`,
  ];
  if (p.failed > 0) parts.push(`${p.failed} failed`);
  return parts.join(' · ');
}
