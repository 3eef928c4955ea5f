import { describe, expect, it } from 'vitest';
import { Rc4 } from './rc4.js';

describe('rc4', () => {
  it('gives the classic keystream vectors, continued across calls', () => {
    expect(new Rc4(Buffer.from('Key')).update(Buffer.from('Plaintext')).toString('hex')).toBe(
      'bbf316e8d940af0ad3',
    );
    expect(new Rc4(Buffer.from('Wiki')).update(Buffer.from('pedia')).toString('hex')).toBe(
      '1021bf0420',
    );
    const rc4 = new Rc4(Buffer.from('Secret'));
    const parts = [rc4.update(Buffer.from('Attack ')), rc4.update(Buffer.from('at dawn'))];
    expect(Buffer.concat(parts).toString('hex')).toBe('45a01f645fc35b383552544b9bf5');
  });
});
