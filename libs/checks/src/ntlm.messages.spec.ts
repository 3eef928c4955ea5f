import { describe, expect, it } from 'vitest';
import {
  authenticateMessage,
  AV,
  clientTargetInfo,
  negotiateMessage,
  parseChallenge,
} from './ntlm.messages.js';
import { MalformedReplyError } from './server-reply.js';

/** The CHALLENGE_MESSAGE of MS-NLMP 4.2.4.3. */
const CHALLENGE = Buffer.from(
  '4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef' +
    '00000000000000002400240044000000060070170000000f5300650072007600' +
    '6500720002000c0044006f006d00610069006e0001000c005300650072007600' +
    '6500720000000000',
  'hex',
);

describe('ntlm messages', () => {
  it('reads the CHALLENGE of MS-NLMP 4.2.4.3', () => {
    const c = parseChallenge(CHALLENGE);
    expect(c.flags).toBe(0xe28a8233);
    expect(c.serverChallenge.toString('hex')).toBe('0123456789abcdef');
    expect(c.targetInfo).toEqual([
      { id: 2, value: Buffer.from('Domain', 'utf16le') },
      { id: 1, value: Buffer.from('Server', 'utf16le') },
    ]);
  });

  it('refuses what is no CHALLENGE, and fields past the end', () => {
    const fails = (m: Buffer, message: string) =>
      expect(() => parseChallenge(m)).toThrow(new MalformedReplyError(message));
    fails(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'.repeat(3)), 'NTLM: not an NTLMSSP message');
    fails(CHALLENGE.subarray(0, 31), 'NTLM: not an NTLMSSP message');
    const type3 = Buffer.from(CHALLENGE);
    type3.writeUInt32LE(3, 8);
    fails(type3, 'NTLM: message type 3, not a CHALLENGE');
    const past = Buffer.from(CHALLENGE);
    past.writeUInt32LE(0xfffffff0, 44);
    fails(past, 'NTLM: target info past the end');
    const longPair = Buffer.from(CHALLENGE);
    longPair.writeUInt16LE(0x7fff, 0x46);
    fails(longPair, 'NTLM: AV pair past the end');
    fails(CHALLENGE.subarray(0, CHALLENGE.length - 4), 'NTLM: target info past the end');
  });

  it('returns the target info with MsvAvFlags saying a MIC follows', () => {
    const info = clientTargetInfo(parseChallenge(CHALLENGE).targetInfo);
    expect(info.subarray(-12).toString('hex')).toBe('0600040002000000' + '00000000');
    const withFlags = clientTargetInfo([{ id: AV.FLAGS, value: Buffer.from([1, 0, 0, 0]) }]);
    expect(withFlags.toString('hex')).toBe('0600040003000000' + '00000000');
  });

  it('writes NEGOTIATE and AUTHENTICATE with every field pointing into the message', () => {
    const n = negotiateMessage();
    expect(n.subarray(0, 16).toString('hex')).toBe('4e544c4d5353500001000000358208e2');
    const a = authenticateMessage({
      flags: 0xe2088235,
      lmChallengeResponse: Buffer.alloc(24),
      ntChallengeResponse: Buffer.alloc(60, 1),
      domain: 'Domain',
      user: 'User',
      encryptedRandomSessionKey: Buffer.alloc(16, 2),
    });
    const fieldAt = (at: number) => {
      const length = a.readUInt16LE(at);
      const offset = a.readUInt32LE(at + 4);
      return a.subarray(offset, offset + length);
    };
    expect(fieldAt(12)).toEqual(Buffer.alloc(24));
    expect(fieldAt(20)).toEqual(Buffer.alloc(60, 1));
    expect(fieldAt(28).toString('utf16le')).toBe('Domain');
    expect(fieldAt(36).toString('utf16le')).toBe('User');
    expect(fieldAt(44).length).toBe(0);
    expect(fieldAt(52)).toEqual(Buffer.alloc(16, 2));
    expect(a.readUInt32LE(60)).toBe(0xe2088235);
    expect(a.subarray(72, 88)).toEqual(Buffer.alloc(16)); // the MIC, filled in by the client
  });
});
