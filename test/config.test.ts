// Config layering: defaults < file < env < flags, and 0, false and "" are values, not
// "unset".
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, REWARD_MODEL_SCORER_ID, rewardModelLayer } from '../src/config.ts';
import { BomError } from '../src/core/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'bom-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: unknown): string {
  const path = join(dir, `c${n++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('config layering', () => {
  it('defaults when nothing is set', () => {
    const c = loadConfig();
    expect(c.port).toBe(8787);
    expect(c.selection).toMatchObject({ strategy: 'majority', samples: 8, scorer: 'logprob' });
    expect(c.log).toEqual({ level: 'info', prompts: false });
    expect(c.reward.scorers).toEqual({});
  });

  it('file < env < flags, each layer deep-merged into the one below', () => {
    const f = file({
      port: 1000,
      upstream: { url: 'http://file/v1', retries: 5 },
      selection: { samples: 4 },
    });
    const env = { BOM_PORT: '2000', BOM_UPSTREAM_URL: 'http://env/v1' };
    expect(loadConfig({ file: f }).port).toBe(1000);
    const fe = loadConfig({ file: f, env });
    expect(fe.port).toBe(2000);
    expect(fe.upstream).toMatchObject({ url: 'http://env/v1', retries: 5 }); // retries kept from the file
    const fef = loadConfig({ file: f, env, flags: { port: 3000, upstream: { url: 'http://flag/v1' } } });
    expect(fef.port).toBe(3000);
    expect(fef.upstream).toMatchObject({ url: 'http://flag/v1', retries: 5 });
    expect(fef.selection.samples).toBe(4);
  });

  it('keeps 0, false and "" from any layer', () => {
    const f = file({
      upstream: { retries: 0, apiKey: 'from-file' },
      log: { prompts: true },
      shutdownGraceMs: 0,
    });
    const c = loadConfig({
      file: f,
      env: { BOM_PORT: '2000', BOM_UPSTREAM_API_KEY: '' },
      flags: { port: 0, log: { prompts: false } },
    });
    expect(c.port).toBe(0);
    expect(c.upstream.retries).toBe(0);
    expect(c.upstream.apiKey).toBe('');
    expect(c.log.prompts).toBe(false);
    expect(c.shutdownGraceMs).toBe(0);
  });

  it('an empty numeric env var means unset; a non-number is an error naming the field', () => {
    expect(loadConfig({ file: file({ port: 1234 }), env: { BOM_PORT: '' } }).port).toBe(1234);
    expect(() => loadConfig({ env: { BOM_PORT: 'eighty' } })).toThrow(/'port'/);
  });

  it('the reward model shorthand defines `rm` over the file and makes it the default scorer', () => {
    const f = file({ reward: { scorers: { rm: { kind: 'transformers', model: '/file/rm', dtype: 'q8' } } } });
    const c = loadConfig({ file: f, env: { BOM_REWARD_MODEL: '/env/rm' } });
    expect(c.reward.scorers[REWARD_MODEL_SCORER_ID]).toMatchObject({ model: '/env/rm', dtype: 'q8' });
    expect(c.selection.scorer).toBe('rm');
    const flagged = loadConfig({
      file: f,
      env: { BOM_REWARD_MODEL: '/env/rm' },
      flags: rewardModelLayer('/flag/rm', 'logprob'),
    });
    expect(flagged.reward.scorers['rm']).toMatchObject({ model: '/flag/rm' });
    expect(flagged.selection.scorer).toBe('logprob');
  });

  it('reports an unreadable file and an invalid value with stable codes', () => {
    const missing = join(dir, 'missing.json');
    expect(() => loadConfig({ file: missing })).toThrow(BomError);
    expect(() => loadConfig({ file: missing })).toThrow(
      expect.objectContaining({ code: 'config_unreadable' }),
    );
    expect(() => loadConfig({ file: file('{not json') })).toThrow(/Cannot read config/);
    expect(() =>
      loadConfig({ file: file({ reward: { scorers: { rm: { kind: 'transformers' } } } }) }),
    ).toThrow(expect.objectContaining({ code: 'invalid_config', param: 'reward.scorers.rm.model' }));
  });
});
