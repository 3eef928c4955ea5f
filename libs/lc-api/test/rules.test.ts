import { newOid } from '@checkwire/lc-cloud-standin';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  LcApiNotFoundError,
  LcApiPermissionDeniedError,
  LcApiRefusedError,
  LcApiUnavailableError,
} from '../src/index.js';
import { ALL_PERMS, rejection, reset, startHarness, type Harness } from './harness.js';

// The rule lcservice 1.8's InteractiveService pushes for a service named "inventory".
const RULE = 'svc-inventory-ex';
const DETECT = {
  op: 'and',
  rules: [
    { op: 'starts with', path: 'routing/investigation_id', value: RULE },
    { op: 'is', not: true, path: 'routing/event_type', value: 'CLOUD_NOTIFICATION' },
  ],
};
const RESPOND = [{ action: 'report', name: `__${RULE}` }];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.cloud.close();
});
beforeEach(() => reset(h));

/** A fresh org with a JWT for it, so each test sees only its own rules. */
function org(perms = ALL_PERMS): { oid: string; jwt: string } {
  const oid = newOid();
  return { oid, jwt: h.cloud.issueJwt({ oid, perms }) };
}

describe('putRule / deleteRule against the stand-in of LimaCharlie', () => {
  it('POSTs the rule form-encoded to /v1/rules/{oid} in the namespace asked', async () => {
    const { oid, jwt } = org();
    const result = await h.client().putRule({
      oid,
      jwt,
      name: RULE,
      namespace: 'replicant',
      detect: DETECT,
      respond: RESPOND,
      isReplace: true,
    });

    expect(result).toEqual({ body: {}, attempts: 1 });
    const [req] = h.cloud.requests;
    expect(req).toMatchObject({
      method: 'POST',
      path: `/v1/rules/${oid}`,
      authorization: `Bearer ${jwt}`,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(Object.fromEntries(req?.params ?? [])).toEqual({
      name: RULE,
      is_replace: 'true',
      detection: JSON.stringify(DETECT),
      response: JSON.stringify(RESPOND),
      is_enabled: 'true',
      namespace: 'replicant',
    });
    expect(h.cloud.rules(oid, 'replicant').get(RULE)).toEqual({
      name: RULE,
      namespace: 'replicant',
      detect: DETECT,
      respond: RESPOND,
      isEnabled: true,
    });
    expect(h.cloud.rules(oid, 'general').size).toBe(0);
  });

  it('replaces with isReplace, and is refused (409, not retried) without it', async () => {
    const { oid, jwt } = org();
    const put = { oid, jwt, name: RULE, namespace: 'replicant', detect: DETECT, respond: RESPOND };
    await h.client().putRule(put);
    const changed = [{ action: 'report', name: 'changed' }];
    await h.client().putRule({ ...put, respond: changed, isReplace: true });
    expect(h.cloud.rules(oid, 'replicant').get(RULE)?.respond).toEqual(changed);

    h.cloud.requests.length = 0;
    const err = await rejection(h.client().putRule(put));
    expect(err).toBeInstanceOf(LcApiRefusedError);
    expect(err.message).toBe(
      `LimaCharlie API: put rule replicant/${RULE} in org ${oid} failed: LimaCharlie refused the ` +
        'request (HTTP 409): LimaCharlie said "rule already exists". Sending it again unchanged ' +
        'will not help.',
    );
    expect(h.cloud.requests).toHaveLength(1);
  });

  it('sends no namespace when none is given: the rule lands in general', async () => {
    const { oid, jwt } = org();
    await h
      .client()
      .putRule({ oid, jwt, name: 'r', detect: DETECT, respond: RESPOND, isEnabled: false });
    expect(h.cloud.requests[0]?.params.has('namespace')).toBe(false);
    expect(h.cloud.rules(oid, 'general').get('r')?.isEnabled).toBe(false);
  });

  it('DELETEs with a form body naming the rule and namespace; other namespaces keep theirs', async () => {
    const { oid, jwt } = org();
    const client = h.client();
    for (const namespace of ['replicant', 'general']) {
      await client.putRule({ oid, jwt, name: RULE, namespace, detect: DETECT, respond: RESPOND });
    }
    h.cloud.requests.length = 0;
    await client.deleteRule({ oid, jwt, name: RULE, namespace: 'replicant' });

    const [req] = h.cloud.requests;
    expect(req).toMatchObject({ method: 'DELETE', path: `/v1/rules/${oid}` });
    expect(Object.fromEntries(req?.params ?? [])).toEqual({ name: RULE, namespace: 'replicant' });
    expect(h.cloud.rules(oid, 'replicant').has(RULE)).toBe(false);
    expect(h.cloud.rules(oid, 'general').has(RULE)).toBe(true);

    const err = await rejection(
      client.deleteRule({ oid, jwt, name: RULE, namespace: 'replicant' }),
    );
    expect(err).toBeInstanceOf(LcApiNotFoundError);
    expect(err.message).toContain(
      `LimaCharlie found no rule "${RULE}" in namespace replicant (HTTP 404)`,
    );
  });

  it("names the namespace's own permission on 403 (dr.set does not cover replicant)", async () => {
    const { oid, jwt } = org(['dr.set', 'dr.del']);
    const err = await rejection(
      h
        .client()
        .putRule({ oid, jwt, name: RULE, namespace: 'replicant', detect: DETECT, respond: [] }),
    );
    expect(err).toBeInstanceOf(LcApiPermissionDeniedError);
    expect(err).toMatchObject({ permission: 'dr.set.replicant', status: 403 });
    const del = await rejection(
      h.client().deleteRule({ oid, jwt, name: RULE, namespace: 'replicant' }),
    );
    expect(del).toMatchObject({ permission: 'dr.del.replicant', status: 403 });
  });
});

describe('rule calls retry what is safe to repeat', () => {
  it('retries a replace on 5xx with backoff until it succeeds', async () => {
    const { oid, jwt } = org();
    h.cloud.inject({ kind: 'status', status: 503 });
    h.cloud.inject({ kind: 'status', status: 500, afterApplying: true });
    const result = await h.client().putRule({
      oid,
      jwt,
      name: RULE,
      namespace: 'replicant',
      detect: DETECT,
      respond: RESPOND,
      isReplace: true,
    });
    expect(result.attempts).toBe(3);
    expect(h.cloud.requests.map((r) => r.answered)).toEqual([503, 500, 200]);
    expect(h.sleeps).toHaveLength(2);
    expect(h.sleeps.every((ms) => ms >= 0 && ms <= 5000)).toBe(true);
    expect(h.cloud.rules(oid, 'replicant').size).toBe(1);
  });

  it('honours Retry-After on a 503 for a replace', async () => {
    const { oid, jwt } = org();
    h.cloud.inject({ kind: 'status', status: 503, headers: { 'retry-after': '3' } });
    await h
      .client()
      .putRule({ oid, jwt, name: RULE, detect: DETECT, respond: RESPOND, isReplace: true });
    expect(h.sleeps).toEqual([3000]);
  });

  it('does not retry an add (isReplace false) that may have been applied', async () => {
    const { oid, jwt } = org();
    h.cloud.inject({ kind: 'status', status: 502, afterApplying: true });
    const err = await rejection(
      h.client().putRule({ oid, jwt, name: RULE, detect: DETECT, respond: RESPOND }),
    );
    expect(err).toBeInstanceOf(LcApiUnavailableError);
    expect(err).toMatchObject({ status: 502, attempts: 1, maybeApplied: true });
    expect(err.message).toContain('The change may have been made all the same.');
    expect(h.cloud.rules(oid, 'general').size).toBe(1);
  });

  it('stops after maxAttempts and says how many it made', async () => {
    const { oid, jwt } = org();
    h.cloud.inject({ kind: 'status', status: 504 }, 5);
    const err = await rejection(
      h.client().deleteRule({ oid, jwt, name: RULE, namespace: 'replicant' }),
    );
    expect(err).toBeInstanceOf(LcApiUnavailableError);
    expect(err.message).toBe(
      `LimaCharlie API: delete rule replicant/${RULE} in org ${oid} failed: LimaCharlie failed ` +
        '(HTTP 504): LimaCharlie said "Gateway Timeout" (3 attempts). Try again later. The change ' +
        'may have been made all the same.',
    );
    expect(h.cloud.requests).toHaveLength(3);
  });

  it('a delete retried after its first answer was lost ends in 404: the first one did it', async () => {
    const { oid, jwt } = org();
    await h
      .client()
      .putRule({ oid, jwt, name: RULE, namespace: 'replicant', detect: DETECT, respond: [] });
    h.cloud.inject({ kind: 'reset', afterApplying: true });
    const err = await rejection(
      h.client().deleteRule({ oid, jwt, name: RULE, namespace: 'replicant' }),
    );
    expect(err).toBeInstanceOf(LcApiNotFoundError);
    expect(err).toMatchObject({ attempts: 2, maybeApplied: true });
    expect(h.cloud.rules(oid, 'replicant').has(RULE)).toBe(false);
  });
});
