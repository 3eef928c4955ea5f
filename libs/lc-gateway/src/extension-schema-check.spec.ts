import { describe, expect, it } from 'vitest';
import { parameterProblem } from './extension-schema-check.js';

describe('parameterProblem', () => {
  it('checks records entry by entry, naming the key', () => {
    const schema = {
      fields: {
        hosts: {
          data_type: 'record',
          object: { fields: { port: { data_type: 'integer' } }, requirements: [['port']] },
        },
      },
    };
    expect(parameterProblem(schema, { hosts: { a: { port: 1 }, b: { port: 2 } } })).toBeUndefined();
    expect(parameterProblem(schema, { hosts: { a: { port: 1 }, b: {} } })).toBe(
      'missing parameter "hosts.b.port"',
    );
    expect(parameterProblem(schema, { hosts: { a: 5 } })).toBe(
      'invalid parameter "hosts.a": expected an object, got an integer',
    );
  });

  it("honours a field's is_required, and lets json, complex_enum and unknown types take anything", () => {
    const schema = {
      fields: {
        name: { data_type: 'string', is_required: true },
        blob: { data_type: 'json' },
        pick: { data_type: 'complex_enum' },
        future: { data_type: 'hologram' },
      },
    };
    expect(parameterProblem(schema, {})).toBe('missing parameter "name"');
    expect(
      parameterProblem(schema, { name: 'n', blob: [1, { a: 2 }], pick: 3, future: { x: 1 } }),
    ).toBeUndefined();
  });

  it('takes no member of Object.prototype for a parameter, and no schema as no check', () => {
    const schema = {
      fields: { constructor: { data_type: 'string' } },
      requirements: [['constructor']],
    };
    expect(parameterProblem(schema, {})).toBe('missing parameter "constructor"');
    expect(parameterProblem(undefined, { anything: 1 })).toBeUndefined();
    // A malformed schema (the handler's) checks what it can and passes the rest.
    expect(parameterProblem({ fields: 'nope', requirements: 'no' }, { a: 1 })).toBeUndefined();
  });

  it('checks a long list against a long enum, and clips what it echoes of both', () => {
    const values = Array.from({ length: 200 }, (_, i) => `value-${i}`);
    const schema = { fields: { picks: { data_type: 'enum', enum_values: values, is_list: true } } };
    const picks = Array.from({ length: 100_000 }, (_, i) => `value-${i % 200}`);
    expect(parameterProblem(schema, { picks })).toBeUndefined();
    const huge = 'z'.repeat(1_000_000);
    const problem = parameterProblem(schema, { picks: [...picks, huge] });
    expect(problem).toBe(
      `invalid parameter "picks[100000]": "${'z'.repeat(199)}… is not one of ` +
        `${JSON.stringify(values).slice(0, 200)}…`,
    );
  });
});
