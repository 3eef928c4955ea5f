import { describe, expect, it } from 'vitest';
import { addDefaults, LC_API_DEFAULTS } from './lc-api.options.js';

describe('addDefaults', () => {
  it("defaults to LimaCharlie's API, v1, 30 s, 3 attempts", () => {
    const o = addDefaults({});
    expect(o).toMatchObject({ ...LC_API_DEFAULTS });
    expect(Object.isFrozen(o)).toBe(true);
  });

  it('keeps a path prefix and drops trailing slashes', () => {
    expect(addDefaults({ baseUrl: 'http://127.0.0.1:8080/lc/' }).baseUrl).toBe(
      'http://127.0.0.1:8080/lc',
    );
  });

  it('names the option at fault', () => {
    expect(() => addDefaults({ baseUrl: 'api.limacharlie.io' })).toThrow('baseUrl: not a URL');
    expect(() => addDefaults({ baseUrl: 'ftp://x' })).toThrow('baseUrl: must be http(s), got ftp:');
    expect(() => addDefaults({ baseUrl: 'https://u:p@x' })).toThrow('no credentials, query or #');
    expect(() => addDefaults({ apiVersion: 'v1/../x' })).toThrow(
      'apiVersion: must be a path segment',
    );
    expect(() => addDefaults({ timeoutMs: 0 })).toThrow(
      'timeoutMs: must be a positive whole number, got 0',
    );
    expect(() => addDefaults({ maxAttempts: 1.5 })).toThrow(
      'maxAttempts: must be a positive whole number',
    );
  });
});
