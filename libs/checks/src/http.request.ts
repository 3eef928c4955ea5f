import {
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { withTimeout } from './check.js';
import { httpFailure, UntrustedCertificateError } from './http.errors.js';
import { MAX_HTTP_HEADER_BYTES } from './limits.js';

export interface HttpRequest {
  url: URL;
  /**
   * The URL as results quote it: a configured one as it is; one a server redirected to clipped,
   * with the check's password masked (a server may echo it into a Location).
   */
  shown: string;
  method: 'GET' | 'POST';
  headers: OutgoingHttpHeaders;
  body?: Buffer;
  /** Verify the certificate chain and host name (else any certificate is accepted). */
  verifyTls: boolean;
}

/** The head of one answer. Its body is unread; `close()` ends the connection, read or not. */
export interface HttpAnswer {
  url: URL;
  shown: string;
  status: number;
  /** Every header's values, by lower-case name (a Map: names are the server's). */
  headers: ReadonlyMap<string, readonly string[]>;
  body: IncomingMessage;
  close(): void;
}

/**
 * One request over a connection of its own (no agent, no keep-alive), resolved at the answer's
 * head, within `timeoutMs`. Headers are bounded (MAX_HTTP_HEADER_BYTES); the body is left to the
 * caller, who reads it bounded or not at all. Throws HttpFailure naming the request's URL.
 */
export async function sendRequest(r: HttpRequest, timeoutMs: number): Promise<HttpAnswer> {
  const send = r.url.protocol === 'https:' ? httpsRequest : httpRequest;
  let req: ClientRequest | undefined;
  try {
    const res = await withTimeout(
      new Promise<IncomingMessage>((resolve, reject) => {
        const sent = send(r.url, {
          method: r.method,
          headers: r.headers,
          agent: false,
          maxHeaderSize: MAX_HTTP_HEADER_BYTES,
          rejectUnauthorized: r.verifyTls,
        });
        req = sent;
        let socket: Socket | undefined;
        let answer: IncomingMessage | undefined;
        sent.on('socket', (s) => (socket = s));
        sent.on('response', (res: IncomingMessage) => resolve((answer = res)));
        // After the head, Node reports a malformed body (a bad chunk size) on the request only,
        // the body just "aborted": handed to the body, its reader sees the parser's error.
        sent.on('error', (err) =>
          answer === undefined
            ? reject((r.verifyTls ? certificateError(socket, err) : undefined) ?? err)
            : answer.destroy(err),
        );
        sent.end(r.body);
      }),
      timeoutMs,
    );
    const sent = req!;
    return {
      url: r.url,
      shown: r.shown,
      status: res.statusCode ?? 0,
      headers: headersOf(res),
      body: res,
      close: () => sent.destroy(),
    };
  } catch (err) {
    req?.destroy();
    throw httpFailure(err, r.shown);
  }
}

/**
 * A certificate that failed verification, told apart from other TLS errors by the socket: Node
 * sets `authorizationError` when the chain or the host name fails, just before it destroys the
 * socket with that error (whose message is OpenSSL's reason, or Node's for the host name).
 */
function certificateError(socket: Socket | undefined, err: Error): Error | undefined {
  // Null until a handshake fails verification (typed as an Error, set to its code).
  const failed: unknown = socket instanceof TLSSocket ? socket.authorizationError : undefined;
  return failed !== undefined && failed !== null
    ? new UntrustedCertificateError(err.message)
    : undefined;
}

function headersOf(res: IncomingMessage): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const [name, values] of Object.entries(res.headersDistinct))
    if (values !== undefined) headers.set(name, values);
  return headers;
}
