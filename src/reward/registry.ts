// The scorers a server offers, by the id clients name them with (`selection.scorer`), each with its
// load state for /readyz. Built from the `reward` config section: every scorer through the factory,
// all behind one shared ScoreCache, models on the process-wide CPU queue.
import type { SerialQueue } from '../models/index.ts';
import { type ScoreCache, ScoreCache as Cache } from './cache.ts';
import type { ScoreCacheConfig, ScorerConfig } from './config.ts';
import { createScorer } from './factory.ts';
import { ConfidenceScorer, SelfCertaintyScorer } from './confidence.ts';
import { LogprobScorer } from './logprob.ts';
import type { Scorer } from './scorer.ts';

export interface ScorerReadiness {
  state: 'idle' | 'loading' | 'ready' | 'failed';
  error?: string;
}

interface Entry {
  readonly id: string;
  /** The scorer as configured; `tracked` wraps it so a first successful score marks it ready. */
  readonly scorer: Scorer;
  readonly tracked: Scorer;
  status: ScorerReadiness;
}

export class ScorerRegistry {
  readonly defaultId: string;
  readonly #entries = new Map<string, Entry>();

  constructor(defaultId: string, scorers: Readonly<Record<string, Scorer>>) {
    this.defaultId = defaultId;
    for (const [id, scorer] of Object.entries(scorers)) {
      const entry: Entry = {
        id,
        scorer,
        // The interface's fields read through (an instance spread would miss getters and prototype
        // members); `score` marks the entry ready once it has worked.
        tracked: {
          id: scorer.id,
          ...(scorer.cacheable !== undefined ? { cacheable: scorer.cacheable } : {}),
          ...(scorer.needsLogprobs !== undefined ? { needsLogprobs: scorer.needsLogprobs } : {}),
          ...(scorer.topLogprobs !== undefined ? { topLogprobs: scorer.topLogprobs } : {}),
          score: async (prompt, responses, signal) => {
            const out = await scorer.score(prompt, responses, signal);
            // A model loaded lazily by its first request is ready from then on.
            if (entry.status.state !== 'ready') entry.status = { state: 'ready' };
            return out;
          },
        },
        // A scorer without a model to load is usable at once; one with a model is not until loaded.
        status: { state: scorer.ready ? 'idle' : 'ready' },
      };
      this.#entries.set(id, entry);
    }
  }

  get(id: string): Scorer | undefined {
    return this.#entries.get(id)?.tracked;
  }

  ids(): string[] {
    return [...this.#entries.keys()];
  }

  /** The default scorer's state for /readyz. */
  readiness(): ScorerReadiness {
    return (
      this.#entries.get(this.defaultId)?.status ?? {
        state: 'failed',
        error: `no scorer '${this.defaultId}' is configured`,
      }
    );
  }

  /** Whether the default scorer is loaded and usable. */
  ready(): boolean {
    return this.readiness().state === 'ready';
  }

  /** Start-up checks that need no model load; throws a BomError naming the path and the missing file. */
  validate(): void {
    for (const e of this.#entries.values()) e.scorer.check?.();
  }

  /** Loads and warms every scorer that has a model; failures are reported, not thrown. */
  async load(onError?: (id: string, err: Error) => void): Promise<void> {
    await Promise.all(
      [...this.#entries.values()].map(async (e) => {
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
  }

  async close(): Promise<void> {
    await Promise.all([...this.#entries.values()].map((e) => e.scorer.close?.()));
  }
}

export interface RewardSection {
  readonly scorers: Readonly<Record<string, ScorerConfig>>;
  readonly cache: ScoreCacheConfig;
}

/**
 * The registry for a `reward` config section. Reward strategies work out of the box on the
 * upstream's logprobs: `logprob` is built in unless configured. When the upstream returns none, it
 * cannot score, and the strategies fall back to majority order with `fallback: true` and the reason.
 */
export function buildScorerRegistry(
  reward: RewardSection,
  defaultId: string,
  options: { queue: SerialQueue; fetch?: typeof fetch },
): { registry: ScorerRegistry; cache: ScoreCache } {
  const cache = new Cache(reward.cache);
  const scorers: Record<string, Scorer> = {};
  if (!('logprob' in reward.scorers)) {
    scorers['logprob'] = new LogprobScorer({ aggregate: 'mean', missing: 'error' });
  }
  // The token-distribution scorers need no model either (docs/confidence.md).
  if (!('confidence' in reward.scorers)) scorers['confidence'] = new ConfidenceScorer();
  if (!('self-certainty' in reward.scorers)) scorers['self-certainty'] = new SelfCertaintyScorer();
  for (const [id, cfg] of Object.entries(reward.scorers)) {
    scorers[id] = createScorer(cfg, {
      cache,
      queue: options.queue,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }
  return { registry: new ScorerRegistry(defaultId, scorers), cache };
}
