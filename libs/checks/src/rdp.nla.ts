import { randomBytes } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { down, up, type CheckResult } from './check.js';
import {
  CREDSSP_VERSION,
  encodeTsRequest,
  MAX_TSREQUEST_BYTES,
  parseTsRequest,
  publicKeyBinding,
  subjectPublicKey,
  tsRequestLength,
  type TsRequest,
} from './credssp.js';
import { LimitExceededError } from './limits.js';
import { NtlmClient, type NtlmLogin } from './ntlm.client.js';
import { MalformedReplyError } from './server-reply.js';

// Network Level Authentication: CredSSP (MS-CSSP 3.1.5) with NTLMv2 over the TLS connection that
// followed RDP's negotiation, as far as the server's proof that it accepted the login.

/** NTSTATUS codes (as CredSSP's errorCode) that refuse the user's login. */
const REFUSED = new Map<number, string>([
  [0xc000006d, 'STATUS_LOGON_FAILURE'],
  [0xc000006a, 'STATUS_WRONG_PASSWORD'],
  [0xc0000064, 'STATUS_NO_SUCH_USER'],
  [0xc000006e, 'STATUS_ACCOUNT_RESTRICTION'],
  [0xc000006f, 'STATUS_INVALID_LOGON_HOURS'],
  [0xc0000070, 'STATUS_INVALID_WORKSTATION'],
  [0xc0000071, 'STATUS_PASSWORD_EXPIRED'],
  [0xc0000072, 'STATUS_ACCOUNT_DISABLED'],
  [0xc0000193, 'STATUS_ACCOUNT_EXPIRED'],
  [0xc0000224, 'STATUS_PASSWORD_MUST_CHANGE'],
  [0xc0000234, 'STATUS_ACCOUNT_LOCKED_OUT'],
  [0xc000015b, 'STATUS_LOGON_TYPE_NOT_GRANTED'],
  [0x8009030c, 'SEC_E_LOGON_DENIED'],
]);

/** The server closed the connection where a TSRequest was due (a reset, to the check). */
class ClosedError extends Error {
  readonly code = 'ECONNRESET';
  constructor() {
    super('connection closed');
  }
}

/** Reads whole TSRequests from the TLS connection, each at most MAX_TSREQUEST_BYTES. */
class TsRequestReader {
  private got = Buffer.alloc(0);
  private waiting: ((err?: Error) => void) | undefined;
  private failure: Error | undefined;

  constructor(tls: TLSSocket) {
    tls.on('data', (chunk: Buffer) => {
      this.got = Buffer.concat([this.got, chunk]);
      this.wake();
    });
    tls.once('end', () => this.fail(new ClosedError()));
    tls.once('close', () => this.fail(new ClosedError()));
    tls.once('error', (err: Error) => this.fail(err));
  }

  async read(): Promise<TsRequest> {
    for (;;) {
      const length = tsRequestLength(this.got);
      if (length !== undefined && length > MAX_TSREQUEST_BYTES) {
        throw new LimitExceededError(
          `CredSSP: a message of ${length} bytes (more than ${MAX_TSREQUEST_BYTES})`,
        );
      }
      if (length !== undefined && this.got.length >= length) {
        const message = this.got.subarray(0, length);
        this.got = this.got.subarray(length);
        return parseTsRequest(message);
      }
      if (this.failure !== undefined) throw this.failure;
      await new Promise<void>((resolve, reject) => {
        this.waiting = (err) => (err === undefined ? resolve() : reject(err));
      });
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}

/** A TSRequest carrying an errorCode, as a result (a refused login is `credentials`). */
function refusal(what: string, code: number): CheckResult {
  const name = REFUSED.get(code);
  const hex = `0x${code.toString(16).padStart(8, '0')}`;
  return name === undefined
    ? down('content', `${what}: CredSSP: the server answered error ${hex}`)
    : down('credentials', `${what}: CredSSP: login refused (${name})`);
}

/**
 * Logs in over CredSSP on `tls` (its handshake complete): NTLM NEGOTIATE, the server's CHALLENGE,
 * AUTHENTICATE with pubKeyAuth (the TLS public key bound to a nonce, sealed), then the server's
 * pubKeyAuth, which only a server that accepted the login can seal. Up when it unseals to the
 * expected binding. The user's credentials (TSCredentials) are never delegated: the password is
 * sent to nobody, only NTLM's proofs made with it. A server that hangs up after AUTHENTICATE
 * (FreeRDP does, on a wrong password) refused the login.
 */
export async function credsspLogin(
  tls: TLSSocket,
  login: NtlmLogin,
  what: string,
): Promise<CheckResult> {
  const spki = tls.getPeerX509Certificate()?.publicKey.export({ type: 'spki', format: 'der' });
  if (spki === undefined)
    return down('content', `${what}: CredSSP: the server sent no certificate`);
  const publicKey = subjectPublicKey(spki);
  const reader = new TsRequestReader(tls);
  const send = (r: Omit<TsRequest, 'version'>) =>
    tls.write(encodeTsRequest({ version: CREDSSP_VERSION, ...r }));

  const ntlm = new NtlmClient(login);
  send({ negoToken: ntlm.negotiate() });
  const challenge = await reader.read();
  if (challenge.errorCode !== undefined) return refusal(what, challenge.errorCode);
  if (challenge.negoToken === undefined) {
    throw new MalformedReplyError('CredSSP: no NTLM CHALLENGE in the answer');
  }
  const version = Math.min(CREDSSP_VERSION, challenge.version);
  const nonce = randomBytes(32);
  const binding = publicKeyBinding(version, publicKey, nonce);
  const authenticated = ntlm.authenticate(challenge.negoToken);
  send({
    negoToken: authenticated.message,
    pubKeyAuth: authenticated.client.seal(binding.client),
    ...(version >= 5 ? { clientNonce: nonce } : {}),
  });

  let proof: TsRequest;
  try {
    proof = await reader.read();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ECONNRESET' || code === 'EPIPE') {
      return down('credentials', `${what}: CredSSP: the server hung up at the login (refused)`);
    }
    throw err;
  }
  if (proof.errorCode !== undefined) return refusal(what, proof.errorCode);
  if (proof.pubKeyAuth === undefined) {
    throw new MalformedReplyError('CredSSP: no pubKeyAuth in the answer to the login');
  }
  const unsealed = authenticated.server.unseal(proof.pubKeyAuth);
  if (unsealed === undefined || !unsealed.equals(binding.server)) {
    return down('content', `${what}: CredSSP: the server's pubKeyAuth does not verify`);
  }
  return up(`${what}: CredSSP negotiated, NTLM login accepted`);
}
