import { describe, expect, it } from 'vitest';
import { retryOnConflict } from './conflict-retry.js';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe('retryOnConflict', () => {
  it('runs the work again after a deadlock or a serialization failure', async () => {
    const thrown = [pgError('40P01'), pgError('40001')];
    let calls = 0;
    const result = await retryOnConflict(() => {
      calls++;
      const next = thrown.shift();
      return next === undefined ? Promise.resolve('done') : Promise.reject(next);
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('gives up after the last try, and never retries other errors', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(() => {
        calls++;
        return Promise.reject(pgError('40P01'));
      }, 2),
    ).rejects.toMatchObject({ code: '40P01' });
    expect(calls).toBe(2);
    calls = 0;
    await expect(
      retryOnConflict(() => {
        calls++;
        return Promise.reject(pgError('23505'));
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(calls).toBe(1);
  });
});
