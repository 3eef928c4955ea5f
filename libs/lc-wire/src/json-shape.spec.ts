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
    expect(jsonShapeProblem(nested(100_000), 'event.data')).toMatch(
      new RegExp(`nests deeper than ${MAX_JSON_DEPTH} levels$`),
    );
  });

  it('takes 32 levels and refuses 33 (the limit the scheduler shares)', () => {
    expect(MAX_JSON_DEPTH).toBe(32);
    expect(jsonShapeProblem(nested(32), 'data')).toBeUndefined();
    expect(jsonShapeProblem(nested(33), 'data')).toBe(
      `data${'.a'.repeat(32)} nests deeper than 32 levels`,
    );
  });

  it('names the path of a problem among lists and objects exactly', () => {
    const value = JSON.parse(
      `{"rows": [1, {"x": "y"}, {"deep": ${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}]}`,
    );
    expect(jsonShapeProblem(value, 'request.data')).toBe(
      `request.data.rows[2].deep${'[0]'.repeat(MAX_JSON_DEPTH - 3)} nests deeper than ` +
        `${MAX_JSON_DEPTH} levels`,
    );
  });

  it('checks an 8 MB list of numbers and finds nothing wrong', () => {
    const numbers = JSON.parse(`[${new Array(4 * 1024 * 1024).fill('0').join(',')}]`);
    expect(jsonShapeProblem(numbers, 'request.data')).toBeUndefined();
  });

  it('refuses __proto__ keys anywhere, naming the path', () => {
    expect(jsonShapeProblem(JSON.parse('{"a": [{"__proto__": {"x": 1}}]}'), 'request.data')).toBe(
      'request.data.a[0].__proto__: the key "__proto__" is not accepted (it names part of a ' +
        "JavaScript object's prototype)",
    );
    expect(jsonShapeProblem(JSON.parse('[[{"__proto__": 1}]]'), 'x')).toMatch(
      /^x\[0\]\[0\]\.__proto__: /,
    );
  });

  it('takes constructor and prototype keys, which a Struct keeps', () => {
    expect(jsonShapeProblem({ b: { constructor: 1 } }, 'config')).toBeUndefined();
    expect(jsonShapeProblem({ prototype: {}, constructor: { prototype: 2 } }, 'config')).toBe(
      undefined,
    );
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
