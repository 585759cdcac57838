// The replay upstream's mid-stream disconnect (it cuts the TCP connection after the first content
// chunk) must reach a streaming client as an error event after the chunks already sent, not as a
// clean end of stream or a hang.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, type Loose, type Stack, SIX_SEVEN, sel, startStack, streamChat } from './harness.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack({ faults: { disconnectRate: 1 } });
});
afterAll(() => s.close());

describe('mid-stream upstream disconnect', () => {
  it('reaches the SDK as an error after the first chunks (pass-through stream)', async () => {
    const stream = await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(SIX_SEVEN),
      stream: true,
      ...sel({ strategy: 'none' }),
    });
    const chunks: Loose[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) chunks.push(chunk as Loose);
      })(),
    ).rejects.toThrow();
    // The role chunk and one content chunk came through before the cut.
    expect(chunks.length).toBeGreaterThanOrEqual(1);
    expect(chunks[0]!['choices'][0].delta.role).toBe('assistant');
    expect(s.replay.stats.errors).toBeGreaterThanOrEqual(1);
  });

  it('is an OpenAI-shaped error event and no [DONE] on the wire', async () => {
    const res = await streamChat(s.base, { strategy: 'none' });
    expect(res.status).toBe(200); // headers went out before the upstream failed
    const events = (await res.text())
      .split('\n\n')
      .filter((e) => e.startsWith('data: '))
      .map((e) => e.slice(6));
    expect(events).not.toContain('[DONE]');
    const last = JSON.parse(events.at(-1)!) as Loose;
    expect(last['error']).toMatchObject({ type: expect.any(String), code: expect.any(String) });
    expect(typeof last['error'].message).toBe('string');
    // Chunks before the cut were forwarded as they came.
    expect(events.length).toBeGreaterThan(1);
  });

  it('with selection, a cut sample is a failed sample: quorum failure after the keep-alives', async () => {
    const res = await streamChat(s.base, { samples: 2 });
    const text = await res.text();
    expect(text).toMatch(/^: bom: sampling 2/);
    const last = JSON.parse(text.trim().split('\n\n').at(-1)!.slice(6)) as Loose;
    expect(last['error']).toBeDefined();
    expect(text).not.toContain('[DONE]');
  });
});
