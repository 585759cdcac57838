// Credentials stay out of /readyz, the start-up line and logs; readiness details are for key holders.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/core/index.ts';
import { type Stack, startStack } from './harness.ts';

describe('redactUrl', () => {
  it('drops user:password and secret query values, keeps the rest', () => {
    expect(redactUrl('http://user:hunter2@gpu-box:8000/v1')).toBe('http://***@gpu-box:8000/v1');
    expect(redactUrl('https://h/v1?api_key=abc&region=eu')).toBe('https://h/v1?api_key=***&region=eu');
    expect(redactUrl('http://127.0.0.1:8000/v1')).toBe('http://127.0.0.1:8000/v1');
    expect(redactUrl('not a url //me:pw@x')).not.toContain('pw');
  });
});

describe('/readyz', () => {
  let s: Stack;
  beforeAll(async () => {
    // bom reaches the replay through a URL that carries credentials.
    s = await startStack({
      config: { apiKeys: ['k1'] },
      upstreamUrl: (url) => url.replace('http://', 'http://alice:hunter2@'),
    });
  });
  afterAll(() => s.close());

  const readyz = (key?: string) =>
    fetch(
      `${s.base.replace(/\/v1$/, '')}/readyz`,
      key ? { headers: { authorization: `Bearer ${key}` } } : {},
    );

  it('answers only the status without a key, the details with one, never the password', async () => {
    const anonymous = (await (await readyz()).json()) as object;
    expect(Object.keys(anonymous)).toEqual(['ready']);
    const wrong = (await (await readyz('nope')).json()) as object;
    expect(Object.keys(wrong)).toEqual(['ready']);
    const res = await readyz('k1');
    expect(res.status).toBe(200);
    const detailed = await res.text();
    expect(JSON.parse(detailed)).toMatchObject({ ready: true, upstream: { reachable: true } });
    expect(detailed).toContain('***@127.0.0.1');
    expect(detailed).not.toContain('hunter2');
  });
});

describe('the start-up line', () => {
  it('names the upstream without its password', async () => {
    const bin = fileURLToPath(new URL('../../bin/bom.mjs', import.meta.url));
    const child = spawn(
      process.execPath,
      [bin, 'serve', '--port', '0', '--upstream', 'http://alice:hunter2@127.0.0.1:9/v1'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    try {
      while (!out.includes('bom listening')) await new Promise((r) => setTimeout(r, 25));
      // The unreachable-upstream warning follows shortly; give it a moment to be written too.
      await new Promise((r) => setTimeout(r, 300));
      expect(out).toContain('***@127.0.0.1:9');
      expect(out).not.toContain('hunter2');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
