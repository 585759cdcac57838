import { defineCommand } from 'citty';
import { getStrategy } from '../../strategies/index.ts';
import { loadConfig } from '../config.ts';
import { startServer } from '../server/serve.ts';
import { buildDeps } from '../wiring.ts';

export default defineCommand({
  meta: { name: 'serve', description: 'Run the OpenAI-compatible selection server' },
  args: {
    port: { type: 'string', description: 'Port to listen on (BOM_PORT; default 8787)' },
    host: { type: 'string', description: 'Address to bind (BOM_HOST; default 127.0.0.1)' },
    upstream: { type: 'string', description: 'OpenAI-compatible upstream base URL (BOM_UPSTREAM_URL)' },
    config: { type: 'string', description: 'JSON config file (flags > env > file > defaults)' },
    strategy: { type: 'string', description: 'Default strategy (BOM_STRATEGY)' },
    samples: { type: 'string', description: 'Default sample budget N (BOM_SAMPLES)' },
  },
  async run({ args }) {
    const config = loadConfig({
      file: args.config ?? process.env['BOM_CONFIG'],
      env: process.env,
      flags: {
        port: args.port === undefined ? undefined : Number(args.port),
        host: args.host,
        upstream: { url: args.upstream },
        selection: {
          strategy: args.strategy,
          samples: args.samples === undefined ? undefined : Number(args.samples),
        },
      },
    });
    if (config.selection.strategy !== 'none') getStrategy(config.selection.strategy);
    const deps = buildDeps(config);
    const running = await startServer(deps);
    const { logger } = deps;
    const base = running.url.replace('0.0.0.0', '127.0.0.1');
    const model = '<model>';
    const curl = `curl -s ${base}/v1/chat/completions -H 'content-type: application/json'${config.apiKeys.length ? " -H 'authorization: Bearer $KEY'" : ''} -d '{"model":"${model}","messages":[{"role":"user","content":"What is 6*7? Put the answer in \\\\boxed{}."}]}'`;
    process.stdout.write(
      `bom listening on ${running.url}  upstream ${config.upstream.url}  strategy ${config.selection.strategy} (N=${config.selection.samples})  scorer ${config.selection.scorer}\n  try: ${curl}\n`,
    );
    running.app.checkUpstream().then((ok) => {
      if (!ok)
        logger.warn(
          { upstream: config.upstream.url },
          'upstream unreachable: /readyz reports not ready until it answers (set BOM_UPSTREAM_URL or --upstream)',
        );
    });
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info(
          { signal, graceMs: config.shutdownGraceMs },
          'shutting down: draining in-flight requests',
        );
        running.close(config.shutdownGraceMs).then(resolve);
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    logger.info('stopped');
  },
});
