// The Scorer contract: maps (prompt, response) to a number, higher is better. Every reward source —
// an in-process model, a remote server, the upstream's logprobs, the test fake — implements it,
// and one shared contract suite (test/reward/contract.ts) runs against each.
import { BomError } from '../core/index.ts';

/** One chat turn, as the OpenAI request carried it (text content only). */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant' | 'developer' | (string & {});
  readonly content: string;
}

/**
 * What the responses answer. Chat requests carry `messages` (system/user/earlier turns, without the
 * response being scored); completion-style requests and offline datasets carry a plain `prompt`.
 * At least one of the two should be set; when both are, `messages` wins for chat-template models and
 * `prompt` wins for text-pair models (see `promptText`).
 */
export interface ScorePrompt {
  readonly messages?: readonly ChatMessage[] | undefined;
  readonly prompt?: string | undefined;
}

/**
 * One response to score. A plain string is enough for model and HTTP scorers; scorers that need
 * per-sample data (the logprob scorer) read it from the object form. `Sample` (src/types.ts) is
 * structurally a `ScoreResponse`, so the pipeline can pass its samples as they are.
 *
 * Why this shape and not a separate argument: per-response data stays aligned with its text by
 * construction (no parallel arrays to keep in sync), and callers that only have text pass strings.
 */
export type ScoreResponse =
  | string
  | {
      readonly text: string;
      readonly logprobs?: readonly number[] | null;
      /** Per-token confidence C_t (Sample.tokenConfidence), for the confidence scorers. */
      readonly tokenConfidence?: readonly number[] | null;
      readonly tokenSelfCertainty?: readonly number[] | null;
    };

export interface Scorer {
  /**
   * Names the model and every setting that changes a score (e.g. `transformers:/srv/rm@q8:max512`).
   * Used in cache keys and in selection metadata, so two scorers with equal ids must score equally.
   */
  readonly id: string;
  /**
   * False when a score depends on more than (prompt, response text), e.g. per-sample logprobs:
   * the cache then passes the scorer through instead of caching it. Default true.
   */
  readonly cacheable?: boolean;
  /**
   * True when scores are read from the upstream's token logprobs, so the fan-out must ask for them
   * (`logprobs: true`). Decided by the implementation, never guessed from its id. Default false.
   */
  readonly needsLogprobs?: boolean;
  /**
   * How many top logprobs per token the fan-out asks for (`top_logprobs: k`) when the scorer reads
   * token distributions, not only the chosen token's logprob (the confidence scorers: 20).
   */
  readonly topLogprobs?: number;
  /**
   * One score per response, in the order given; higher is better. Scores are raw (unbounded) values
   * comparable only within one scorer. Rejects with the signal's reason when aborted, and with a
   * `BomError` on failure (never returns NaN in place of an error).
   */
  score(prompt: ScorePrompt, responses: readonly ScoreResponse[], signal?: AbortSignal): Promise<number[]>;
  /**
   * Start-up checks that need no model load (a model folder's files); throws a BomError naming the
   * path and the missing file, so a bad setting stops `bom serve` before it takes traffic.
   */
  check?(): void;
  /** Start-up validation and warm-up (load the model, check the folder); reject with a clear error. */
  ready?(): Promise<void>;
  /** Releases sessions, sockets, timers. Idempotent. */
  close?(): Promise<void>;
}

/**
 * The one check of what a scorer answered, run where scores are consumed (the selection's lazy
 * scores, the score cache before it stores anything, `bom score` before it writes): exactly one
 * finite number per response. A NaN would compare false both ways and let a sort pick an arbitrary
 * answer with no flag, and a missing score reads as undefined; both fail with `reward_invalid_scores`.
 */
export function checkScores(scorer: string, expected: number, scores: unknown): number[] {
  const fail = (what: string) =>
    new BomError(`reward scorer ${scorer} returned ${what} for ${expected} response(s)`, {
      code: 'reward_invalid_scores',
      type: 'server_error',
      status: 500,
    });
  if (!Array.isArray(scores))
    throw fail(`${scores === null ? 'null' : typeof scores} instead of a list of scores`);
  if (scores.length !== expected) throw fail(`${scores.length} score(s)`);
  for (let i = 0; i < expected; i++) {
    const v: unknown = scores[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw fail(
        `${typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? typeof v)} as the score of response ${i}`,
      );
    }
  }
  return scores as number[];
}

export function responseText(r: ScoreResponse): string {
  return typeof r === 'string' ? r : r.text;
}

/**
 * The prompt as one string, for text-pair models and HTTP contracts that take a string: the plain
 * prompt when there is one, else the non-assistant turns joined by blank lines (system first, as sent).
 */
export function promptText(p: ScorePrompt): string {
  if (p.prompt !== undefined) return p.prompt;
  return (p.messages ?? [])
    .filter((m) => m.role !== 'assistant')
    .map((m) => m.content)
    .join('\n\n');
}

/** The conversation to render with a chat template: the prompt turns plus the response as the assistant turn. */
export function chatMessages(p: ScorePrompt, response: string): ChatMessage[] {
  const turns: ChatMessage[] =
    p.messages && p.messages.length > 0 ? [...p.messages] : [{ role: 'user', content: p.prompt ?? '' }];
  turns.push({ role: 'assistant', content: response });
  return turns;
}
