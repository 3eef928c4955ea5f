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

describe('parseExtensionEnvelope against hostile values', () => {
  const base = { version: 20221218, idempotency_key: 'k-1' };
  const org = { oid: 'org-1', jwt: 'j', ident: '' };
  const deep = (levels: number): unknown =>
    JSON.parse(`${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`);

  it('refuses a value nested deeper than MAX_JSON_DEPTH, naming the field', () => {
    const body = { ...base, event: { org, event_name: 'update', data: deep(6000) } };
    expect(parseExtensionEnvelope(body)).toEqual({
      problem: `event.data${'.a'.repeat(32)} nests deeper than 32 levels`,
    });
    const config = { ...base, conf_validation: { org, conf: deep(33) } };
    expect(parseExtensionEnvelope(config)).toMatchObject({
      problem: expect.stringMatching(/^conf_validation\.conf\.a.* nests deeper than 32 levels$/),
    });
    const fits = { ...base, conf_validation: { org, conf: deep(32) } };
    expect(parseExtensionEnvelope(fits)).not.toHaveProperty('problem');
  });

  it('refuses a __proto__ key in anything handed on (it would vanish in a protobuf Struct)', () => {
    const body = JSON.parse(
      JSON.stringify({ ...base, request: { org, action: 'scan', data: { x: 1 } } }).replace(
        '"x":1',
        '"x":{"__proto__":{"polluted":true}}',
      ),
    );
    expect(parseExtensionEnvelope(body)).toEqual({
      problem:
        'request.data.x.__proto__: the key "__proto__" is not accepted (it names part of a ' +
        "JavaScript object's prototype)",
    });
    const state = { ...base, request: { org, action: 'scan', resource_state: { constructor: 1 } } };
    expect(parseExtensionEnvelope(state)).not.toHaveProperty('problem');
  });
});
