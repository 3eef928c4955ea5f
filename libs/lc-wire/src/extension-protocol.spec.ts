import { describe, expect, it } from 'vitest';
import { extensionStatus, parseExtensionEnvelope } from './extension-protocol.js';

const org = { oid: 'org-1', jwt: 'jwt-1', ident: 'user@example.com' };

describe('parseExtensionEnvelope', () => {
  it('reads every message kind with its fields', () => {
    const base = { version: 20221218, idempotency_key: 'k-1' };
    expect(parseExtensionEnvelope({ ...base, heartbeat: {} })).toEqual({
      envelope: { version: 20221218, idempotencyKey: 'k-1', message: { kind: 'heartbeat' } },
    });
    expect(parseExtensionEnvelope({ ...base, schema_request: {} })).toMatchObject({
      envelope: { message: { kind: 'schema_request' } },
    });
    expect(
      parseExtensionEnvelope({ ...base, error_report: { error: 'boom', oid: 'o' } }),
    ).toMatchObject({ envelope: { message: { kind: 'error_report', error: 'boom', oid: 'o' } } });
    expect(
      parseExtensionEnvelope({ ...base, conf_validation: { org, conf: { a: 1 } } }),
    ).toMatchObject({ envelope: { message: { kind: 'conf_validation', org, config: { a: 1 } } } });
    expect(
      parseExtensionEnvelope({
        ...base,
        request: {
          org,
          action: 'scan',
          data: { x: 1 },
          config: { c: true },
          resource_state: { r: { last_mod: 5 } },
          inv_id: 'inv',
        },
      }),
    ).toEqual({
      envelope: {
        version: 20221218,
        idempotencyKey: 'k-1',
        message: {
          kind: 'request',
          org,
          action: 'scan',
          data: { x: 1 },
          config: { c: true },
          resourceState: { r: { last_mod: 5 } },
          invId: 'inv',
        },
      },
    });
    expect(
      parseExtensionEnvelope({ ...base, event: { org: { oid: 'o' }, event_name: 'subscribe' } }),
    ).toEqual({
      envelope: {
        version: 20221218,
        idempotencyKey: 'k-1',
        message: {
          kind: 'event',
          org: { oid: 'o', jwt: '', ident: '' },
          eventName: 'subscribe',
          data: null,
          config: {},
        },
      },
    });
  });

  it.each([
    [[], 'the body must be a JSON object'],
    [{ heartbeat: {} }, 'version is missing'],
    [{ version: '1', heartbeat: {} }, 'version must be a positive integer'],
    [{ version: 1.5, heartbeat: {} }, 'version must be a positive integer'],
    [{ version: 1, idempotency_key: 7, heartbeat: {} }, 'idempotency_key must be a string'],
    [
      { version: 1 },
      'no message: expected exactly one of heartbeat, error_report, conf_validation, schema_request, request, event',
    ],
    [{ version: 1, heartbeat: null }, expect.stringContaining('no message')],
    [{ version: 1, heartbeat: {}, event: {} }, 'more than one message: heartbeat, event'],
    [{ version: 1, heartbeat: true }, 'heartbeat must be a JSON object'],
    [
      { version: 1, request: { org, action: 'a' } },
      'idempotency_key is missing (a request needs one)',
    ],
    [
      { version: 1, idempotency_key: 'k', request: { action: 'a' } },
      'request.org must be a JSON object',
    ],
    [
      { version: 1, idempotency_key: 'k', request: { org: {}, action: 'a' } },
      'request.org.oid is missing',
    ],
    [{ version: 1, idempotency_key: 'k', request: { org } }, 'request.action is missing'],
    [{ version: 1, idempotency_key: 'k', request: { org, action: '' } }, 'request.action is empty'],
    [
      { version: 1, idempotency_key: 'k', request: { org, action: 'a', data: [1] } },
      'request.data must be a JSON object',
    ],
    [
      { version: 1, idempotency_key: 'k', event: { org, event_name: 3 } },
      'event.event_name must be a string',
    ],
    [
      { version: 1, conf_validation: { org, conf: 'x' } },
      'conf_validation.conf must be a JSON object',
    ],
  ])('refuses %j: %s', (body, problem) => {
    expect(parseExtensionEnvelope(body)).toEqual({ problem });
  });

  it('does not take Object.prototype members for fields', () => {
    const body = JSON.parse(
      '{"version": 1, "idempotency_key": "k", "request": {"org": {"oid": "o"}, "action": "a", "__proto__": {"data": [1]}}}',
    );
    expect(parseExtensionEnvelope(body)).toMatchObject({ envelope: { message: { data: {} } } });
    expect(parseExtensionEnvelope({ version: 1, constructor: {} })).toEqual({
      problem: expect.stringContaining('no message'),
    });
  });
});

describe('extensionStatus', () => {
  it("maps an answer to lc-extension's HTTP status", () => {
    expect(extensionStatus({ version: 1, error: '', data: {} })).toBe(200);
    expect(extensionStatus({ version: 1, error: 'x', retriable: true, data: {} })).toBe(500);
    expect(extensionStatus({ version: 1, error: 'x', data: {} })).toBe(500);
    expect(extensionStatus({ version: 1, error: 'x', retriable: false, data: {} })).toBe(400);
  });
});
