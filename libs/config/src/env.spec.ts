import { describe, expect, it } from 'vitest';
import { envBool, envInt, envOneOf, envOptional, envString } from './env.js';

describe('env readers', () => {
  it('use defaults for missing or empty variables', () => {
    expect(envString({}, 'A', 'x')).toBe('x');
    expect(envInt({ N: '' }, 'N', 5)).toBe(5);
    expect(envBool({}, 'B', true)).toBe(true);
    expect(envOptional({ O: '' }, 'O')).toBeUndefined();
    expect(envOneOf({}, 'L', ['a', 'b'], 'b')).toBe('b');
  });

  it('fail fast naming the variable, the problem and the fix', () => {
    expect(() => envString({}, 'X_NAME')).toThrow(
      'X_NAME: is not set; set it (every variable is in .env.example)',
    );
    expect(() => envInt({ PORT: '70000' }, 'PORT', 1, 0, 65535)).toThrow(
      'PORT: "70000" is not an integer 0..65535; set it to an integer 0..65535, or unset it for the default 1',
    );
    expect(() => envInt({ PORT: 'abc' }, 'PORT', 1)).toThrow('PORT: "abc" is not an integer');
    expect(() => envBool({ B: 'maybe' }, 'B', true)).toThrow(
      'B: "maybe" is not on or off; set it to on or off, or unset it for the default on',
    );
    expect(() => envOneOf({ L: 'c' }, 'L', ['a', 'b'], 'a')).toThrow(
      'L: "c" is not one of a, b; set it to one of them, or unset it for the default a',
    );
  });

  it('parse values', () => {
    expect(envInt({ N: '42' }, 'N', 0)).toBe(42);
    expect(envBool({ B: 'OFF' }, 'B', true)).toBe(false);
    expect(envBool({ B: '1' }, 'B', false)).toBe(true);
    expect(envOneOf({ L: ' b ' }, 'L', ['a', 'b'], 'a')).toBe('b');
  });
});
