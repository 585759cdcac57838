// `npm start --upstream URL` hands the flag to npm, not bom: the start-up warns.
import { describe, expect, it } from 'vitest';
import { swallowedByNpm } from '../src/commands/serve.ts';

describe('flags npm swallowed', () => {
  it('names them and the fix when npm set npm_config_<flag>', () => {
    const w = swallowedByNpm({ npm_lifecycle_event: 'start', npm_config_upstream: 'true' }, [
      'http://gpu:8000/v1',
    ]);
    expect(w).toMatch(/--upstream/);
    expect(w).toMatch(/npm start -- --upstream/);
    expect(w).toMatch(/http:\/\/gpu:8000\/v1/);
    expect(swallowedByNpm({ npm_lifecycle_event: 'start', npm_config_reward_model: '/m' })).toMatch(
      /--reward-model/,
    );
  });

  it('is silent outside npm, or when nothing was swallowed', () => {
    expect(swallowedByNpm({ npm_config_upstream: 'true' })).toBeNull();
    expect(swallowedByNpm({ npm_lifecycle_event: 'start' })).toBeNull();
  });
});
