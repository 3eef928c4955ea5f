import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { asServerUnreachable, ServerUnreachableError } from './server-unreachable.js';

// grpc-js 1.14's texts, as seen from real connections (the refused and silent ports are also
// tested for real in test/unreachable.test.ts).
const grpcError = (code: status, details: string): ServiceError =>
  Object.assign(new Error(`${code} ${status[code]}: ${details}`), {
    code,
    details,
    metadata: new Metadata(),
  });
const noConnection = (lastError: string) =>
  grpcError(
    status.UNAVAILABLE,
    `No connection established. Last error: ${lastError}. Resolution note: `,
  );
const sentence = (err: ServiceError, deadlineMs?: number) =>
  asServerUnreachable(err, 'scoring:50051', deadlineMs).details;

describe('asServerUnreachable', () => {
  it.each([
    ['Error: connect ECONNREFUSED 10.0.0.1:50051', 'connection refused; is the server running?'],
    ['Error: connect ENETUNREACH 10.255.255.1:50051', 'network unreachable; is the address right?'],
    ['Error: connect EHOSTUNREACH 10.0.0.1:50051', 'no route to host; is the address right?'],
    ['Error: read ECONNRESET', 'connection reset; is the server running?'],
    [
      'Failed to connect (2026-12-01T16:52:47.683Z)',
      'closed before the HTTP/2 handshake; do the client and the server agree on TLS?',
    ],
    [
      'Error: 80AC0EFEA17F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n',
      'TLS: wrong version number; do the client and the server agree on TLS?',
    ],
    [
      'Error: unable to verify the first certificate',
      'TLS: unable to verify the first certificate; do the client and the server agree on TLS?',
    ],
  ])('no connection (%s)', (lastError, expected) => {
    const [reason, hint] = expected.split('; ');
    expect(sentence(noConnection(lastError))).toBe(
      `scoring:50051 is unreachable (${reason}); ${hint}`,
    );
  });

  it('a name that does not resolve', () => {
    const err = grpcError(
      status.UNAVAILABLE,
      'Name resolution failed for target dns:scoring:50051',
    );
    expect(sentence(err)).toBe(
      'scoring:50051 is unreachable (name not resolved); is the address right?',
    );
  });

  it('no connection before the deadline, in its unit', () => {
    const waiting = grpcError(
      status.DEADLINE_EXCEEDED,
      'Deadline exceeded after 10.001s,name resolution: 0.035s,metadata filters: 0.001s,Waiting for LB pick',
    );
    expect(sentence(waiting, 10_000)).toBe(
      'scoring:50051 is unreachable (no connection within 10 s); is the server running?',
    );
    expect(sentence(waiting, 1500)).toContain('(no connection within 1500 ms)');
    const err = asServerUnreachable(waiting, 'scoring:50051', 10_000);
    expect(err).toBeInstanceOf(ServerUnreachableError);
    expect(err).toMatchObject({ code: status.DEADLINE_EXCEEDED, cause: waiting });
  });

  it('leaves the server’s own answers alone', () => {
    for (const err of [
      grpcError(status.UNAVAILABLE, 'the database is unreachable right now; nothing was written'),
      grpcError(status.UNAVAILABLE, 'Connection dropped'),
      grpcError(
        status.DEADLINE_EXCEEDED,
        'Deadline exceeded after 0.2s,LB pick: 0.000s,remote_addr=127.0.0.1:50051',
      ),
      grpcError(status.NOT_FOUND, 'No connection established. Last error: not ours'),
    ]) {
      expect(asServerUnreachable(err, 'scoring:50051', 200)).toBe(err);
    }
  });
});
