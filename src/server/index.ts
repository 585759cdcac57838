// The HTTP server: the Hono app and its routes, start and graceful stop, the services it is built
// from (wiring), logs and metrics. The only door to the folder.
export { type App, createApp } from './app.ts';
export type { AppDeps, AppState } from './deps.ts';
export { closeLogger, createLogger, ignoreBrokenPipes, type Logger } from './logger.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export { type Listening, listen, type RunningServer, startServer } from './serve.ts';
export { buildDeps, buildLocalUpstream, buildUpstream } from './wiring.ts';
