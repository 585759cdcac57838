// The fan-out's deadline signal carries one listener per call in flight: no "possible leak" warning.
import { describe, expect, it } from 'vitest';
import { timeoutSignal } from '../../src/upstream/timeout-signal.ts';

describe('timeoutSignal', () => {
  it('takes many child listeners without a MaxListenersExceededWarning, and aborts them all', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const client = new AbortController();
      const deadline = timeoutSignal(client.signal, 60_000);
      const calls = Array.from({ length: 32 }, () => timeoutSignal(deadline.signal, 60_000));
      await new Promise((r) => setImmediate(r));
      client.abort(new Error('gone'));
      expect(calls.every((c) => c.signal.aborted)).toBe(true);
      for (const c of calls) c.dispose();
      deadline.dispose();
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
