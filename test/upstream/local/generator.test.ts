// The in-process generator on the tiny bigram LM, through the real transformers.js generation path.
// The model's answer distribution is known (\boxed{4|5|7} with p = .6/.3/.1), so outputs can be checked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TINY_LM_DIR } from '../../fixtures/build-tiny-lm.ts';
import { createRng } from '../../../src/core/rng.ts';
import { sampleToken } from '../../../src/upstream/local/hooks.ts';
import { type GenerateRequest, LocalGenerator } from '../../../src/upstream/local/generator.ts';

const generator = new LocalGenerator({ model: TINY_LM_DIR });
afterAll(() => generator.close());

const ask = (over: Partial<GenerateRequest> = {}): GenerateRequest => ({
  messages: [{ role: 'user', content: 'What is 2+2?' }],
  n: 8,
  temperature: 1,
  topP: 1,
  topK: 0,
  maxTokens: 32,
  seed: 7,
  ...over,
});

const SCRIPT = /^Let us compute( carefully)?\. The answer is \\boxed\{[457]\}$/;

describe('local generator (tiny qwen2 LM)', () => {
  it('returns N complete samples with finish reasons and token counts', async () => {
    const r = await generator.generate(ask());
    expect(r.samples).toHaveLength(8);
    expect(r.promptTokens).toBeGreaterThan(10);
    for (const s of r.samples) {
      expect(s.text).toMatch(SCRIPT);
      expect(s.finishReason).toBe('stop');
      expect(s.completionTokens).toBe(s.text.includes('carefully') ? 11 : 10);
      expect(s.logprobs).toHaveLength(s.completionTokens);
    }
  });

  it('is reproducible for a seed and varies across seeds', async () => {
    const a = (await generator.generate(ask({ seed: 11 }))).samples.map((s) => s.text);
    const b = (await generator.generate(ask({ seed: 11 }))).samples.map((s) => s.text);
    const c = (await generator.generate(ask({ seed: 12, n: 16 }))).samples.map((s) => s.text);
    expect(b).toEqual(a);
    expect(new Set(c).size).toBeGreaterThan(1);
  });

  it('sample i is the same whether drawn in a batch or alone with seed + i', async () => {
    const batch = (await generator.generate(ask({ seed: 40, n: 4 }))).samples.map((s) => s.text);
    const alone: string[] = [];
    for (let i = 0; i < 4; i++)
      alone.push((await generator.generate(ask({ seed: 40 + i, n: 1 }))).samples[0]!.text);
    expect(alone).toEqual(batch);
  });

  it("reports the raw model's log-probabilities, whatever the temperature", async () => {
    const r = await generator.generate(ask({ temperature: 0.5, n: 4 }));
    for (const s of r.samples) {
      const digit = s.text.match(/\{(\d)\}/)![1] as '4' | '5' | '7';
      const p = { '4': 0.6, '5': 0.3, '7': 0.1 }[digit];
      const digitIndex = s.completionTokens - 2; // …, digit, "}"
      expect(s.logprobs[digitIndex]).toBeCloseTo(Math.log(p), 4);
      expect(s.logprobs[0]).toBeCloseTo(0, 4); // "Let" is certain
    }
  });

  it('samples answers in proportion to the model (64 draws)', async () => {
    const r = await generator.generate(ask({ n: 64, seed: 3 }));
    const fours = r.samples.filter((s) => s.text.endsWith('{4}')).length;
    expect(fours).toBeGreaterThan(64 * 0.4);
    expect(fours).toBeLessThan(64 * 0.8);
  });

  it('stops at max tokens with finish_reason length', async () => {
    const r = await generator.generate(ask({ maxTokens: 3, n: 2 }));
    for (const s of r.samples) {
      expect(s.text).toBe('Let us compute');
      expect(s.finishReason).toBe('length');
      expect(s.completionTokens).toBe(3);
    }
  });

  it('cuts at a stop string', async () => {
    const r = await generator.generate(ask({ stop: [' The answer'], n: 2 }));
    for (const s of r.samples) {
      expect(s.text).toMatch(/^Let us compute( carefully)?\.$/);
      expect(s.finishReason).toBe('stop');
    }
  });

  it('applies top-p: p = 0.5 keeps only the likeliest continuation', async () => {
    const r = await generator.generate(ask({ topP: 0.5, n: 8 }));
    for (const s of r.samples) expect(s.text).toBe('Let us compute. The answer is \\boxed{4}');
  });

  it('greedy decoding (temperature 0) gives N copies of the mode', async () => {
    const r = await generator.generate(ask({ temperature: 0, n: 3 }));
    expect(r.samples.map((s) => s.text)).toEqual(Array(3).fill('Let us compute. The answer is \\boxed{4}'));
  });

  it('splits N above maxBatch into several batches', async () => {
    const small = new LocalGenerator({ model: TINY_LM_DIR, maxBatch: 3 });
    const r = await small.generate(ask({ n: 7 }));
    expect(r.samples).toHaveLength(7);
    await small.close();
  });

  it('rejects when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('client went away'));
    await expect(generator.generate(ask(), controller.signal)).rejects.toThrow('client went away');
  });

  it('a missing folder or file is named before anything loads', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'bom-lm-'));
    try {
      expect(() => new LocalGenerator({ model: join(empty, 'nope') }).check()).toThrow(
        /local model folder not found: .*nope/,
      );
      expect(() => new LocalGenerator({ model: empty }).check()).toThrow(/is missing config\.json/);
      expect(() => new LocalGenerator({ model: TINY_LM_DIR, dtype: 'q8' }).check()).toThrow(
        /is missing onnx\/model_quantized\.onnx \(dtype q8;/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('a model folder is read, not announced as a download', async () => {
    const lines: string[] = [];
    const g = new LocalGenerator({ model: TINY_LM_DIR, log: (l) => lines.push(l) });
    await g.load();
    expect(lines.filter((l) => /download/i.test(l))).toEqual([]);
    await g.close();
  });

  it('a hub id with downloads off is a clear error naming the way out', async () => {
    const g = new LocalGenerator({ model: 'some-org/some-model', allowRemote: false });
    await expect(g.generate(ask())).rejects.toMatchObject({
      code: 'local_model_failed',
      message: expect.stringMatching(/some-org\/some-model.*--local-model .*--upstream/),
    });
  });
});

describe('sampling a token', () => {
  const logits = Float32Array.from([Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)]);
  const draw = (sampling: { temperature: number; topK: number; topP: number }, n = 4000) => {
    const rng = createRng(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) counts[sampleToken(logits, 0, 4, Math.log(0.5), sampling, rng)]!++;
    return counts.map((c) => c / n);
  };

  it('follows softmax(logits) at temperature 1', () => {
    const shares = draw({ temperature: 1, topK: 0, topP: 1 });
    for (const [i, p] of [0.5, 0.3, 0.15, 0.05].entries()) expect(shares[i]).toBeCloseTo(p, 1);
  });

  it('top-p keeps the smallest set reaching p; top-k the k best', () => {
    expect(draw({ temperature: 1, topK: 0, topP: 0.75 }).slice(2)).toEqual([0, 0]);
    expect(draw({ temperature: 1, topK: 1, topP: 1 })).toEqual([1, 0, 0, 0]);
  });

  it('a low temperature sharpens towards the mode', () => {
    expect(draw({ temperature: 0.2, topK: 0, topP: 1 })[0]).toBeGreaterThan(0.9);
  });
});
