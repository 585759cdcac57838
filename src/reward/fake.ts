// A deterministic in-memory scorer for tests of the cache, strategies and server: no model, no I/O.
import { BomError, throwIfAborted } from '../core/index.ts';
import { delay } from '../core/index.ts';
import { type ScorePrompt, type ScoreResponse, type Scorer, promptText, responseText } from './scorer.ts';

export type FakeScoreFn = (response: string, prompt: string) => number;

export interface FakeScorerOptions {
  /** The score of each response; default `fakeScore` (a stable hash of the text in [-1, 1)). */
  fn?: FakeScoreFn;
  id?: string;
  /** Simulated latency per `score()` call, abortable; default 0 (still asynchronous). */
  delayMs?: number;
  /** When set, every call rejects with this (after the delay), to exercise error paths. */
  failWith?: Error;
}

/** FNV-1a over UTF-16 code units mapped to [-1, 1): stable across runs and platforms. */
export function fakeScore(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 0x80000000 - 1;
}

export class FakeScorer implements Scorer {
  readonly id: string;
  /** Number of `score()` calls that reached the scorer. */
  calls = 0;
  /** Every response text scored, in order (what a cache should have spared). */
  readonly scored: string[] = [];
  closed = false;
  readonly #fn: FakeScoreFn;
  readonly #delayMs: number;
  readonly #failWith: Error | undefined;

  constructor(options: FakeScorerOptions = {}) {
    this.#fn = options.fn ?? ((r) => fakeScore(r));
    this.id = options.id ?? 'fake';
    this.#delayMs = options.delayMs ?? 0;
    this.#failWith = options.failWith;
  }

  async score(
    prompt: ScorePrompt,
    responses: readonly ScoreResponse[],
    signal?: AbortSignal,
  ): Promise<number[]> {
    this.calls++;
    throwIfAborted(signal);
    await delay(this.#delayMs, signal);
    if (this.#failWith) {
      throw new BomError(`fake scorer failed: ${this.#failWith.message}`, {
        code: 'reward_failed',
        type: 'server_error',
        status: 502,
        cause: this.#failWith,
      });
    }
    const p = promptText(prompt);
    return responses.map((r) => {
      const text = responseText(r);
      this.scored.push(text);
      return this.#fn(text, p);
    });
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
  }
}
