import { request, type IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { checkServerIdentity, type TLSSocket } from 'node:tls';
import { tlsOverMetered } from './ldap.connection.js';
import { LimitExceededError, MAX_CONVERSATION_BYTES, MAX_HTTP_HEADER_BYTES } from './limits.js';
import { CertificateError } from './winrm.errors.js';
import { MAX_ENVELOPE_BYTES } from './winrm.soap.js';

// WS-Management's HTTP binding (DSP0226 annex, MS-WSMV 2.1): each envelope POSTed to /wsman with
// HTTP Basic credentials, one connection per request (Connection: close), within one deadline
// and one byte budget for the whole conversation.

export interface WsmanEndpoint {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  username: string;
  password: string;
  /** https: verify the certificate (system CAs, the host name) before any credentials are sent. */
  verifyTls: boolean;
}

/** What the server answered one POST with. */
export interface HttpAnswer {
  status: number;
  /** The schemes of its WWW-Authenticate headers (`Basic`, `Negotiate`…). */
  offered: string[];
  body: string;
}

/** The Authorization header's credentials (RFC 7617), which a server's text must never echo. */
export const basicCredentials = (username: string, password: string) =>
  Buffer.from(`${username}:${password}`, 'utf8').toString('base64');

const timedOut = () => Object.assign(new Error('timed out'), { code: 'CHECK_TIMEOUT' });
const closedEarly = () =>
  Object.assign(new Error('the server closed the connection'), { code: 'ECONNRESET' });

/** Resolves on `event`; rejects on an error, or a close before it. */
function settled(emitter: Socket, event: 'connect' | 'secureConnect'): Promise<void> {
  return new Promise((resolve, reject) => {
    emitter.once(event, () => resolve());
    emitter.once('error', reject);
    emitter.once('close', () => reject(closedEarly()));
  });
}

/**
 * Why a certificate is not trusted for `host`, if it is not. Node's own verdict (with
 * rejectUnauthorized off) checks the chain, but checks the name against the SNI name, which is
 * none for an address: the name is checked here against the host itself.
 */
function certificateProblem(tls: TLSSocket, host: string): string | undefined {
  const chain = tls.authorized ? undefined : String(tls.authorizationError);
  if (chain !== undefined && chain !== 'ERR_TLS_CERT_ALTNAME_INVALID') return chain;
  const name = checkServerIdentity(host, tls.getPeerCertificate());
  return name === undefined ? undefined : 'ERR_TLS_CERT_ALTNAME_INVALID';
}

/** A body of at most MAX_ENVELOPE_BYTES, read as UTF-8 (what WinRM answers a UTF-8 request in). */
function readAnswer(res: IncomingMessage): Promise<HttpAnswer> {
  const announced = Number(res.headers['content-length'] ?? 0);
  if (announced > MAX_ENVELOPE_BYTES) {
    return Promise.reject(
      new LimitExceededError(`an answer of ${announced} bytes (more than ${MAX_ENVELOPE_BYTES})`),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    res.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_ENVELOPE_BYTES) chunks.push(chunk);
      else {
        reject(new LimitExceededError(`an answer longer than ${MAX_ENVELOPE_BYTES} bytes`));
        res.destroy();
      }
    });
    res.on('end', () =>
      resolve({
        status: res.statusCode ?? 0,
        offered: (res.headersDistinct['www-authenticate'] ?? []).map(
          (challenge) => challenge.trim().split(/[\s,]/)[0] ?? '',
        ),
        body: Buffer.concat(chunks).toString('utf8'),
      }),
    );
    res.on('error', reject);
    res.on('close', () => reject(closedEarly()));
  });
}

/** One WinRM conversation: POSTs envelopes until cut, or until its deadline passes. */
export class WsmanTransport {
  private received = 0;
  private readonly sockets = new Set<Socket>();
  private failure: Error | undefined;

  constructor(
    private readonly endpoint: WsmanEndpoint,
    private readonly deadline: number,
  ) {}

  /** The endpoint's URL, which every envelope is addressed To. */
  get url(): string {
    const { scheme, host, port } = this.endpoint;
    return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}/wsman`;
  }

  /** Ends the conversation: open connections close, and every later POST fails with `err`. */
  cut(err: Error): void {
    this.failure ??= err;
    for (const socket of this.sockets) socket.destroy();
  }

  /** POSTs one envelope and reads the answer, each within the limits. */
  async post(envelope: string): Promise<HttpAnswer> {
    if (Date.now() >= this.deadline) this.cut(timedOut());
    if (this.failure !== undefined) throw this.failure;
    const raw = new Socket();
    this.sockets.add(raw);
    // Before any other listener: every byte the server sends counts, TLS records included.
    raw.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      if (this.received > MAX_CONVERSATION_BYTES) {
        this.cut(
          new LimitExceededError(`more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`),
        );
      }
    });
    raw.on('error', () => undefined); // reported through the waits below
    const timer = setTimeout(() => this.cut(timedOut()), this.deadline - Date.now());
    let socket: Socket = raw;
    try {
      raw.connect(this.endpoint.port, this.endpoint.host);
      socket = await this.secure(raw);
      return await this.exchange(socket, envelope);
    } catch (err) {
      throw this.failure ?? err;
    } finally {
      clearTimeout(timer);
      this.sockets.delete(raw);
      socket.destroy();
      raw.destroy();
    }
  }

  /** The connection, once connected (http) or once TLS is up and, if asked, verified (https). */
  private async secure(raw: Socket): Promise<Socket> {
    if (this.endpoint.scheme === 'http') {
      await settled(raw, 'connect');
      return raw;
    }
    const tls = tlsOverMetered(raw, this.endpoint.host);
    tls.on('error', () => undefined);
    await settled(tls, 'secureConnect');
    const problem = this.endpoint.verifyTls
      ? certificateProblem(tls, this.endpoint.host)
      : undefined;
    if (problem !== undefined) throw new CertificateError(problem);
    return tls;
  }

  private exchange(socket: Socket, envelope: string): Promise<HttpAnswer> {
    const { host, port, username, password } = this.endpoint;
    const body = Buffer.from(envelope, 'utf8');
    return new Promise((resolve, reject) => {
      // No agent: the request runs on this socket alone, which closes after the answer.
      const req = request({
        createConnection: () => socket,
        method: 'POST',
        host,
        port,
        path: '/wsman',
        maxHeaderSize: MAX_HTTP_HEADER_BYTES,
        headers: {
          'Content-Type': 'application/soap+xml;charset=UTF-8',
          'Content-Length': body.length,
          Authorization: `Basic ${basicCredentials(username, password)}`,
          'User-Agent': 'Checkwire WinRM check',
        },
      });
      req.on('error', reject);
      req.on('response', (res) => void readAnswer(res).then(resolve, reject));
      req.end(body);
    });
  }
}
