import { describe, expect, it } from 'vitest';
import { CALLBACK_LIMITS, callbackLimits } from './callback-limits.js';

describe('callbackLimits', () => {
  it('fills every limit left out (or undefined) from CALLBACK_LIMITS', () => {
    expect(callbackLimits({})).toEqual(CALLBACK_LIMITS);
    expect(callbackLimits({ maxBodyBytes: 1024, bodyGraceMs: undefined })).toEqual({
      ...CALLBACK_LIMITS,
      maxBodyBytes: 1024,
    });
  });

  it('refuses limits that are not positive integers or that contradict each other', () => {
    expect(() => callbackLimits({ maxConnections: 0 })).toThrow(
      'maxConnections must be a positive integer, got 0',
    );
    expect(() => callbackLimits({ headersTimeoutMs: 1.5 })).toThrow(RangeError);
    expect(() => callbackLimits({ maxBodyBytes: 2048, maxBodyBytesInFlight: 1024 })).toThrow(
      'maxBodyBytesInFlight must be at least maxBodyBytes',
    );
    expect(() =>
      callbackLimits({ maxExtensionBodyBytes: 2048, maxExtensionBytesInFlight: 4095 }),
    ).toThrow('maxExtensionBytesInFlight must be at least twice maxExtensionBodyBytes');
    expect(() => callbackLimits({ maxGzipRatio: 0 })).toThrow(
      'maxGzipRatio must be a positive integer, got 0',
    );
    expect(() => callbackLimits({ headersTimeoutMs: 2000, requestTimeoutMs: 1000 })).toThrow(
      'headersTimeoutMs must be at most requestTimeoutMs',
    );
  });
});
