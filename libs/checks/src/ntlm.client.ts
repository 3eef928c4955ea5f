import { randomBytes } from 'node:crypto';
import { encryptSessionKey, hmacMd5, NtlmSealing, ntlmv2Response, ntowfv2 } from './ntlm.crypto.js';
import {
  authenticateMessage,
  AV,
  CLIENT_FLAGS,
  clientTargetInfo,
  FLAGS,
  MIC_OFFSET,
  negotiateMessage,
  parseChallenge,
} from './ntlm.messages.js';
import { MalformedReplyError } from './server-reply.js';

/** What the server must agree to: NTLMv2's session security, signing and sealing, 128 bits. */
const REQUIRED =
  FLAGS.UNICODE | FLAGS.EXTENDED_SESSIONSECURITY | FLAGS.SIGN | FLAGS.SEAL | FLAGS.N128;

/** Seconds from 1601 (FILETIME's epoch) to 1970. */
const FILETIME_EPOCH_S = 11_644_473_600n;

export interface NtlmLogin {
  /** `DOMAIN\user` gives the domain; otherwise the domain is empty (a local account, or a UPN). */
  username: string;
  password: string;
}

export interface NtlmAuthenticated {
  message: Buffer;
  /** Seals what the client sends, and unseals what the server sends, after this message. */
  client: NtlmSealing;
  server: NtlmSealing;
}

/**
 * An NTLMv2 client (MS-NLMP 3.1.5): `negotiate()`, then `authenticate(challenge)`. The password
 * is turned into its NTOWFv2 key at once and not kept; it is never sent, only proofs made with it.
 */
export class NtlmClient {
  private readonly responseKey: Buffer;
  private readonly user: string;
  private readonly domain: string;
  private negotiated: Buffer | undefined;

  constructor(
    login: NtlmLogin,
    private readonly random: (n: number) => Buffer = randomBytes,
  ) {
    const slash = login.username.indexOf('\\');
    this.domain = slash < 0 ? '' : login.username.slice(0, slash);
    this.user = slash < 0 ? login.username : login.username.slice(slash + 1);
    this.responseKey = ntowfv2(login.password, this.user, this.domain);
  }

  negotiate(): Buffer {
    this.negotiated = negotiateMessage();
    return this.negotiated;
  }

  /** The AUTHENTICATE message answering `challengeMessage`, with its MIC, and the sealing keys. */
  authenticate(challengeMessage: Buffer): NtlmAuthenticated {
    if (this.negotiated === undefined) throw new Error('NTLM: negotiate() first');
    const challenge = parseChallenge(challengeMessage);
    if ((challenge.flags & REQUIRED) !== REQUIRED) {
      throw new MalformedReplyError(
        `NTLM: the server refused NTLMv2 session security (flags 0x${challenge.flags.toString(16)})`,
      );
    }
    const timestamp = challenge.targetInfo.find(
      (p) => p.id === AV.TIMESTAMP && p.value.length === 8,
    );
    const time = timestamp?.value ?? filetimeNow();
    const v2 = ntlmv2Response(
      this.responseKey,
      challenge.serverChallenge,
      this.random(8),
      time,
      clientTargetInfo(challenge.targetInfo),
    );
    const keyExchange = (challenge.flags & FLAGS.KEY_EXCH) !== 0;
    const exported = keyExchange ? this.random(16) : v2.sessionBaseKey;
    const message = authenticateMessage({
      flags: (CLIENT_FLAGS & challenge.flags) >>> 0,
      // With the server's timestamp, the LMv2 response is zeros (MS-NLMP 3.1.5.1.2).
      lmChallengeResponse: timestamp === undefined ? v2.lmChallengeResponse : Buffer.alloc(24),
      ntChallengeResponse: v2.ntChallengeResponse,
      domain: this.domain,
      user: this.user,
      encryptedRandomSessionKey: keyExchange
        ? encryptSessionKey(v2.sessionBaseKey, exported)
        : Buffer.alloc(0),
    });
    hmacMd5(exported, this.negotiated, challengeMessage, message).copy(message, MIC_OFFSET);
    return {
      message,
      client: new NtlmSealing(exported, 'client-to-server', keyExchange),
      server: new NtlmSealing(exported, 'server-to-client', keyExchange),
    };
  }
}

function filetimeNow(): Buffer {
  const time = Buffer.alloc(8);
  time.writeBigUInt64LE((BigInt(Date.now()) + FILETIME_EPOCH_S * 1000n) * 10_000n);
  return time;
}
