// Everything the HTTP app is handed. Services are passed in, not imported, so tests hand it fakes
// (a replay upstream, a fake scorer) and production the real ones (server/wiring.ts).
import type { Config } from '../config.ts';
import type { ScorerRegistry } from '../reward/index.ts';
import type { AnswerService } from '../selection/index.ts';
import type { NMode } from '../upstream/index.ts';
import type { Upstream } from '../upstream/index.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

export interface AppDeps {
  config: Config;
  upstream: Upstream;
  answers: AnswerService;
  scorers: ScorerRegistry;
  metrics: Metrics;
  logger: Logger;
  /** Which n-mode works per upstream model; kept for the process lifetime. */
  modes?: Map<string, NMode>;
}

export interface AppState extends AppDeps {
  modes: Map<string, NMode>;
  /** Set on SIGTERM: new requests get 503 while in-flight ones finish. */
  draining: boolean;
}

/** What middleware records per request for handlers and the access log (Hono's typed variables). */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** The resolved strategy, once the body names it (metrics and logs). */
    strategy: string;
  };
}
