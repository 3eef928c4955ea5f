import { describe, expect, it } from 'vitest';
import { envJsonList, type JsonListOptions } from './json-list.js';

interface Route {
  name: string;
  secret: string;
  handler: string;
  token?: string;
}
const ROUTES: JsonListOptions<Route> = {
  entryShape: '{"name", "secret", "handler": "host:port", "token"?}',
  required: true,
  uniqueField: 'name',
  entry: (e) => {
    const token = e.optionalString('token');
    return {
      name: e.string('name'),
      secret: e.string('secret'),
      handler: e.hostPort('handler', '127.0.0.1:50061'),
      ...(token === undefined ? {} : { token }),
    };
  },
};
const LIST_FIX = 'set it to a JSON list of {"name", "secret", "handler": "host:port", "token"?}';
const SECRET = 'hunter2-secret';
const refusal = (value: unknown) => {
  const raw = typeof value === 'string' ? value : JSON.stringify(value);
  try {
    envJsonList({ R: raw }, 'R', ROUTES);
  } catch (err) {
    const message = (err as Error).message;
    expect(message).not.toContain(SECRET);
    return message;
  }
  return 'accepted';
};
const route = { name: 'a', secret: SECRET, handler: 'h:1' };

describe('envJsonList', () => {
  it('reads entries; unset is an empty list unless required', () => {
    expect(envJsonList({ R: JSON.stringify([{ ...route, token: 't' }]) }, 'R', ROUTES)).toEqual([
      { ...route, token: 't' },
    ]);
    expect(envJsonList({}, 'R', { ...ROUTES, required: false })).toEqual([]);
    expect(refusal('')).toBe(`R: is not set; ${LIST_FIX}`);
  });

  it('names the JSON path of the problem and never quotes a secret', () => {
    expect(refusal(`[{"name":"a","secret":"${SECRET}" "handler":"h:1"}]`)).toBe(
      `R: is not JSON (error at position 39); ${LIST_FIX}`,
    );
    expect(refusal(`${SECRET}`)).toBe(`R: is not JSON; ${LIST_FIX}`);
    expect(refusal(route)).toBe(`R: is an object, not a JSON list; ${LIST_FIX}`);
    expect(refusal([])).toBe(`R: is an empty list; ${LIST_FIX}`);
    expect(refusal([route, SECRET])).toBe(
      `R: [1]: is a string, not an object; make each entry an object {"name", "secret", "handler": "host:port", "token"?}`,
    );
    expect(refusal([route, { name: 'b', handler: 'h:1' }])).toBe(
      'R: [1].secret: is missing; add "secret" to [1]',
    );
    expect(refusal([{ ...route, secret: 7 }])).toBe(
      'R: [0].secret: is a number, not a string; make it a string',
    );
    expect(refusal([{ ...route, token: '' }])).toBe('R: [0].token: is empty; fill it in');
    expect(refusal([route, { ...route, name: 'b', handler: 'nohostport' }])).toBe(
      'R: [1].handler: "nohostport" is not host:port; write it as host:port, e.g. 127.0.0.1:50061',
    );
    expect(refusal([route, route])).toBe(
      'R: [1].name: "a" is also [0].name; give each entry its own name',
    );
  });

  it('reads own properties only: a route may be named __proto__', () => {
    const raw = `[{"name":"__proto__","secret":"s","handler":"h:1"}]`;
    expect(envJsonList({ R: raw }, 'R', ROUTES)[0]?.name).toBe('__proto__');
    expect(refusal(`[{"__proto__":{"secret":"s"},"name":"a","handler":"h:1"}]`)).toBe(
      'R: [0].secret: is missing; add "secret" to [0]',
    );
  });
});
