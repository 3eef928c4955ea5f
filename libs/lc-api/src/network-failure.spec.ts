import { describe, expect, it } from 'vitest';
import { describeNetworkFailure } from './network-failure.js';

const sysErr = (code: string, syscall?: string) =>
  Object.assign(new Error(code), { code, syscall });
const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });

describe('describeNetworkFailure', () => {
  it('knows a failed connection or name lookup sent nothing', () => {
    expect(describeNetworkFailure(fetchFailed(sysErr('ECONNREFUSED', 'connect')))).toEqual({
      sent: false,
      code: 'ECONNREFUSED',
    });
    expect(describeNetworkFailure(fetchFailed(sysErr('ENOTFOUND', 'getaddrinfo'))).sent).toBe(
      false,
    );
    expect(describeNetworkFailure(fetchFailed(sysErr('UND_ERR_CONNECT_TIMEOUT'))).sent).toBe(false);
    // Happy eyeballs: every address refused.
    const all = new AggregateError([
      sysErr('ECONNREFUSED', 'connect'),
      sysErr('ENETUNREACH', 'connect'),
    ]);
    expect(describeNetworkFailure(fetchFailed(all))).toEqual({ sent: false, code: 'ECONNREFUSED' });
  });

  it('assumes anything later may have reached LimaCharlie', () => {
    expect(describeNetworkFailure(fetchFailed(sysErr('UND_ERR_SOCKET')))).toEqual({
      sent: true,
      code: 'UND_ERR_SOCKET',
    });
    expect(describeNetworkFailure(fetchFailed(sysErr('ECONNRESET', 'read'))).sent).toBe(true);
    expect(describeNetworkFailure(fetchFailed(new Error('bad port'))).sent).toBe(true);
    expect(describeNetworkFailure('weird').sent).toBe(true);
  });
});
