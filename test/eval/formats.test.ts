import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gsm8kGold, loadBenchmark } from '../../eval/benchmarks.ts';
import { detectFormat, gsm8kFinalAnswer, loadSamples } from '../../eval/formats.ts';

const dir = mkdtempSync(join(tmpdir(), 'bom-formats-'));
const write = (name: string, lines: unknown[], tail = '') => {
  const file = join(dir, name);
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n' + tail);
  return file;
};

const qwenRow = (idx: number, preds: string[], scores: boolean[], rewards: number[]) => ({
  idx,
  question: `q${idx}`,
  gt: '4',
  system: 'Please reason step by step.',
  code: preds.map((p) => `so \\boxed{${p}}`),
  pred: preds,
  score: scores,
  pred_score: rewards.map((r) => [r]),
  level: 'Level 1',
});

const solution = (answer: string, correct: boolean) => ({
  solution: `work\nA: ${answer}`,
  is_correct: correct,
});
const gsmRow = {
  question: 'How many?',
  ground_truth: '2 + 2 = <<2+2=4>>4\nA: 4',
  '6b_finetuning': solution('5', false),
  '6b_verification': solution('4', true),
  '175b_finetuning': solution('4', true),
  '175b_verification': solution('4', true),
};

describe('recorded-sample importers', () => {
  it('reads the Qwen rm/maj file: responses, recorded answers, correctness and rewards', () => {
    const file = write('qwen.jsonl', [qwenRow(7, ['4', '5'], [true, false], [1.5, -0.5])]);
    const { format, records } = loadSamples(file);
    expect(format).toBe('qwen-rm-maj');
    expect(records[0]).toMatchObject({ id: '7', prompt: 'q7', gold: '4', meta: { level: 'Level 1' } });
    expect(records[0]?.samples[1]).toEqual({
      text: 'so \\boxed{5}',
      answer: '5',
      correct: false,
      reward: -0.5,
    });
    expect(records[0]?.messages?.[0]?.role).toBe('system');
  });

  it('reads the GSM8K example solutions: four systems, answers after "A: ", no rewards', () => {
    const file = write('gsm.jsonl', [gsmRow]);
    const { format, records } = loadSamples(file);
    expect(format).toBe('gsm8k-solutions');
    expect(records[0]?.gold).toBe('4');
    expect(records[0]?.samples.map((s) => [s.answer, s.correct])).toEqual([
      ['5', false],
      ['4', true],
      ['4', true],
      ['4', true],
    ]);
    expect(records[0]?.samples[0]?.reward).toBeUndefined();
  });

  it('detects formats and refuses a file it cannot tell, naming --format', () => {
    expect(detectFormat({ id: 'a', samples: [] })).toBe('bom');
    expect(detectFormat(gsmRow)).toBe('gsm8k-solutions');
    expect(detectFormat({ foo: 1 })).toBeNull();
    const file = write('odd.jsonl', [{ foo: 1 }]);
    expect(() => loadSamples(file)).toThrow(/--format/);
  });

  it('a malformed record names file and line; skip keeps the rest', () => {
    const file = write(
      'bad.jsonl',
      [qwenRow(0, ['1'], [true], [0]), { idx: 1, code: 'x', pred: [] }],
      '{"idx": 2, "co',
    );
    expect(() => loadSamples(file, { format: 'qwen-rm-maj' })).toThrow(/bad\.jsonl:2/);
    const { records, bad } = loadSamples(file, { format: 'qwen-rm-maj', onBadLine: 'skip' });
    expect(records).toHaveLength(1);
    expect(bad.map((b) => b.line)).toEqual([2, 3]);
  });

  it('a converted file that repeats a problem id: the repeat is a bad line (stop names it; skip keeps the first)', () => {
    // In bom's own store a later line supersedes an earlier one (a top-up); a recorded-sample file has
    // no such meaning, and two problems under one id would collide in reports and A/B disagreements.
    const file = write('dup.jsonl', [
      qwenRow(7, ['4'], [true], [0]),
      qwenRow(8, ['5'], [false], [0]),
      qwenRow(7, ['3'], [false], [0]),
    ]);
    expect(() => loadSamples(file)).toThrow(/dup\.jsonl:3: .*duplicate problem id '7' \(first on line 1\)/);
    const { records, bad } = loadSamples(file, { onBadLine: 'skip' });
    expect(records.map((r) => [r.id, r.samples[0]!.answer])).toEqual([
      ['7', '4'],
      ['8', '5'],
    ]);
    expect(bad.map((b) => b.line)).toEqual([3]);
  });

  it('parses GSM8K final answers', () => {
    expect(gsm8kFinalAnswer('a\nb\nA: 1,234')).toBe('1,234');
    expect(gsm8kFinalAnswer('no answer line')).toBeNull();
    expect(gsm8kGold('x = 3\n#### 1,200')).toBe('1200');
  });
});

describe('benchmark loaders', () => {
  it('reads GSM8K (#### answers), MATH-500/AIME style and generic JSONL', () => {
    const file = write('bench.jsonl', [
      { question: 'Q1', answer: 'work\n#### 18' },
      { problem: 'P2', answer: '\\frac12', unique_id: 'test/algebra/1.json', level: '2' },
      { id: 3, prompt: 'P3', gold: 42 },
      { id: 'x', messages: [{ role: 'user', content: 'hi' }] },
    ]);
    const { problems } = loadBenchmark(file);
    expect(problems.map((p) => [p.id, p.gold])).toEqual([
      ['0', '18'],
      ['test/algebra/1.json', '\\frac12'],
      ['3', '42'],
      ['x', null],
    ]);
    expect(problems[1]?.meta).toEqual({ level: '2' });
  });

  it('reads a JSON array file (MARIO annotation) and rejects rows without a prompt', () => {
    const file = join(dir, 'arr.json');
    writeFileSync(file, JSON.stringify([{ index: 1, question: 'Q', answer: '2' }, { index: 2 }]));
    expect(() => loadBenchmark(file)).toThrow(/arr\.json:2/);
    expect(loadBenchmark(file, 'skip').problems).toEqual([{ id: '1', prompt: 'Q', gold: '2' }]);
  });
});
