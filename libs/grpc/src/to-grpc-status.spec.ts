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
import { ServerError, toGrpcStatus } from './to-grpc-status.js';

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
    const result = toGrpcStatus(cause, (line) => logged.push(line));
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
    const result = toGrpcStatus(cause, (line) => logged.push(line));
    const errorId = /error id ([0-9a-f-]{36})/.exec(result.details)?.[1];
    expect(logged[0]!.split('\n')[0]).toBe(
      `internal error ${errorId}: DatabaseError [code 23502]: null value in column "name" of relation "credential_pool" violates not-null`,
    );
    expect(logged.join('\n')).not.toContain('hunter2');
  });

  it('logs something that is not an Error by its type only', () => {
    const logged: string[] = [];
    const result = toGrpcStatus({ password: 'hunter2' }, (line) => logged.push(line));
    const errorId = /error id ([0-9a-f-]{36})/.exec(result.details)?.[1];
    expect(logged).toEqual([`internal error ${errorId}: non-Error thrown (object)`]);
  });
});
