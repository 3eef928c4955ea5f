import { describe, expect, it } from 'vitest';
import { BerReader, integer, oid, oidText, TAG } from './ber.js';

describe('ber', () => {
  it('encodes OIDs and reads them back', () => {
    expect(oid('1.3.6.1.2.1.1.1.0').toString('hex')).toBe('06082b06010201010100');
    const encoded = oid('1.3.6.1.4.1.2021.10.1.3.1');
    expect(oidText(new BerReader(encoded).next(TAG.OID).content)).toBe('1.3.6.1.4.1.2021.10.1.3.1');
    expect(() => oid('1.3.x')).toThrow(RangeError);
  });

  it('encodes integers with a leading zero where the high bit is set, and reads them', () => {
    expect(integer(0).toString('hex')).toBe('020100');
    expect(integer(128).toString('hex')).toBe('02020080');
    expect(new BerReader(integer(0x7fffffff)).integer()).toBe(0x7fffffff);
  });
});
