import { createHash } from 'node:crypto';
import { NO_CHECK_SETTINGS, type ContentRule } from '@checkwire/check-settings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/index.js';
import { ByteClient } from '../src/byte-client.js';
import { respCommand } from '../src/redis.check.js';
import type { Daemon } from './daemons.js';
import { OPTIONS, target } from './helpers.js';
import { startRedis } from './service-daemons.js';

// The check settings' content rules, judged after a real check read its content (a key's value
// from redis-server), through runCheck as the runner calls it.

const VALUE = 'Welcome to Team 7 -- build 2026.12';
let server: Daemon;
let port: number;

beforeAll(async () => {
  server = await startRedis('default-pw', 'alice', 'alice-pw');
  port = server.ports.redis!;
  const c = await ByteClient.open('127.0.0.1', port, 5000);
  try {
    c.write(respCommand('AUTH', 'default-pw'));
    expect(await c.readLine()).toBe('+OK');
    c.write(respCommand('SET', 'motd', VALUE));
    expect(await c.readLine()).toBe('+OK');
  } finally {
    c.close();
  }
});
afterAll(() => server.stop());

const judged = (
  expect: ContentRule[],
  reject: ContentRule[] = [],
  partial = false,
  info = 'motd',
) =>
  runCheck(
    'redis',
    'Redis',
    target(port, {
      password: 'default-pw',
      info,
      settings: { ...NO_CHECK_SETTINGS, expect, reject, partial },
    }),
    OPTIONS,
  );

describe('content rules', () => {
  it('pass content that meets every expected rule, and hand on only the verdict', async () => {
    const sha256 = createHash('sha256').update(VALUE).digest('hex');
    expect(
      await judged([
        { contains: 'Team 7' },
        { exact: VALUE },
        { regex: 'build \\d{4}\\.\\d+$' },
        { sha256 },
      ]),
    ).toEqual({ up: true, message: 'redis 127.0.0.1: key motd holds a value' });
  });

  it('fail content that misses an expected rule or meets a rejected one, as content', async () => {
    expect(await judged([{ contains: 'Team 8' }])).toEqual({
      up: false,
      kind: 'content',
      message:
        'redis 127.0.0.1: key motd holds a value, but its content does not meet the expected rule: contains "Team 8"',
    });
    expect(await judged([], [{ regex: '(?i)welcome' }])).toEqual({
      up: false,
      kind: 'content',
      message:
        'redis 127.0.0.1: key motd holds a value, but its content matches /(?i)welcome/, a rejected rule',
    });
  });

  it('score the share of expected rules that held when partial', async () => {
    expect(
      await judged(
        [{ contains: 'Team 7' }, { contains: 'defaced' }, { regex: '^Welcome' }],
        [],
        true,
      ),
    ).toEqual({
      up: true,
      message:
        'redis 127.0.0.1: key motd holds a value; 2 of 3 expected rules hold (the first missed: contains "defaced")',
      share: { held: 2, of: 3 },
    });
  });

  it('say so when the check read no content to judge (PING only)', async () => {
    expect(await judged([{ contains: 'x' }], [], false, '')).toEqual({
      up: false,
      kind: 'other',
      message:
        "the redis check reads no content that the check settings' expect/reject rules could judge",
    });
  });

  it('leave a down result as it was', async () => {
    const r = await runCheck(
      'redis',
      'Redis',
      target(port, {
        password: 'wrong',
        info: 'motd',
        settings: { ...NO_CHECK_SETTINGS, expect: [{ contains: 'x' }] },
      }),
      OPTIONS,
    );
    expect(r).toMatchObject({ up: false, kind: 'credentials' });
  });
});
