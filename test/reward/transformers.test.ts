// The real transformers.js code path on the tiny models built by test/global-setup.ts: offline,
// no downloads (allowRemote stays false, so transformers.js is told local_files_only).
import { copyFileSync, cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BomError } from '../../src/core/errors.ts';
import { TransformersScorer, truncate } from '../../src/reward/transformers.ts';
import { SerialQueue } from '../../src/models/cpu-queue.ts';
import { scorerContract } from './contract.ts';
import { TINY_BERT, TINY_QWEN3 } from './models.ts';
import { buildTinyBertRm, LEXICON } from '../fixtures/build-tiny-rm.ts';

const many = Array.from({ length: 400 }, (_, i) => `answer ${i} is correct`);

scorerContract('transformers (tiny bert, text pair)', () => {
  const scorer = new TransformersScorer({ model: TINY_BERT });
  return {
    scorer,
    failing: () => new TransformersScorer({ model: join(TINY_BERT, 'missing') }),
    slowCall: (signal) => scorer.score({ prompt: 'q' }, many, signal),
  };
});

scorerContract('transformers (tiny qwen3, chat template, AutoModel)', () => ({
  scorer: new TransformersScorer({ model: TINY_QWEN3, batchSize: 4 }),
  failing: () => new TransformersScorer({ model: TINY_QWEN3, dtype: 'q8' }),
}));

const tmp = mkdtempSync(join(tmpdir(), 'bom-rm-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function copyModel(from: string, name: string): string {
  const dir = join(tmp, name);
  cpSync(from, dir, { recursive: true });
  return dir;
}

const good = 'It is 4, because 2 + 2 = 4. I checked: correct and verified.';
const bad = 'Sorry, idk. Maybe 5? I am unsure, this could be wrong.';
const neutral = 'The number is 4.';

describe('TransformersScorer', () => {
  it('ranks a clearly good response above a neutral one above a clearly bad one (encoder, pair)', async () => {
    const s = new TransformersScorer({ model: TINY_BERT });
    await s.ready();
    const [g, n, b] = await s.score({ prompt: 'What is 2 + 2?' }, [good, neutral, bad]);
    expect(g).toBeGreaterThan(n!);
    expect(n).toBeGreaterThan(b!);
    await s.close();
  });

  it('returns the raw logit, not a softmax (a 1-label softmax would be 1 for every text)', async () => {
    const s = new TransformersScorer({ model: TINY_BERT });
    const scores = await s.score({ prompt: 'q' }, ['correct verified', bad]);
    expect(scores[0]).toBeGreaterThan(1); // mean lexicon polarity: impossible after a softmax or sigmoid
    expect(scores[1]).toBeLessThan(0);
  });

  it('ignores the prompt side of a pair (token_type_ids reach the graph)', async () => {
    const s = new TransformersScorer({ model: TINY_BERT });
    const [a] = await s.score({ prompt: 'sorry wrong idk' }, [neutral]);
    const [b] = await s.score({ prompt: 'correct verified' }, [neutral]);
    expect(a).toBe(b);
  });

  it('renders the chat template for decoders and reads logits [B,1] through AutoModel', async () => {
    const s = new TransformersScorer({ model: TINY_QWEN3 });
    const prompt = { messages: [{ role: 'user', content: 'What is 2 + 2?' }] };
    const [g, b] = await s.score(prompt, [good, bad]);
    expect(g).toBeGreaterThan(b!);
    // Left padding in a batch gives the same scores as one at a time.
    const batched = new TransformersScorer({ model: TINY_QWEN3, batchSize: 8 });
    const together = await batched.score(prompt, [good, bad, neutral]);
    const alone = [
      ...(await s.score(prompt, [good])),
      ...(await s.score(prompt, [bad])),
      ...(await s.score(prompt, [neutral])),
    ];
    expect(together.map((x) => x.toFixed(6))).toEqual(alone.map((x) => x.toFixed(6)));
  });

  it('uses the text pair when told to, even with a chat template', async () => {
    const chat = new TransformersScorer({ model: TINY_QWEN3 });
    const pair = new TransformersScorer({ model: TINY_QWEN3, input: 'pair' });
    expect(pair.id).not.toBe(chat.id);
    const prompt = { prompt: 'the user asked' };
    const [c] = await chat.score(prompt, [good]);
    const [p] = await pair.score(prompt, [good]);
    expect(c).not.toBe(p); // the template adds role words and markers to the mean
  });

  it('serves concurrent calls through its queue with the same results', async () => {
    const s = new TransformersScorer({ model: TINY_BERT });
    const solo = await s.score({ prompt: 'q' }, [good, bad]);
    const results = await Promise.all(Array.from({ length: 5 }, () => s.score({ prompt: 'q' }, [good, bad])));
    for (const r of results) expect(r).toEqual(solo);
  });

  it('takes turns in a queue it is given (the process-wide CPU queue)', async () => {
    const queue = new SerialQueue();
    const s = new TransformersScorer({ model: TINY_BERT, queue });
    await s.ready();
    let release = () => {};
    const other = queue.run(() => new Promise<void>((r) => (release = r)));
    let scored = false;
    const scoring = s.score({ prompt: 'q' }, [good]).then((r) => {
      scored = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(scored).toBe(false); // waiting behind the other model's job
    expect(queue.pending).toBe(1);
    release();
    await other;
    expect(await scoring).toHaveLength(1);
  });

  it('names a model folder by its absolute path in the id (bom score reuses stored rewards by scorer id)', () => {
    // `./rm` run from two folders is two models: a relative id would let the second reuse the first's.
    const rel = relative(process.cwd(), TINY_BERT);
    expect(new TransformersScorer({ model: rel }).id).toBe(new TransformersScorer({ model: TINY_BERT }).id);
    expect(new TransformersScorer({ model: `./${rel}` }).id).toBe(`transformers:${TINY_BERT}@fp32`);
    // A hub id stays as given.
    expect(new TransformersScorer({ model: 'org/rm', allowRemote: true }).id).toBe(
      'transformers:org/rm@fp32',
    );
  });

  it('a model that emits NaN or Infinity fails the call with reward_invalid_scores, never returns it', async () => {
    for (const [name, weight] of [
      ['nan', Number.NaN],
      ['inf', Number.POSITIVE_INFINITY],
    ] as const) {
      const dir = buildTinyBertRm(join(tmp, `emits-${name}`), { ...LEXICON, correct: weight });
      const s = new TransformersScorer({ model: dir });
      expect((await s.score({ prompt: 'q' }, [neutral]))[0]).toBe(0); // other texts still score
      const err = await s.score({ prompt: 'q' }, [neutral, 'correct']).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(BomError);
      expect((err as BomError).code).toBe('reward_invalid_scores');
      expect((err as Error).message).toContain(dir);
      await s.close();
    }
  });

  it('truncates long inputs keeping the first token and the end of the response', async () => {
    expect(truncate({ input_ids: [1, 2, 3, 4, 5], attention_mask: [1, 1, 1, 1, 1] }, 3)).toEqual({
      input_ids: [1, 4, 5],
      attention_mask: [1, 1, 1],
    });
    // [CLS] + the last 8 tokens: 'the answer is 4 checked correct verified [SEP]'.
    const s = new TransformersScorer({ model: TINY_BERT, maxTokens: 9 });
    const long = `${'sorry wrong '.repeat(200)} the answer is 4 checked correct verified`;
    const [score] = await s.score({ prompt: 'q' }, [long]);
    expect(score).toBeCloseTo((0.5 + 1.5 + 2 + 2) / 8, 5); // only the (positive) end survived
  });

  describe('start-up validation names the path and the missing file', () => {
    const expectModelError = async (s: TransformersScorer, ...fragments: string[]) => {
      const err = await s.ready().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(BomError);
      expect((err as BomError).code).toBe('reward_model_invalid');
      for (const f of fragments) expect((err as Error).message).toContain(f);
    };

    it('missing folder', async () => {
      const dir = join(tmp, 'nope');
      await expectModelError(new TransformersScorer({ model: dir }), dir, 'not found');
    });

    it('missing tokenizer.json', async () => {
      const dir = copyModel(TINY_BERT, 'no-tokenizer');
      unlinkSync(join(dir, 'tokenizer.json'));
      await expectModelError(new TransformersScorer({ model: dir }), dir, 'tokenizer.json');
    });

    it('missing q8 file, with a hint', async () => {
      await expectModelError(
        new TransformersScorer({ model: TINY_BERT, dtype: 'q8' }),
        'onnx/model_quantized.onnx',
        'dtype q8',
      );
    });

    it('a q8 file present is loaded for dtype q8', async () => {
      const dir = copyModel(TINY_BERT, 'with-q8');
      copyFileSync(join(dir, 'onnx/model.onnx'), join(dir, 'onnx/model_quantized.onnx'));
      unlinkSync(join(dir, 'onnx/model.onnx'));
      const s = new TransformersScorer({ model: dir, dtype: 'q8' });
      await s.ready();
      expect((await s.score({ prompt: 'q' }, [good]))[0]).toBeGreaterThan(0);
      await s.close();
    });

    it('broken ONNX file', async () => {
      const dir = copyModel(TINY_BERT, 'broken-onnx');
      writeFileSync(join(dir, 'onnx/model.onnx'), 'not a model');
      await expectModelError(new TransformersScorer({ model: dir }), dir);
    });

    it('more than one label', async () => {
      const dir = copyModel(TINY_BERT, 'two-labels');
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({ model_type: 'bert', id2label: { 0: 'a', 1: 'b' } }),
      );
      await expectModelError(new TransformersScorer({ model: dir }), '2 labels');
    });

    it('a hub id while remote loading is off', async () => {
      await expectModelError(
        new TransformersScorer({ model: 'Skywork/Skywork-Reward-V2-Qwen3-0.6B' }),
        'allowRemote',
      );
    });
  });
});
