import { describe, expect, it } from 'vitest';
import { encodeFilter, FilterError } from './ldap.filter.js';

describe('encodeFilter', () => {
  it('encodes RFC 4515 filters as RFC 4511 BER', () => {
    expect(encodeFilter('(uid=erin)').toString('hex')).toBe(
      'a30b04037569640404657269 6e'.replace(/ /g, ''),
    );
    expect(encodeFilter('objectClass=*').toString('hex')).toBe('870b6f626a656374436c617373');
    // (cn=E*x*\2a): initial "E", any "x", final "*" (escaped).
    expect(encodeFilter('(cn=E*x*\\2a)').toString('hex')).toBe(
      'a40f040263 6e3009 800145 810178 82012a'.replace(/ /g, ''),
    );
    expect(encodeFilter('(!(&(a>=1)(|(b<=2)(c~=3))))')[0]).toBe(0xa2);
  });

  it('refuses what it cannot encode', () => {
    for (const bad of [
      '(uid=erin',
      '(uid=erin))',
      '(!(a=1)(b=2))',
      '(=x)',
      '(a=\\zz)',
      '('.repeat(40) + '&',
    ]) {
      expect(() => encodeFilter(bad)).toThrow(FilterError);
    }
    expect(() => encodeFilter(`${'(&'.repeat(40)}(a=1)${')'.repeat(40)}`)).toThrow(
      'nested deeper than 32',
    );
  });
});
