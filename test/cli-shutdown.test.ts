// `bom serve` with hostile stdio: a stdout whose reader went away must not crash it, and
// a stderr pipe nobody reads (log writes stuck) must not keep the process alive after SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/bom.mjs', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (;;) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const healthy = (port: number) => async () =>
  (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

const children: ChildProcess[] = [];
afterEach(() => {
  // A failed test must not leave a server behind.
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('bom serve with hostile stdio', () => {
  it('keeps serving when stdout is a broken pipe, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [bin, 'serve', '--port', String(port), '--upstream', 'http://127.0.0.1:9/v1'],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    children.push(child);
    child.stdout!.destroy(); // the reader is gone before the start-up line is written
    await until(healthy(port));
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
  });

  it('exits on SIGTERM while its stderr is a pipe nobody reads', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [bin, 'serve', '--port', String(port), '--upstream', 'http://127.0.0.1:9/v1'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    children.push(child);
    child.stderr!.pause(); // never read: the pipe fills and log writes block
    await until(healthy(port));
    // Enough logged requests (two lines each) to fill the pipe and the parent's read buffer.
    const body = JSON.stringify({ model: 'm' });
    const one = () =>
      fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }).then((r) => r.arrayBuffer());
    for (let i = 0; i < 60; i++) await Promise.all(Array.from({ length: 20 }, one));
    child.kill('SIGTERM');
    // Before the fix the port closed and the process lived on until a second signal.
    expect(await exitOf(child)).toBe(0);
  }, 60_000);
});
