import { describe, expect, it } from 'vitest';
import {
  int32,
  nonEmpty,
  optionalText,
  runnerPool,
  optionalTime,
  port,
  requireId,
  time,
} from './validation.js';

describe('validation', () => {
  it('accepts positive safe integer ids only', () => {
    expect(requireId('id', 1)).toBe(1);
    for (const bad of [0, -1, 1.5, NaN, 2 ** 53]) {
      expect(() => requireId('id', bad)).toThrow(`id: must be a positive id, got ${bad}`);
    }
  });

  it('bounds int32 at both ends', () => {
    expect(int32('r', -(2 ** 31))).toBe(-(2 ** 31));
    expect(int32('r', 2 ** 31 - 1)).toBe(2 ** 31 - 1);
    expect(() => int32('r', 2 ** 31)).toThrow('r: must fit in a 32-bit signed integer');
    expect(() => int32('r', -(2 ** 31) - 1)).toThrow('got -2147483649');
  });

  it('refuses NUL characters, which PostgreSQL text cannot hold', () => {
    expect(() => nonEmpty('name', 'a\u0000b')).toThrow(
      'name: must not contain NUL (\\u0000) characters',
    );
    expect(() => optionalText('error_msg', '\u0000', 10)).toThrow(
      /^error_msg: must not contain NUL/,
    );
  });

  it('checks ports, empty strings and lengths', () => {
    expect(port('p', 0)).toBe(0);
    expect(port('p', 65535)).toBe(65535);
    expect(() => port('p', 65536)).toThrow('p: must be a TCP/UDP port 0..65535, got 65536');
    expect(() => nonEmpty('s', ' \t')).toThrow('s: must not be empty');
    expect(() => nonEmpty('s', 'x'.repeat(257))).toThrow(
      's: must be at most 256 characters, got 257',
    );
    expect(optionalText('e', '', 10)).toBeNull();
    expect(optionalText('e', undefined, 10)).toBeNull();
    expect(optionalText('e', 'ok', 10)).toBe('ok');
  });

  it('refuses times the database cannot hold, naming the field', () => {
    expect(optionalTime('since', undefined)).toBeUndefined();
    const ok = new Date('2026-12-02T00:00:00Z');
    expect(time('since', ok)).toBe(ok);
    expect(() => time('since', new Date(8.64e15))).toThrow(
      'since: must be a time between 0001-01-01 and 9999-12-31 (UTC), got +275760-09-13T00:00:00.000Z',
    );
    expect(() => time('round_time', new Date(NaN))).toThrow(
      'round_time: must be a time between 0001-01-01 and 9999-12-31 (UTC), got an invalid time',
    );
    expect(() => time('until', new Date('0000-12-31T23:59:59Z'))).toThrow(/^until: must be a time/);
  });
});

describe('runnerPool', () => {
  it('names the default pool by "" or "default", stored as ""', () => {
    expect(runnerPool('p', '')).toBe('');
    expect(runnerPool('p', 'default')).toBe('');
    expect(runnerPool('p', 'team-3')).toBe('team-3');
  });

  it('refuses names a pool cannot have, naming the field', () => {
    for (const bad of ['team 3', 'x'.repeat(65), 'dmz/1', '\u0000']) {
      expect(() => runnerPool('service.runner_pool', bad)).toThrow(/service\.runner_pool.*1–64/);
    }
  });
});
