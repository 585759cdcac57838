// The one contract every Scorer passes (like Hono's routers, which all pass one shared suite).
// Call `scorerContract(name, makeSubject)` inside a test file; it declares a `describe` block.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BomError } from '../../src/core/errors.ts';
import type { ScorePrompt, ScoreResponse, Scorer } from '../../src/reward/scorer.ts';

export interface ContractSubject {
  scorer: Scorer;
  /** Turns a response text into what this scorer needs (default: the text itself). */
  response?: (text: string) => ScoreResponse;
  /** A scorer of the same kind whose calls fail (bad server, broken model, missing data). */
  failing: () => Scorer | Promise<Scorer>;
  /** Optional: a call that is still running after a tick, to test aborts in flight. */
  slowCall?: (signal: AbortSignal) => Promise<number[]>;
  cleanup?: () => Promise<void>;
}

const PROMPT: ScorePrompt = {
  messages: [
    { role: 'system', content: 'You are a careful math tutor.' },
    { role: 'user', content: 'What is 2 + 2?' },
  ],
};
const TEXTS = [
  'It is 4 because 2 + 2 = 4; checked, correct and verified.',
  'Sorry, idk, maybe 5? I am unsure.',
  'The answer is 4.',
  'Wrong: it is 22.',
];

export function scorerContract(name: string, make: () => ContractSubject | Promise<ContractSubject>): void {
  describe(`Scorer contract: ${name}`, () => {
    let s: ContractSubject;
    let resp: (text: string) => ScoreResponse;
    beforeAll(async () => {
      s = await make();
      resp = s.response ?? ((t) => t);
    });
    afterAll(async () => {
      await s?.scorer.close?.();
      await s?.cleanup?.();
    });

    it('has a non-empty id', () => {
      expect(typeof s.scorer.id).toBe('string');
      expect(s.scorer.id.length).toBeGreaterThan(0);
    });

    it('returns one finite number per response', async () => {
      const scores = await s.scorer.score(PROMPT, TEXTS.map(resp));
      expect(scores).toHaveLength(TEXTS.length);
      for (const x of scores) expect(Number.isFinite(x)).toBe(true);
    });

    it('preserves order: batch scores equal one-by-one scores, reversed input reverses output', async () => {
      const batch = await s.scorer.score(PROMPT, TEXTS.map(resp));
      const single: number[] = [];
      for (const t of TEXTS) single.push(...(await s.scorer.score(PROMPT, [resp(t)])));
      expect(batch.map((x) => x.toFixed(5))).toEqual(single.map((x) => x.toFixed(5)));
      const reversed = await s.scorer.score(PROMPT, [...TEXTS].reverse().map(resp));
      expect(reversed.map((x) => x.toFixed(5))).toEqual([...batch].reverse().map((x) => x.toFixed(5)));
    });

    it('is deterministic', async () => {
      const a = await s.scorer.score(PROMPT, TEXTS.map(resp));
      const b = await s.scorer.score(PROMPT, TEXTS.map(resp));
      expect(b).toEqual(a);
    });

    it('scores an empty list as an empty list', async () => {
      expect(await s.scorer.score(PROMPT, [])).toEqual([]);
    });

    it('accepts a plain prompt string as well as messages', async () => {
      const scores = await s.scorer.score({ prompt: 'What is 2 + 2?' }, TEXTS.slice(0, 2).map(resp));
      expect(scores).toHaveLength(2);
    });

    it('rejects with the signal reason when already aborted', async () => {
      const ac = new AbortController();
      const reason = new Error('client went away');
      ac.abort(reason);
      await expect(s.scorer.score(PROMPT, TEXTS.map(resp), ac.signal)).rejects.toBe(reason);
    });

    it('rejects with the signal reason when aborted in flight', async (ctx) => {
      if (!s.slowCall) return ctx.skip();
      const ac = new AbortController();
      const reason = new Error('deadline');
      const p = s.slowCall(ac.signal);
      setTimeout(() => ac.abort(reason), 5);
      await expect(p).rejects.toBe(reason);
    });

    it('surfaces failures as BomError with a stable code', async () => {
      const bad = await s.failing();
      try {
        const err = await bad
          .score(
            PROMPT,
            TEXTS.map((t) => t),
          )
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(err).toBeInstanceOf(BomError);
        expect((err as BomError).code).toMatch(/^[a-z_]+$/);
      } finally {
        await bad.close?.();
      }
    });
  });
}
