import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { envRunnerPools } from './runner-pools.js';

describe('RUNNER_POOLS', () => {
  it('is the default pool when unset', () => {
    expect(envRunnerPools({}, 'RUNNER_POOLS')).toEqual(['']);
    expect(envRunnerPools({ RUNNER_POOLS: ' ' }, 'RUNNER_POOLS')).toEqual(['']);
  });

  it('lists pools, "default" standing for the default pool, each once', () => {
    expect(envRunnerPools({ RUNNER_POOLS: 'team-3, dmz,default,dmz' }, 'RUNNER_POOLS')).toEqual([
      'team-3',
      'dmz',
      '',
    ]);
  });

  it('refuses a name a pool cannot have, saying which and how to fix it', () => {
    for (const raw of ['team 3', 'a,,b', 'dmz/1']) {
      const run = () => envRunnerPools({ RUNNER_POOLS: raw }, 'RUNNER_POOLS');
      expect(run).toThrow(ConfigError);
      expect(run).toThrow(/^RUNNER_POOLS: ".*" in ".*" is not a pool name; list pool names/);
    }
  });
});
