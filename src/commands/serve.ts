import { defineCommand } from 'citty';
import { getStrategy } from '../../strategies/index.ts';
import { loadConfig, mergeLayers, rewardModelLayer } from '../config.ts';
import { BomError } from '../core/index.ts';
import { closeLogger, createLogger, ignoreBrokenPipes } from '../server/index.ts';
import { startServer } from '../server/index.ts';
import { chooseUpstream } from '../upstream/index.ts';
import { LocalUpstream } from '../upstream/index.ts';
import type { Upstream } from '../upstream/index.ts';
import { buildDeps, buildUpstream } from '../server/index.ts';

export default defineCommand({
  meta: { name: 'serve', description: 'Run the OpenAI-compatible selection server' },
  args: {
    port: { type: 'string', description: 'Port to listen on (BOM_PORT; default 8787)' },
    host: { type: 'string', description: 'Address to bind (BOM_HOST; default 127.0.0.1)' },
    upstream: { type: 'string', description: 'OpenAI-compatible upstream base URL (BOM_UPSTREAM_URL)' },
    local: {
      type: 'boolean',
      description: 'Generate in-process with the local model, even if an upstream answers',
    },
    'local-model': {
      type: 'string',
      description:
        'Local model folder or Hugging Face id (BOM_LOCAL_MODEL; default Qwen2.5-0.5B-Instruct, q8)',
    },
    config: { type: 'string', description: 'JSON config file (flags > env > file > defaults)' },
    strategy: { type: 'string', description: 'Default strategy (BOM_STRATEGY)' },
    samples: { type: 'string', description: 'Default sample budget N (BOM_SAMPLES)' },
    'reward-model': {
      type: 'string',
      description:
        'Reward model folder for the transformers scorer `rm`, made the default scorer (BOM_REWARD_MODEL)',
    },
    scorer: { type: 'string', description: 'Default scorer id (BOM_SCORER; default logprob)' },
  },
  async run({ args }) {
    warnSwallowedByNpm(args._);
    const config = loadConfig({
      file: args.config ?? process.env['BOM_CONFIG'],
      env: process.env,
      flags: mergeLayers(rewardModelLayer(args['reward-model'], args.scorer), {
        port: args.port === undefined ? undefined : Number(args.port),
        host: args.host,
        upstream: { url: args.upstream, kind: args.local ? 'local' : undefined },
        local: { model: args['local-model'] },
        selection: {
          strategy: args.strategy,
          samples: args.samples === undefined ? undefined : Number(args.samples),
        },
      }),
    });
    if (config.selection.strategy !== 'none') getStrategy(config.selection.strategy);
    ignoreBrokenPipes();
    const logger = createLogger(config.log.level);
    const choice = await chooseUpstream(config.upstream);
    const upstream = buildUpstream(config, choice, (line) => logger.info(line));
    const deps = buildDeps(config, { upstream, logger });
    // A default no request can use stops the start, rather than a 400 on every request naming a
    // field the client never sent.
    const scorerIds = deps.scorers.ids();
    if (!scorerIds.includes(config.selection.scorer))
      throw new BomError(
        `Invalid config: the default scorer '${config.selection.scorer}' (from BOM_SCORER, --scorer or the config file) is not configured; this server has: ${scorerIds.join(', ')} (add it under reward.scorers)`,
        { code: 'invalid_config', param: 'selection.scorer' },
      );
    // A reward model folder or a local model folder that is missing or incomplete stops the start
    // here, naming the path and the missing file, before the server takes traffic.
    deps.scorers.validate?.();
    if (upstream instanceof LocalUpstream) upstream.generator.check();
    const running = await startServer(deps);
    // Loading and warming the models takes seconds: /readyz says `loading` meanwhile, and a failure
    // is one line here and `failed` there (requests retry the load).
    void deps.scorers.load?.((id, err) =>
      logger.error({ scorer: id }, `reward scorer failed to load: ${err.message}`),
    );
    const base = running.url.replace('0.0.0.0', '127.0.0.1');
    const model =
      upstream instanceof LocalUpstream ? upstream.options.modelName : await firstModelId(upstream);
    const curl = `curl -s ${base}/v1/chat/completions -H 'content-type: application/json'${config.apiKeys.length ? ' -H "authorization: Bearer $KEY"' : ''} -d '{"model":"${model}","messages":[{"role":"user","content":"What is 6*7? Put the answer in \\\\boxed{}."}]}'`;
    // With API keys the curl reads the key from $KEY (double quotes, so the shell expands it).
    const keyHint = config.apiKeys.length ? '  (KEY=<one of apiKeys>)' : '';
    process.stdout.write(
      `bom listening on ${running.url}  upstream ${describe(upstream, choice.why)}  strategy ${config.selection.strategy} (N=${config.selection.samples})  scorer ${config.selection.scorer}\n  try: ${curl}${keyHint}\n`,
    );
    if (upstream instanceof LocalUpstream) {
      // Load (and on first use download) now, not at the first request; a failure is one clear line
      // and /readyz stays false, and the next request tries again.
      upstream.generator.load().then(
        () => logger.info(`local model ${upstream.generator.id} loaded`),
        (err: Error) => logger.warn(err.message),
      );
    } else {
      running.app.checkUpstream().then((ok) => {
        if (!ok)
          logger.warn(
            { upstream: upstream.url },
            'upstream unreachable: /readyz reports not ready until it answers (set BOM_UPSTREAM_URL or --upstream)',
          );
      });
    }
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info(
          { signal, graceMs: config.shutdownGraceMs },
          'shutting down: draining in-flight requests',
        );
        running
          .close(config.shutdownGraceMs)
          .then(() => deps.scorers.close?.())
          .then(resolve);
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    logger.info('stopped');
    // Exit now rather than when the event loop drains: a log write stuck on a stderr pipe nobody
    // reads (or a lingering socket) kept the process alive after the port closed, until a second
    // signal. The logs get a second to flush.
    await closeLogger(logger, 1000);
    process.exit(process.exitCode ?? 0);
  },
});

/** The upstream's first model id, so the printed curl works as pasted; a placeholder when it cannot be listed. */
async function firstModelId(upstream: Upstream): Promise<string> {
  try {
    const id = (await upstream.models({ signal: AbortSignal.timeout(1000) }))[0]?.['id'];
    return typeof id === 'string' && id !== '' ? id : '<model>';
  } catch {
    return '<model>';
  }
}

function describe(upstream: { url: string }, why: string): string {
  return upstream instanceof LocalUpstream
    ? `${upstream.generator.id} (in-process; ${why})`
    : `${upstream.url} (${why})`;
}

/** The flags `bom serve` takes, as npm spells them in the environment (npm_config_<name>). */
const SERVE_FLAGS = [
  'port',
  'host',
  'upstream',
  'local',
  'local-model',
  'config',
  'strategy',
  'samples',
  'reward-model',
  'scorer',
];

/**
 * `npm start --upstream URL` does not reach bom: npm takes `--upstream` as its own config (setting
 * npm_config_upstream, to `true` or to the value of `--upstream=URL`) and passes the URL on as a bare
 * word. Say so at start-up rather than silently using the default upstream.
 */
export function swallowedByNpm(env: NodeJS.ProcessEnv, positionals: readonly string[] = []): string | null {
  if (env['npm_lifecycle_event'] === undefined) return null;
  const lost = SERVE_FLAGS.filter((f) => env[`npm_config_${f.replace(/-/g, '_')}`] !== undefined);
  if (lost.length === 0) return null;
  const shown = lost.map((f) => `--${f}`).join(', ');
  const bare = positionals.length > 0 ? ` (and passed '${positionals.join(' ')}' on as a bare argument)` : '';
  return `npm took ${shown} as its own option${lost.length > 1 ? 's' : ''}${bare}, so bom never saw ${lost.length > 1 ? 'them' : 'it'}: run 'npm start -- ${lost.map((f) => `--${f} …`).join(' ')}' (note the --), or 'npx bom serve …'`;
}

function warnSwallowedByNpm(positionals: readonly string[] | undefined): void {
  const warning = swallowedByNpm(process.env, positionals ?? []);
  if (warning) process.stderr.write(`warning: ${warning}\n`);
}
