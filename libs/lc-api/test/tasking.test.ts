import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  LcApiInvalidInputError,
  LcApiNotFoundError,
  LcApiPermissionDeniedError,
  LcApiRateLimitedError,
  LcApiUnauthenticatedError,
  LcApiUnavailableError,
} from '../src/index.js';
import { freePort, rejection, reset, startHarness, type Harness } from './harness.js';

// lcservice's InteractiveService tasks with `svc-<name>-ex/<callback key>/<job id>/<context>`.
const INVESTIGATION = 'svc-inventory-ex/5f2b9c1a/0d6f6c52-8d0e-4a35-b0a8-1c2f3e4d5a6b/ctx';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.cloud.close();
});
beforeEach(() => reset(h));

const tasksOf = (sid: string) => h.cloud.tasks.filter((t) => t.sid === sid);

describe('taskSensor against the stand-in of LimaCharlie', () => {
  it('POSTs the task form-encoded to /v1/{sid} with its investigation id and the JWT as Bearer', async () => {
    const sid = h.cloud.addSensor(h.oid);
    const result = await h.client().taskSensor({
      oid: h.oid,
      jwt: h.jwt,
      sid,
      tasks: 'os_processes',
      investigationId: INVESTIGATION,
    });

    expect(result).toEqual({ body: {}, attempts: 1 });
    expect(tasksOf(sid)).toEqual([
      {
        oid: h.oid,
        sid,
        tasks: ['os_processes'],
        investigationId: INVESTIGATION,
        idempotentKey: undefined,
      },
    ]);
    const [req] = h.cloud.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe(`/v1/${sid}`);
    expect(req?.authorization).toBe(`Bearer ${h.jwt}`);
    expect(req?.contentType).toBe('application/x-www-form-urlencoded');
    expect(req?.userAgent).toBe('checkwire-lc-api');
    expect([...(req?.params ?? [])]).toEqual([
      ['tasks', 'os_processes'],
      ['investigation_id', INVESTIGATION],
    ]);
  });

  it('sends several tasks as repeated `tasks` fields, as python-limacharlie does', async () => {
    const sid = h.cloud.addSensor(h.oid);
    await h.client().taskSensor({
      oid: h.oid,
      jwt: h.jwt,
      sid,
      tasks: ['os_info', 'run --shell-command "whoami & hostname"'],
    });
    expect(tasksOf(sid).map((t) => t.tasks)).toEqual([
      ['os_info', 'run --shell-command "whoami & hostname"'],
    ]);
    expect(h.cloud.requests[0]?.params.has('investigation_id')).toBe(false);
  });

  it('sends idempotentKey as x-idempotent-key: the same key twice tasks the sensor once', async () => {
    const sid = h.cloud.addSensor(h.oid);
    const call = { oid: h.oid, jwt: h.jwt, sid, tasks: 'os_version', idempotentKey: 'mid-42/0' };
    await h.client().taskSensor(call);
    await h.client().taskSensor(call);
    expect(h.cloud.requests.map((r) => r.idempotentKey)).toEqual(['mid-42/0', 'mid-42/0']);
    expect(tasksOf(sid)).toHaveLength(1);
  });

  it("names the org, the sensor, the status and LimaCharlie's words for an unknown sensor", async () => {
    const sid = '0b3c3f4e-1111-4222-8333-944455556666';
    const err = await rejection(
      h.client().taskSensor({ oid: h.oid, jwt: h.jwt, sid, tasks: 'os_info' }),
    );
    expect(err).toBeInstanceOf(LcApiNotFoundError);
    expect(err.message).toBe(
      `LimaCharlie API: task sensor ${sid} in org ${h.oid} failed: LimaCharlie found no sensor ` +
        `${sid} that this JWT can see (uninstalled, or in another org) (HTTP 404): LimaCharlie ` +
        'said "sensor not found".',
    );
    expect(h.cloud.requests).toHaveLength(1);
  });

  it('refuses an expired or foreign JWT with 401, never quoting it, and does not retry', async () => {
    const expired = h.cloud.issueJwt({ oid: h.oid, perms: ['sensor.task'], expiresInSeconds: 0 });
    const forged = `${h.jwt.slice(0, -4)}AAAA`;
    for (const [jwt, said] of [
      [expired, 'token expired'],
      [forged, 'invalid token'],
    ] as const) {
      const err = await rejection(
        h.client().taskSensor({ oid: h.oid, jwt, sid: h.sid, tasks: 'os_info' }),
      );
      expect(err).toBeInstanceOf(LcApiUnauthenticatedError);
      expect(err.message).toContain(`(HTTP 401): LimaCharlie said "${said}"`);
      expect(err.message).toContain('LimaCharlie sends a fresh one with every callback');
      expect(`${err.message} ${err.stack}`).not.toContain(jwt);
    }
    expect(h.cloud.requests).toHaveLength(2);
  });

  it('names the missing permission on 403', async () => {
    const jwt = h.cloud.issueJwt({ oid: h.oid, perms: ['dr.set'] });
    const err = await rejection(h.client().taskSensor({ oid: h.oid, jwt, sid: h.sid, tasks: 'x' }));
    expect(err).toBeInstanceOf(LcApiPermissionDeniedError);
    expect(err).toMatchObject({ status: 403, permission: 'sensor.task', attempts: 1 });
    expect(err.message).toContain('needs the permission sensor.task');
  });

  it('refuses bad input before sending anything', async () => {
    const client = h.client();
    const cases = [
      [{ sid: '../rules/x' }, 'sid must be a UUID, got "../rules/x"'],
      [{ oid: 'my-org' }, 'oid must be a UUID, got "my-org"'],
      [{ tasks: [] }, 'tasks must be one task or a non-empty list of tasks'],
      [{ tasks: ['os_info', ' '] }, 'tasks[1] must be a non-empty string, got " "'],
      [{ jwt: 'Bearer x' }, 'jwt must be the JWT LimaCharlie sent with the callback (no spaces)'],
      [{ idempotentKey: 'a\r\nb' }, 'idempotentKey must be 1..256 visible ASCII characters'],
      [{ timeoutMs: 0 }, 'timeoutMs must be a positive whole number, got 0'],
    ] as const;
    for (const [change, problem] of cases) {
      const err = await rejection(
        client.taskSensor({ oid: h.oid, jwt: h.jwt, sid: h.sid, tasks: 'os_info', ...change }),
      );
      expect(err).toBeInstanceOf(LcApiInvalidInputError);
      expect(err.message).toContain(`failed: not sent: ${problem}`);
      expect(err).toMatchObject({ attempts: 0, maybeApplied: false });
    }
    expect(h.cloud.requests).toHaveLength(0);
  });
});

describe('taskSensor never tasks a sensor twice', () => {
  const ambiguous = [
    ['a 502 after the task was queued', { kind: 'status', status: 502, afterApplying: true }],
    ['a 504 after the task was queued', { kind: 'status', status: 504, afterApplying: true }],
    ['the connection lost after the task was queued', { kind: 'reset', afterApplying: true }],
  ] as const;
  for (const [what, fault] of ambiguous) {
    it(`does not send it again after ${what}, and says the sensor may have it`, async () => {
      const sid = h.cloud.addSensor(h.oid);
      h.cloud.inject(fault, 3);
      const err = await rejection(
        h.client().taskSensor({ oid: h.oid, jwt: h.jwt, sid, tasks: 'os_info' }),
      );
      expect(err).toBeInstanceOf(LcApiUnavailableError);
      expect(err).toMatchObject({ attempts: 1, maybeApplied: true });
      expect(err.message).toContain(
        'the task was not sent again, so that the sensor is not tasked twice',
      );
      expect(h.cloud.requests).toHaveLength(1);
      expect(tasksOf(sid)).toHaveLength(1);
    });
  }

  it('does not repeat it on a 503 either: the client cannot tell the gateway from the backend', async () => {
    const sid = h.cloud.addSensor(h.oid);
    h.cloud.inject({ kind: 'status', status: 503 });
    const err = await rejection(h.client().taskSensor({ oid: h.oid, jwt: h.jwt, sid, tasks: 'x' }));
    expect(err).toMatchObject({ status: 503, attempts: 1, maybeApplied: true });
    expect(h.cloud.requests).toHaveLength(1);
    expect(tasksOf(sid)).toHaveLength(0);
  });

  it('retries a 429 (refused, so not queued), waiting what Retry-After says', async () => {
    const sid = h.cloud.addSensor(h.oid);
    h.cloud.inject({ kind: 'status', status: 429, headers: { 'retry-after': '7' } });
    const result = await h.client().taskSensor({ oid: h.oid, jwt: h.jwt, sid, tasks: 'os_info' });
    expect(result.attempts).toBe(2);
    expect(h.sleeps).toEqual([7000]);
    expect(h.cloud.requests.map((r) => r.answered)).toEqual([429, 200]);
    expect(tasksOf(sid)).toHaveLength(1);
  });

  it('gives up on a 429 at once when Retry-After is beyond the deadline', async () => {
    h.cloud.inject({ kind: 'status', status: 429, headers: { 'retry-after': '120' } });
    const err = await rejection(
      h
        .client({ timeoutMs: 30_000 })
        .taskSensor({ oid: h.oid, jwt: h.jwt, sid: h.sid, tasks: 'x' }),
    );
    expect(err).toBeInstanceOf(LcApiRateLimitedError);
    expect(err).toMatchObject({ retryAfterMs: 120_000, attempts: 1, maybeApplied: false });
    expect(err.message).toContain('It asked to wait 120 s, more than the call had left');
    expect(h.sleeps).toEqual([]);
  });

  it('retries when the connection could not even be made (nothing was sent)', async () => {
    const closedPort = await freePort();
    const err = await rejection(
      h
        .client({ baseUrl: `http://127.0.0.1:${closedPort}` })
        .taskSensor({ oid: h.oid, jwt: h.jwt, sid: h.sid, tasks: 'os_info' }),
    );
    expect(err).toBeInstanceOf(LcApiUnavailableError);
    expect(err).toMatchObject({ networkCode: 'ECONNREFUSED', attempts: 3, maybeApplied: false });
    expect(err.message).toBe(
      `LimaCharlie API: task sensor ${h.sid} in org ${h.oid} failed: no answer from LimaCharlie ` +
        `at http://127.0.0.1:${closedPort} (ECONNREFUSED) (3 attempts). Try again later.`,
    );
    expect(h.sleeps).toHaveLength(2);
  });
});
