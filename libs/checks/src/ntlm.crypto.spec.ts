import { describe, expect, it } from 'vitest';
import { md4 } from './md4.js';
import {
  encryptSessionKey,
  NtlmSealing,
  ntlmv2Response,
  ntowfv2,
  sealKey,
  signKey,
  unicode,
} from './ntlm.crypto.js';

// The values of MS-NLMP 4.2.1 (inputs) and 4.2.4 (NTLMv2 results).
const hex = (s: string) => Buffer.from(s.replace(/ /g, ''), 'hex');
const SERVER_CHALLENGE = hex('0123456789abcdef');
const CLIENT_CHALLENGE = hex('aaaaaaaaaaaaaaaa');
const RANDOM_SESSION_KEY = Buffer.alloc(16, 0x55);
const TIME = Buffer.alloc(8);
/** MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server", MsvAvEOL (4.2.4). */
const TARGET_INFO = Buffer.concat([
  hex('02000c00'),
  unicode('Domain'),
  hex('01000c00'),
  unicode('Server'),
  hex('00000000'),
]);

describe('ntlm crypto (MS-NLMP 4.2.4)', () => {
  it('hashes the password (NTOWFv1, 4.2.2.1.2) and derives NTOWFv2 (4.2.4.1.1)', () => {
    expect(md4(unicode('Password')).toString('hex')).toBe('a4f49c406510bdcab6824ee7c30fd852');
    expect(ntowfv2('Password', 'User', 'Domain').toString('hex')).toBe(
      '0c868a403bfd7a93a3001ef22ef02e3f',
    );
    // The user name is upper-cased, the domain is not.
    expect(ntowfv2('Password', 'user', 'Domain')).toEqual(ntowfv2('Password', 'User', 'Domain'));
    expect(ntowfv2('Password', 'User', 'DOMAIN')).not.toEqual(
      ntowfv2('Password', 'User', 'Domain'),
    );
  });

  it('computes the LMv2 and NTLMv2 responses and the session base key (4.2.4.1.2, 4.2.4.2)', () => {
    const key = ntowfv2('Password', 'User', 'Domain');
    const v2 = ntlmv2Response(key, SERVER_CHALLENGE, CLIENT_CHALLENGE, TIME, TARGET_INFO);
    expect(v2.lmChallengeResponse.toString('hex')).toBe(
      '86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa',
    );
    expect(v2.ntChallengeResponse).toEqual(
      Buffer.concat([
        hex('68cd0ab851e51c96aabc927bebef6a1c'),
        hex('0101000000000000'),
        TIME,
        CLIENT_CHALLENGE,
        hex('00000000'),
        TARGET_INFO,
        hex('00000000'),
      ]),
    );
    expect(v2.sessionBaseKey.toString('hex')).toBe('8de40ccadbc14a82f15cb0ad0de95ca3');
    expect(encryptSessionKey(v2.sessionBaseKey, RANDOM_SESSION_KEY).toString('hex')).toBe(
      'c5dad2544fc9799094ce1ce90bc9d03e',
    );
  });

  it('derives the client keys and seals "Plaintext" (4.2.4.4)', () => {
    expect(sealKey(RANDOM_SESSION_KEY, 'client-to-server').toString('hex')).toBe(
      '59f600973cc4960a25480a7c196e4c58',
    );
    expect(signKey(RANDOM_SESSION_KEY, 'client-to-server').toString('hex')).toBe(
      '4788dc861b4782f35d43fd98fe1a2d39',
    );
    const sealed = new NtlmSealing(RANDOM_SESSION_KEY, 'client-to-server', true).seal(
      unicode('Plaintext'),
    );
    expect(sealed.toString('hex')).toBe(
      '010000007fb38ec5c55d497600000000' + '54e50165bf1936dc996020c1811b0f06fb5f',
    );
  });

  it('unseals what the peer sealed, in sequence, and refuses a wrong signature', () => {
    const client = new NtlmSealing(RANDOM_SESSION_KEY, 'client-to-server', true);
    const server = new NtlmSealing(RANDOM_SESSION_KEY, 'client-to-server', true);
    for (const text of ['one', 'two']) {
      expect(server.unseal(client.seal(Buffer.from(text)))).toEqual(Buffer.from(text));
    }
    const forged = client.seal(Buffer.from('three'));
    forged[20] = forged[20]! ^ 1;
    expect(server.unseal(forged)).toBeUndefined();
    expect(server.unseal(Buffer.alloc(15))).toBeUndefined();
  });
});
