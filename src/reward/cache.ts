// Score cache: scoring is the expensive step (~0.7 s per response for a 0.6B model on one
// core), and the same (prompt, response) recurs across strategies, A/B runs and `bom score` reruns.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { throwIfAborted } from '../core/index.ts';
import { checkScores, type ScorePrompt, type ScoreResponse, type Scorer, responseText } from './scorer.ts';

export interface ScoreCacheOptions {
  /** Most entries kept; default 100 000. */
  maxEntries?: number;
  /** Approximate bound on memory, in bytes (keys + values + per-entry overhead); default 32 MiB. */
  maxBytes?: number;
}

export interface ScoreCacheStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
}

/** Rough per-entry cost beyond the key's UTF-16 bytes: the number, the LRU's slots and map entry. */
const ENTRY_OVERHEAD_BYTES = 64;

/** 128-bit hex digest: collisions are negligible and keys stay short. */
export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** Hash of everything in the prompt that a scorer can see. Messages and plain prompt hash differently. */
export function hashPrompt(prompt: ScorePrompt): string {
  const canonical = JSON.stringify([
    prompt.messages?.map((m) => [m.role, m.content]) ?? null,
    prompt.prompt ?? null,
  ]);
  return hashText(canonical);
}

export class ScoreCache {
  #hits = 0;
  #misses = 0;
  readonly #lru: LRUCache<string, number>;

  constructor(options: ScoreCacheOptions = {}) {
    this.#lru = new LRUCache<string, number>({
      max: options.maxEntries ?? 100_000,
      maxSize: options.maxBytes ?? 32 * 1024 * 1024,
      sizeCalculation: (_value, key) => key.length * 2 + ENTRY_OVERHEAD_BYTES,
    });
  }

  static key(scorerId: string, promptHash: string, responseHash: string): string {
    return `${scorerId}\u0000${promptHash}\u0000${responseHash}`;
  }

  /** Looks a key up and counts the hit or miss. */
  get(key: string): number | undefined {
    const v = this.#lru.get(key);
    if (v === undefined) this.#misses++;
    else this.#hits++;
    return v;
  }

  set(key: string, score: number): void {
    this.#lru.set(key, score);
  }

  clear(): void {
    this.#lru.clear();
  }

  stats(): ScoreCacheStats {
    return {
      hits: this.#hits,
      misses: this.#misses,
      entries: this.#lru.size,
      bytes: this.#lru.calculatedSize,
    };
  }
}

/**
 * Wraps a scorer so only cache misses reach it; duplicates within one call are scored once.
 * Scorers that declare `cacheable: false` (logprob) are returned unchanged.
 * Concurrent calls for the same key are not coalesced: both miss and both score (simple, and
 * an abort in one caller can never fail the other).
 */
export function cachedScorer(scorer: Scorer, cache: ScoreCache): Scorer {
  if (scorer.cacheable === false) return scorer;
  const wrapped: Scorer = {
    id: scorer.id,
    cacheable: true,
    ...(scorer.needsLogprobs ? { needsLogprobs: true } : {}),
    async score(prompt: ScorePrompt, responses: readonly ScoreResponse[], signal?: AbortSignal) {
      // An aborted call fails even when everything would hit: the contract is the same for every scorer.
      throwIfAborted(signal);
      const promptHash = hashPrompt(prompt);
      const keys = responses.map((r) => ScoreCache.key(scorer.id, promptHash, hashText(responseText(r))));
      const out: (number | undefined)[] = keys.map((k) => cache.get(k));
      // Each distinct missing key -> its first position (then, after scoring, its index in `scores`).
      const missAt = new Map<string, number>();
      keys.forEach((k, i) => {
        if (out[i] === undefined && !missAt.has(k)) missAt.set(k, i);
      });
      if (missAt.size > 0) {
        const positions = [...missAt.values()];
        // Checked before anything is stored: a NaN or a missing score must never be served from the cache.
        const scores = checkScores(
          scorer.id,
          positions.length,
          await scorer.score(
            prompt,
            positions.map((i) => responses[i]!),
            signal,
          ),
        );
        positions.forEach((i, j) => {
          const k = keys[i]!;
          cache.set(k, scores[j]!);
          missAt.set(k, j);
        });
        keys.forEach((k, i) => {
          if (out[i] === undefined) out[i] = scores[missAt.get(k)!];
        });
      }
      return out as number[];
    },
  };
  if (scorer.check) wrapped.check = () => scorer.check!();
  if (scorer.ready) wrapped.ready = () => scorer.ready!();
  if (scorer.close) wrapped.close = () => scorer.close!();
  return wrapped;
}
