// What `bom sample` and `bom score` share: a progress line on stderr (redrawn on a terminal, one line
// every 10 s in a log) and the end-of-run report, where an interrupted or partly failed run is an
// error with a stable code that says how to resume.
import { formatProgress, type ProgressState } from '../../eval/index.ts';
import { BomError, type ErrorType } from '../core/index.ts';

type Progress = Omit<ProgressState, 'startedMs' | 'nowMs'>;

export function progressPrinter(): { update(p: Progress): void; end(): void } {
  const started = performance.now();
  const tty = process.stderr.isTTY;
  let lastPrint = 0;
  return {
    update(p) {
      const now = performance.now();
      if (!tty && now - lastPrint < 10_000 && p.done < p.total) return;
      lastPrint = now;
      const line = formatProgress({ ...p, startedMs: started, nowMs: now });
      process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    },
    end() {
      if (tty) process.stderr.write('\n');
    },
  };
}

export function finishRun(
  summary: string,
  failed: readonly { id: string; error: string }[],
  aborted: boolean,
  incomplete: { message: string; code: string; type: ErrorType; status: number },
): void {
  process.stderr.write(`${summary}\n`);
  for (const f of failed.slice(0, 20)) process.stderr.write(`  ${f.id}: ${f.error}\n`);
  if (aborted) {
    throw new BomError('interrupted; rerun the same command to resume', {
      code: 'interrupted',
      type: 'server_error',
      status: 500,
    });
  }
  if (failed.length > 0) {
    const { message, ...init } = incomplete;
    throw new BomError(`${failed.length} ${message}`, init);
  }
}
