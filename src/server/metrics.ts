// Prometheus metrics a selection server can give. One Registry per app, so tests and
// embedded servers do not collide on prom-client's global registry.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  requests: Counter<'route' | 'strategy' | 'status'>;
  requestSeconds: Histogram<'route'>;
  inFlight: Gauge;
  samples: Counter<'outcome'>;
  upstreamSeconds: Histogram<'outcome' | 'mode'>;
  selectionSeconds: Histogram<'strategy'>;
  scoringSeconds: Histogram<'scorer'>;
  clusters: Histogram;
  winnerShare: Histogram<'strategy'>;
  fallbacks: Counter<'strategy'>;
  nFallbacks: Counter;
  scoreCache: Counter<'result'>;
  scoreCacheEntries: Gauge;
  scoreCacheBytes: Gauge;
  /** Where the score-cache figures come from; read at scrape time (the cache counts, we don't). */
  watchScoreCache(stats: () => ScoreCacheFigures): void;
  quorumFailures: Counter;
  clusterDegraded: Counter<'reason'>;
  clientAborts: Counter;
}

/** What the score cache reports (src/reward ScoreCache.stats()). */
export interface ScoreCacheFigures {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
}

export function createMetrics(options: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  let cacheFigures: (() => ScoreCacheFigures) | null = null;
  if (options.defaults) collectDefaultMetrics({ register: registry, prefix: 'bom_' });
  const fast = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'bom_requests_total',
      help: 'Requests by route, strategy and HTTP status',
      labelNames: ['route', 'strategy', 'status'],
      registers,
    }),
    requestSeconds: new Histogram({
      name: 'bom_request_seconds',
      help: 'End-to-end request latency',
      labelNames: ['route'],
      buckets: fast,
      registers,
    }),
    inFlight: new Gauge({ name: 'bom_requests_in_flight', help: 'Requests being served', registers }),
    samples: new Counter({
      name: 'bom_samples_total',
      help: 'Samples requested, succeeded and failed',
      labelNames: ['outcome'],
      registers,
    }),
    upstreamSeconds: new Histogram({
      name: 'bom_upstream_call_seconds',
      help: 'Latency of one upstream call (n=N or n=1)',
      labelNames: ['outcome', 'mode'],
      buckets: fast,
      registers,
    }),
    selectionSeconds: new Histogram({
      name: 'bom_selection_seconds',
      help: 'Extraction, clustering and strategy time (scoring excluded)',
      labelNames: ['strategy'],
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers,
    }),
    scoringSeconds: new Histogram({
      name: 'bom_scoring_seconds',
      help: 'Reward scoring time per request',
      labelNames: ['scorer'],
      buckets: fast,
      registers,
    }),
    clusters: new Histogram({
      name: 'bom_clusters_per_request',
      help: 'Distinct answer clusters per request',
      buckets: [1, 2, 3, 4, 6, 8, 12, 16, 32, 64, 128],
      registers,
    }),
    winnerShare: new Histogram({
      name: 'bom_winner_vote_share',
      help: 'Vote share (frequency) of the first returned answer',
      labelNames: ['strategy'],
      buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
      registers,
    }),
    fallbacks: new Counter({
      name: 'bom_selection_fallbacks_total',
      help: 'Selections that used their documented fallback',
      labelNames: ['strategy'],
      registers,
    }),
    nFallbacks: new Counter({
      name: 'bom_upstream_n_fallbacks_total',
      help: 'Times an upstream was found not to honour n (switched to parallel n=1 calls)',
      registers,
    }),
    scoreCache: new Counter({
      name: 'bom_score_cache_total',
      help: 'Score cache lookups by result (hit, miss)',
      labelNames: ['result'],
      registers,
      collect() {
        if (!cacheFigures) return;
        const f = cacheFigures();
        this.reset();
        this.inc({ result: 'hit' }, f.hits);
        this.inc({ result: 'miss' }, f.misses);
      },
    }),
    scoreCacheEntries: new Gauge({
      name: 'bom_score_cache_entries',
      help: 'Scores held in the score cache',
      registers,
      collect() {
        if (cacheFigures) this.set(cacheFigures().entries);
      },
    }),
    scoreCacheBytes: new Gauge({
      name: 'bom_score_cache_bytes',
      help: 'Approximate memory the score cache holds',
      registers,
      collect() {
        if (cacheFigures) this.set(cacheFigures().bytes);
      },
    }),
    watchScoreCache(stats) {
      cacheFigures = stats;
    },
    quorumFailures: new Counter({
      name: 'bom_quorum_failures_total',
      help: 'Requests that failed because too few samples succeeded',
      registers,
    }),
    clusterDegraded: new Counter({
      name: 'bom_cluster_degraded_total',
      help: 'Requests whose clustering compared some answers by key or as strings (budget spent, unparsable)',
      labelNames: ['reason'],
      registers,
    }),
    clientAborts: new Counter({
      name: 'bom_client_aborts_total',
      help: 'Requests whose client disconnected before the answer (a stream cut mid-way included; logged as 499)',
      registers,
    }),
  };
}
