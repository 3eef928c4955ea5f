import { describe, expect, it } from 'vitest';
import { Slots } from './slots.js';

describe('Slots', () => {
  it('lets at most its size hold at once, and serves the waiting in arrival order', async () => {
    const slots = new Slots(2);
    const order: string[] = [];
    const hold = async (name: string, until: Promise<void>) => {
      await slots.acquire();
      order.push(`+${name}`);
      await until;
      order.push(`-${name}`);
      slots.release();
    };
    let endA!: () => void;
    const a = hold('a', new Promise((r) => (endA = r)));
    void hold('b', new Promise(() => undefined)); // holds its slot to the end
    const c = hold('c', Promise.resolve());
    const d = hold('d', Promise.resolve());
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['+a', '+b']);
    endA();
    await Promise.all([a, c, d]);
    expect(order).toEqual(['+a', '+b', '-a', '+c', '-c', '+d', '-d']);
  });

  it('refuses a size that would hold nobody', () => {
    expect(() => new Slots(0)).toThrow('slots: size 0');
  });
});
