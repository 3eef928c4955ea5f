import { describe, expect, it } from 'vitest';
import { fresherJwt, jwtExpiry } from './fresher-jwt.js';

const jwt = (payload: unknown) =>
  `h.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.s`;

describe('jwtExpiry', () => {
  it('reads exp from the payload, without verifying', () => {
    expect(jwtExpiry(jwt({ exp: 1_800_000_000, oid: 'o' }))).toBe(1_800_000_000);
  });
  it.each([
    ['no dots', 'opaque'],
    ['an empty payload', 'h..s'],
    ['a payload that is no base64url JSON', 'h.!!!.s'],
    ['JSON null', jwt(null)],
    ['a list', jwt([1])],
    ['no exp', jwt({ oid: 'o' })],
    ['exp as text', jwt({ exp: '1800000000' })],
  ])('is undefined for %s', (_name, token) => {
    expect(jwtExpiry(token)).toBeUndefined();
  });
});

describe('fresherJwt', () => {
  const early = jwt({ exp: 1000 });
  const late = jwt({ exp: 2000 });
  it.each([
    ['the later exp, the registry’s', late, early, late],
    ['the later exp, its own', early, late, late],
    ['the registry’s on a tie', jwt({ exp: 1000, n: 1 }), early, jwt({ exp: 1000, n: 1 })],
    ['its own when the registry’s has no exp', 'opaque', early, early],
    ['the registry’s when its own has no exp', early, 'opaque', early],
    ['the registry’s when neither has one', 'reg', 'own', 'reg'],
    ['its own without a registry JWT', null, 'own', 'own'],
    ['its own when the registry’s is empty', '', 'own', 'own'],
  ])('sends %s', (_name, registry, own, sent) => {
    expect(fresherJwt(registry, own)).toBe(sent);
  });
});
