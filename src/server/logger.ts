// Structured logs (pino). Prompt and response text are never logged unless `log.prompts` is set.
import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Default destination: stderr through pino's asynchronous buffered writer. process.stderr is
 * synchronous on Linux when it is a pipe or a file, so at `info` every request cost a blocking write
 * syscall on the event loop (~0.1 ms of CPU per request on the proxy-overhead bench, even async
 * unbatched). Lines are written in batches of 4 KB, and at least every 250 ms so an idle server's
 * last lines show up; pino flushes the rest on exit.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, base: { service: 'bom' } },
    destination ?? pino.destination({ dest: 2, sync: false, minLength: 4096, periodicFlush: 250 }),
  );
}

/**
 * Flushes the logger's destination, waiting at most `timeoutMs`. A destination that cannot take the
 * lines (stderr a pipe nobody reads: a write blocks; or a broken one) is then muted, so the exit
 * that follows does not block in pino's synchronous flush-on-exit: shutdown never waits on stderr.
 */
export function closeLogger(logger: Logger, timeoutMs: number): Promise<void> {
  const dest = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as
    | {
        flush?: (cb: (err?: Error) => void) => void;
        write?: unknown;
        flushSync?: unknown;
        end?: unknown;
      }
    | undefined;
  if (typeof dest?.flush !== 'function') return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      const noop = () => {};
      Object.assign(dest, { write: noop, flushSync: noop, end: noop });
      resolve();
    }, timeoutMs);
    timer.unref();
    try {
      dest.flush!(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/** EPIPE on stdout/stderr (the reader went away) must not crash or stall a server: the output is dropped. */
export function ignoreBrokenPipes(): void {
  for (const s of [process.stdout, process.stderr])
    s.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
}
