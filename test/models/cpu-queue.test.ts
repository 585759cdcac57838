import { describe, expect, it } from 'vitest';
import { delay } from '../../src/core/delay.ts';
import { SerialQueue } from '../../src/models/cpu-queue.ts';

describe('SerialQueue', () => {
  it('runs one job at a time in FIFO order', async () => {
    const q = new SerialQueue();
    const log: string[] = [];
    const job = (name: string, ms: number) =>
      q.run(async () => {
        log.push(`start ${name}`);
        await delay(ms);
        log.push(`end ${name}`);
        return name;
      });
    const results = await Promise.all([job('a', 20), job('b', 1), job('c', 1)]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('drops a waiting job whose signal aborts, and keeps going after a failure', async () => {
    const q = new SerialQueue();
    let ran = false;
    const first = q.run(() => delay(20).then(() => Promise.reject(new Error('first failed'))));
    const ac = new AbortController();
    const second = q.run(async () => {
      ran = true;
    }, ac.signal);
    expect(q.pending).toBe(1);
    ac.abort(new Error('gone'));
    await expect(second).rejects.toThrow('gone');
    await expect(first).rejects.toThrow('first failed');
    expect(await q.run(async () => 42)).toBe(42);
    expect(ran).toBe(false);
  });
});
