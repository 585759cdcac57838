// The server's reward scorers, built from the `reward` config section: each through src/reward's
// createScorer, all behind one shared ScoreCache, the transformers ones on the process-wide CPU
// queue. Tracks each scorer's load state so /readyz can say whether the default one is usable.
import type { Config } from './config.ts';
import { createScorer, LogprobScorer, ScoreCache, type Scorer, type ScorerConfig } from './reward/index.ts';
import { resolveModelSource, validateModelFolder } from './reward/model-folder.ts';
import type { SerialQueue } from './serial-queue.ts';
import { fromScorer, type SampleScorer, type ScorerReadiness, type ScorerRegistry } from './services.ts';

export interface BuiltScorers {
  registry: ScorerRegistry;
  cache: ScoreCache;
}

interface Entry {
  id: string;
  config: ScorerConfig | null;
  scorer: Scorer;
  sample: SampleScorer;
  status: ScorerReadiness;
}

export function buildScorers(
  config: Config,
  options: { queue: SerialQueue; fetch?: typeof fetch },
): BuiltScorers {
  const cache = new ScoreCache(config.reward.cache);
  const entries = new Map<string, Entry>();
  const add = (id: string, scorer: Scorer, cfg: ScorerConfig | null) => {
    const entry: Entry = {
      id,
      config: cfg,
      scorer,
      // Clients name scorers by their config id; the scorer's own id (model + settings) keys the cache.
      sample: fromScorer(scorer, { id, needsLogprobs: cfg ? cfg.kind === 'logprob' : true }),
      // A scorer without a model to load is usable at once; one with a model is not until loaded.
      status: { state: scorer.ready ? 'idle' : 'ready' },
    };
    const score = entry.sample.scoreSamples;
    // A model loaded lazily by its first request is ready from then on.
    entry.sample = {
      ...entry.sample,
      scoreSamples: async (prompt, samples, signal) => {
        const out = await score(prompt, samples, signal);
        if (entry.status.state !== 'ready') entry.status = { state: 'ready' };
        return out;
      },
    };
    entries.set(id, entry);
  };
  // Reward strategies work out of the box on the upstream's logprobs; a sample without them ranks
  // last rather than failing the request.
  if (!('logprob' in config.reward.scorers)) {
    add('logprob', new LogprobScorer({ aggregate: 'mean', missing: Number.NEGATIVE_INFINITY }), null);
  }
  for (const [id, cfg] of Object.entries(config.reward.scorers)) {
    add(
      id,
      createScorer(cfg, { cache, queue: options.queue, ...(options.fetch ? { fetch: options.fetch } : {}) }),
      cfg,
    );
  }

  const defaultId = config.selection.scorer;
  const readiness = (): ScorerReadiness =>
    entries.get(defaultId)?.status ?? { state: 'failed', error: `no scorer '${defaultId}' is configured` };

  const registry: ScorerRegistry = {
    defaultId,
    get: (id) => entries.get(id)?.sample,
    ids: () => [...entries.keys()],
    ready: () => readiness().state === 'ready',
    readiness,
    validate() {
      for (const e of entries.values()) {
        const c = e.config;
        if (c?.kind !== 'transformers') continue;
        const source = resolveModelSource(c.model, c.allowRemote);
        if (source.kind === 'dir') validateModelFolder(source.dir, c.dtype);
      }
    },
    async load(onError) {
      await Promise.all(
        [...entries.values()].map(async (e) => {
          if (!e.scorer.ready || e.status.state === 'ready') return;
          e.status = { state: 'loading' };
          try {
            await e.scorer.ready();
            e.status = { state: 'ready' };
          } catch (err) {
            e.status = { state: 'failed', error: (err as Error).message };
            onError?.(e.id, err as Error);
          }
        }),
      );
    },
    async close() {
      await Promise.all([...entries.values()].map((e) => e.scorer.close?.()));
    },
  };
  return { registry, cache };
}
