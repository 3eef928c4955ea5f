import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  UnauthenticatedError,
  UnavailableError,
} from '@checkwire/errors';
import { createLogger } from '@checkwire/log';
import { ServerError, toGrpcStatus, UNAVAILABLE_DETAILS } from './to-grpc-status.js';

/** A logger that keeps its lines, without the `grpc: answering INTERNAL: ` prefix. */
function capture(logged: string[]) {
  return createLogger('grpc', {
    write: (_level, line) => logged.push(line.replace(/^grpc: answering \w+: /, '')),
  });
}

describe('toGrpcStatus', () => {
  it.each([
    [new InvalidArgumentError('port', 'too big'), status.INVALID_ARGUMENT, 'port: too big'],
    [new NotFoundError('service', 3), status.NOT_FOUND, 'service 3 not found'],
    [new AlreadyExistsError('taken'), status.ALREADY_EXISTS, 'taken'],
    [new FailedPreconditionError('down'), status.FAILED_PRECONDITION, 'down'],
    [new UnauthenticatedError('who?'), status.UNAUTHENTICATED, 'who?'],
    [new PermissionDeniedError('no'), status.PERMISSION_DENIED, 'no'],
    [new UnavailableError('later'), status.UNAVAILABLE, 'later'],
    [
      new ServerError(status.RESOURCE_EXHAUSTED, 'slow down'),
      status.RESOURCE_EXHAUSTED,
      'slow down',
    ],
  ])('maps %o', (err, code, details) => {
    expect(toGrpcStatus(err)).toMatchObject({ code, details });
  });

  it('hides unknown errors behind INTERNAL with an error id, logging what the error is', () => {
    const logged: string[] = [];
    const cause = new Error('relation "secret_table" does not exist');
    const result = toGrpcStatus(cause, capture(logged));
    expect(result.code).toBe(status.INTERNAL);
    expect(result.details).toMatch(
      /^internal error \(error id [0-9a-f-]{36}\); the server log has the cause$/,
    );
    expect(result.details).not.toContain('secret_table');
    const errorId = /error id ([0-9a-f-]{36})/.exec(result.details)?.[1];
    expect(logged).toHaveLength(1);
    const [first, ...frames] = logged[0]!.split('\n');
    expect(first).toBe(`internal error ${errorId}: Error: relation "secret_table" does not exist`);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.every((f) => /^\s+at /.test(f))).toBe(true);
  });

  it("logs a PostgreSQL error's message and code, never its detail, where or parameters", () => {
    // The shape of pg's DatabaseError for a failed INSERT.
    const cause = Object.assign(
      new Error('null value in column "name" of relation "credential_pool" violates not-null'),
      {
        name: 'DatabaseError',
        code: '23502',
        severity: 'ERROR',
        detail: 'Failing row contains (7, null, hunter2).',
        where: 'SQL statement "INSERT … VALUES (\'hunter2\')"',
        parameters: ['hunter2'],
      },
    );
    const logged: string[] = [];
    const result = toGrpcStatus(cause, capture(logged));
    const errorId = /error id ([0-9a-f-]{36})/.exec(result.details)?.[1];
    expect(logged[0]!.split('\n')[0]).toBe(
      `internal error ${errorId}: DatabaseError [code 23502]: null value in column "name" of relation "credential_pool" violates not-null`,
    );
    expect(logged.join('\n')).not.toContain('hunter2');
  });

  it('logs something that is not an Error by its type only', () => {
    const logged: string[] = [];
    const result = toGrpcStatus({ password: 'hunter2' }, capture(logged));
    const errorId = /error id ([0-9a-f-]{36})/.exec(result.details)?.[1];
    expect(logged).toEqual([`internal error ${errorId}: non-Error thrown (object)`]);
  });

  it('answers UNAVAILABLE with a retry hint when the database cannot be reached, logging the outage once', () => {
    const logged: string[] = [];
    const log = capture(logged);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    const shutdown = Object.assign(
      new Error('terminating connection due to administrator command'),
      {
        code: '57P01',
      },
    );
    for (const err of [refused, shutdown, new Error('Connection terminated unexpectedly')]) {
      const result = toGrpcStatus(err, log);
      expect(result).toMatchObject({ code: status.UNAVAILABLE, details: UNAVAILABLE_DETAILS });
      expect(result.metadata.get('grpc-retry-pushback-ms')).toEqual(['1000']);
    }
    expect(logged).toEqual([
      'the database is unreachable (connect ECONNREFUSED 127.0.0.1:5432); further failures are counted, not logged',
    ]);
  });
});
