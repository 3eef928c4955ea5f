import { describe, expect, it } from 'vitest';
import { envBool, envInt, envOptional, envString } from './env.js';

describe('env readers', () => {
  it('use defaults for missing or empty variables', () => {
    expect(envString({}, 'A', 'x')).toBe('x');
    expect(envInt({ N: '' }, 'N', 5)).toBe(5);
    expect(envBool({}, 'B', true)).toBe(true);
    expect(envOptional({ O: '' }, 'O')).toBeUndefined();
  });

  it('fail fast naming the variable', () => {
    expect(() => envString({}, 'DATABASE_URL')).toThrow('DATABASE_URL: is required');
    expect(() => envInt({ PORT: '70000' }, 'PORT', 1, 0, 65535)).toThrow(
      'PORT: must be an integer 0..65535, got "70000"',
    );
    expect(() => envInt({ PORT: 'abc' }, 'PORT', 1)).toThrow('PORT: must be an integer');
    expect(() => envBool({ B: 'maybe' }, 'B', true)).toThrow('B: must be on or off, got "maybe"');
  });

  it('parse values', () => {
    expect(envInt({ N: '42' }, 'N', 0)).toBe(42);
    expect(envBool({ B: 'OFF' }, 'B', true)).toBe(false);
    expect(envBool({ B: '1' }, 'B', false)).toBe(true);
  });
});
