import { describe, expect, it } from 'vitest';
import { CHECKS } from './checks.js';
import { DEFAULT_PORTS, defaultPort } from './default-ports.js';

describe('defaultPort', () => {
  it('knows the port of every check that has one, by protocol in any case', () => {
    expect(defaultPort('REDIS')).toBe(6379);
    expect(defaultPort('postgresql')).toBe(DEFAULT_PORTS.postgres);
    expect(defaultPort('tcp-expect')).toBeUndefined();
    expect(defaultPort('constructor')).toBeUndefined();
    for (const protocol of Object.keys(DEFAULT_PORTS)) expect(CHECKS.has(protocol)).toBe(true);
  });
});
