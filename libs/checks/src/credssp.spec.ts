import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  encodeTsRequest,
  parseTsRequest,
  publicKeyBinding,
  subjectPublicKey,
  tsRequestLength,
} from './credssp.js';
import { MalformedReplyError } from './server-reply.js';

describe('credssp', () => {
  it('encodes a TSRequest and reads it back', () => {
    const token = Buffer.alloc(300, 7);
    const der = encodeTsRequest({
      version: 6,
      negoToken: token,
      pubKeyAuth: Buffer.from('sealed'),
      clientNonce: Buffer.alloc(32, 1),
    });
    expect(tsRequestLength(der.subarray(0, 1))).toBeUndefined();
    expect(tsRequestLength(der.subarray(0, 4))).toBe(der.length);
    expect(parseTsRequest(der)).toEqual({
      version: 6,
      negoToken: token,
      pubKeyAuth: Buffer.from('sealed'),
      clientNonce: Buffer.alloc(32, 1),
    });
  });

  it('reads an errorCode as an unsigned NTSTATUS, in either INTEGER form', () => {
    // version 3, errorCode 0xc000006d as a negative INTEGER, then as a positive one.
    for (const der of ['300da003020103a4060204c000006d', '300ea003020103a407020500c000006d']) {
      expect(parseTsRequest(Buffer.from(der, 'hex'))).toEqual({
        version: 3,
        errorCode: 0xc000006d,
      });
    }
  });

  it('refuses what is no TSRequest', () => {
    expect(() => tsRequestLength(Buffer.from('HTTP'))).toThrow(
      new MalformedReplyError('CredSSP: not a TSRequest'),
    );
    expect(() => tsRequestLength(Buffer.from('3085', 'hex'))).toThrow(
      new MalformedReplyError('CredSSP: a bad TSRequest length'),
    );
    expect(() => parseTsRequest(Buffer.from('3000', 'hex'))).toThrow(
      new MalformedReplyError('CredSSP: no version'),
    );
    expect(() => parseTsRequest(Buffer.from('3005a003020106', 'hex').subarray(0, 5))).toThrow(
      MalformedReplyError,
    );
  });

  it('takes the SubjectPublicKey out of a SubjectPublicKeyInfo (RSA: the PKCS #1 key)', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(subjectPublicKey(publicKey.export({ type: 'spki', format: 'der' }))).toEqual(
      publicKey.export({ type: 'pkcs1', format: 'der' }),
    );
  });

  it('binds the public key by hash from version 5, by the key itself before', () => {
    const key = Buffer.from([0xff, 1, 2]);
    const nonce = Buffer.alloc(32, 9);
    const v6 = publicKeyBinding(6, key, nonce);
    expect(v6.client).toHaveLength(32);
    expect(v6.client).not.toEqual(v6.server);
    expect(publicKeyBinding(3, key, nonce)).toEqual({
      client: key,
      server: Buffer.from([0, 1, 2]),
    });
  });
});
