import { describe, expect, it } from 'vitest';
import { jsonShapeProblem, MAX_JSON_DEPTH } from './json-shape.js';

/** `levels` objects nested in each other ({a: {a: … {}}}), parsed from JSON like a body. */
const nested = (levels: number): unknown =>
  JSON.parse(`${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`);

describe('jsonShapeProblem', () => {
  it(`takes values nested up to ${MAX_JSON_DEPTH} levels, lists counting as levels`, () => {
    expect(jsonShapeProblem(nested(MAX_JSON_DEPTH), 'data')).toBeUndefined();
    expect(jsonShapeProblem({ a: [[1, 'x', null]] }, 'data')).toBeUndefined();
    expect(jsonShapeProblem('text', 'data')).toBeUndefined();
    expect(jsonShapeProblem(nested(MAX_JSON_DEPTH + 1), 'request.data')).toBe(
      `request.data${'.a'.repeat(MAX_JSON_DEPTH)} nests deeper than ${MAX_JSON_DEPTH} levels`,
    );
    const lists = JSON.parse(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`);
    expect(jsonShapeProblem(lists, 'x')).toBe(
      `x${'[0]'.repeat(MAX_JSON_DEPTH)} nests deeper than ${MAX_JSON_DEPTH} levels`,
    );
  });

  it('walks a hostile nesting without recursion (100,000 levels), stopping at the limit', () => {
    expect(jsonShapeProblem(nested(100_000), 'event.data')).toMatch(/nests deeper than 16 levels$/);
  });

  it('refuses __proto__, constructor and prototype keys anywhere, naming the path', () => {
    expect(jsonShapeProblem(JSON.parse('{"a": [{"__proto__": {"x": 1}}]}'), 'request.data')).toBe(
      'request.data.a[0].__proto__: the key "__proto__" is not accepted (it names part of a ' +
        "JavaScript object's prototype)",
    );
    expect(jsonShapeProblem({ b: { constructor: 1 } }, 'config')).toMatch(
      /^config\.b\.constructor: the key "constructor" is not accepted/,
    );
    expect(jsonShapeProblem({ prototype: {} }, 'config')).toMatch(/^config\.prototype: /);
  });

  it('names odd and long keys quoted, a long one clipped', () => {
    const long = 'k'.repeat(1000);
    const value = { 'a b': { [long]: JSON.parse('{"__proto__": 1}') } };
    expect(jsonShapeProblem(value, 'data')).toBe(
      `data["a b"]["${'k'.repeat(40)}…"].__proto__: the key "__proto__" is not accepted (it ` +
        "names part of a JavaScript object's prototype)",
    );
  });
});
