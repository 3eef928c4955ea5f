import { describe, expect, it } from 'vitest';
import { vncResponse } from './vnc.check.js';

describe('vncResponse', () => {
  it('is single DES of the challenge, keyed by the bit-reversed password', () => {
    // Expected from OpenSSL's own single DES (its legacy provider):
    // openssl enc -des-ecb -nopad -K <bit-reversed "secret", zero-padded> -provider legacy …
    const challenge = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    expect(vncResponse('secret', challenge).toString('hex')).toBe(
      '2d2a0dd383426c2ebf1186809bba0f9c',
    );
  });

  it('uses only the first 8 bytes of a longer password (as every VNC server does)', () => {
    const challenge = Buffer.alloc(16, 7);
    expect(vncResponse('12345678-and-more', challenge)).toEqual(vncResponse('12345678', challenge));
  });
});
