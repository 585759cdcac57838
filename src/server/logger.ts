// Structured logs (pino). Prompt and response text are never logged unless `log.prompts` is set.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { service: 'bom' } }, destination ?? process.stderr);
}
