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
