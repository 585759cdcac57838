// Scorers from config: the tiny reward model (built by test/global-setup.ts) configured in the
// `reward` section, loaded through transformers.js, ranking best-of-n for the official SDK client;
// the shared score cache's figures in /metrics; /readyz following the default scorer's load.
import { cpSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BomError } from '../../src/core/errors.ts';
import { parseConfig } from '../../src/config.ts';
import { buildDeps } from '../../src/server/wiring.ts';
import { TINY_BERT } from '../reward/models.ts';
import { ask, type Loose, type Stack, sel, startStack } from './harness.ts';
import { recordedProblems } from '../fixtures/recorded.ts';

const QUESTION = 'Is it 17 or 42?';
// Majority says 42 (three votes); the reward model's lexicon prefers the confident, checked 17.
const problems = recordedProblems(
  JSON.stringify({
    id: 'rm',
    prompt: QUESTION,
    samples: [
      { text: 'Maybe \\boxed{42}, I guess.' },
      { text: 'Sorry, unsure: \\boxed{42}' },
      { text: 'I checked it: \\boxed{17} is correct and verified.' },
      { text: 'Dunno, maybe \\boxed{42} is wrong.' },
    ],
  }),
);

let s: Stack;
beforeAll(async () => {
  s = await startStack({
    problems,
    config: {
      reward: { scorers: { rm: { kind: 'transformers', model: TINY_BERT } } },
      selection: { scorer: 'rm' },
    },
  });
});
afterAll(() => s.close());

const readyz = async () => (await (await fetch(`${s.bom.url}/readyz`)).json()) as Loose;

describe('reward scorers from config', () => {
  it('reports the default scorer idle until loaded, then ready', async () => {
    expect((await readyz())['scorer']).toMatchObject({ id: 'rm', ready: false, state: 'idle' });
    await s.bom.app.state.scorers.load?.();
    expect(await readyz()).toMatchObject({ ready: true, scorer: { id: 'rm', ready: true, state: 'ready' } });
  });

  it('ranks best-of-n through the tiny reward model, and the score cache shows in /metrics', async () => {
    const request = {
      model: 'replay-model',
      messages: ask(QUESTION),
      ...sel({ strategy: 'best-of-n', samples: 4 }),
    };
    const res = (await s.client.chat.completions.create(request)) as unknown as Loose;
    expect(res['choices'][0].selection.answer).toBe('17');
    expect(res['selection'].scorer).toBe('rm');
    const rewards = res['selection'].clusters.map((c: Loose) => c['reward']);
    expect(rewards.every((r: unknown) => typeof r === 'number')).toBe(true);

    const majority = (await s.client.chat.completions.create({
      ...request,
      ...sel({ strategy: 'majority', samples: 4 }),
    })) as unknown as Loose;
    expect(majority['choices'][0].selection.answer).toBe('42');

    await s.client.chat.completions.create(request); // same prompt and responses: all from the cache
    const metrics = await (await fetch(`${s.bom.url}/metrics`)).text();
    expect(metrics).toContain('bom_score_cache_total{result="miss"} 4');
    expect(metrics).toContain('bom_score_cache_total{result="hit"} 4');
    expect(metrics).toContain('bom_score_cache_entries 4');
  });

  it('keeps the built-in logprob and confidence scorers next to the configured ones', async () => {
    expect(s.bom.app.state.scorers.ids().sort()).toEqual(['confidence', 'logprob', 'rm', 'self-certainty']);
  });
});

describe('reward model start-up validation', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bom-rm-serve-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const deps = (model: string) =>
    buildDeps(
      parseConfig({
        upstream: { url: 'http://127.0.0.1:1/v1' },
        reward: { scorers: { rm: { kind: 'transformers', model } } },
      }),
      { logger: pino({ level: 'silent' }) },
    );

  it('names the folder and the missing file before any load', () => {
    const broken = join(tmp, 'broken-rm');
    cpSync(TINY_BERT, broken, { recursive: true });
    unlinkSync(join(broken, 'tokenizer.json'));
    const d = deps(broken);
    expect(() => d.scorers.validate?.()).toThrow(BomError);
    expect(() => d.scorers.validate?.()).toThrow(`reward model folder ${broken} is missing tokenizer.json`);
    expect(() => deps(join(tmp, 'nowhere')).scorers.validate?.()).toThrow(
      `reward model folder not found: ${join(tmp, 'nowhere')}`,
    );
    expect(() => deps(TINY_BERT).scorers.validate?.()).not.toThrow();
  });

  it('reports a failed load in /readyz terms without throwing', async () => {
    const d = deps(join(tmp, 'nowhere'));
    const failed: string[] = [];
    await d.scorers.load?.((id) => failed.push(id));
    expect(failed).toEqual(['rm']);
    // The default scorer is logprob here: it needs no model and stays ready.
    expect(d.scorers.ready()).toBe(true);
  });
});
