// `log.prompts`: prompt and response text reach the logs only when the operator turns it on.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ask, SIX_SEVEN, sel, startStack } from './harness.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

async function run(prompts: boolean): Promise<string> {
  const { lines, logger } = capture();
  const s = await startStack({ logger, config: { log: { level: 'info', prompts } } });
  try {
    await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(SIX_SEVEN),
      ...sel({ samples: 8 }),
    });
    await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(SIX_SEVEN),
      ...sel({ strategy: 'none' }),
    });
  } finally {
    await s.close();
  }
  return lines.join('');
}

describe('log.prompts', () => {
  it('off (the default): requests are logged, their text is not', async () => {
    const log = await run(false);
    expect(log).toContain('"msg":"request"');
    expect(log).not.toContain(SIX_SEVEN);
    expect(log).not.toContain('boxed');
  });

  it('on: the prompt and the chosen responses are logged with the request id', async () => {
    const log = await run(true);
    const texts = log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['msg'] === 'selection texts');
    expect(texts).toHaveLength(1);
    expect(JSON.stringify(texts[0]!['prompt'])).toContain(SIX_SEVEN);
    expect((texts[0]!['responses'] as string[])[0]).toContain('\\boxed{42}');
    expect(texts[0]!['requestId']).toMatch(/^req_/);
    expect(log).toContain('"msg":"pass-through prompt"');
  });
});
