import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/bom.mjs');
const run = (args: string[], input: string) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 20_000 });
  return {
    code: r.status,
    lines: r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
};

describe('bom answers (CLI)', () => {
  it('extract: one line out per line in, errors in place', () => {
    const input = ['{"text":"so \\\\boxed{42}"}', 'not json', '{"text":5}', '', '{"text":"nothing"}'].join(
      '\n',
    );
    const { code, lines } = run(['answers', 'extract'], `${input}\n`);
    expect(code).toBe(0);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toEqual({ answer: '42', rule: 'boxed' });
    expect(lines[1]).toHaveProperty('error.code', 'invalid_line');
    expect(lines[2]).toHaveProperty('error.code', 'invalid_line');
    expect(lines[3]).toHaveProperty('error');
    expect(lines[4]).toEqual({ answer: null, rule: 'no-answer' });
  });

  it('check: full responses or bare answers', () => {
    const input = [
      '{"gold":"\\\\frac12","pred":"The answer is $0.5$."}',
      '{"gold":"5","pred":"500"}',
      '{"gold":"023","pred":23}',
      '{"gold":"1"}',
    ].join('\n');
    const { code, lines } = run(['answers', 'check'], input);
    expect(code).toBe(0);
    expect(lines.map((l) => l['equal'] ?? 'error')).toEqual([true, false, true, 'error']);
  });

  it('check: reports the parsed types and the deciding rule; honours the problem text', () => {
    const input = [
      '{"gold":"x=2","pred":"y=2"}',
      '{"gold":"\\\\{1,2\\\\}","pred":"(1,2)"}',
      '{"gold":"5 cm","pred":"0.05 m"}',
      '{"gold":"\\\\sqrt2","pred":"1.41"}',
      '{"gold":"\\\\sqrt2","pred":"1.41","problem":"Round to the nearest hundredth."}',
      '{"gold":"4","pred":"so \\\\boxed{4"}',
    ].join('\n');
    const { code, lines } = run(['answers', 'check'], input);
    expect(code).toBe(0);
    expect(lines.map((l) => [l['equal'], l['types'], l['rule']])).toEqual([
      [false, ['assignment', 'assignment'], 'assignment'],
      [false, ['set', 'tuple'], 'set:singleton'],
      [true, ['quantity', 'quantity'], 'quantity'],
      [false, ['number', 'number'], 'number:float'],
      [true, ['number', 'number'], 'number:rounded'],
      [false, ['number', null], 'no-answer'],
    ]);
  });
});
