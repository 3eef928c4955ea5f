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

  it('hides unknown errors behind INTERNAL with an error id, logging the cause', () => {
    const logged: unknown[] = [];
    const cause = new Error('relation "secret_table" does not exist');
    const result = toGrpcStatus(cause, (message, c) => logged.push(message, c));
    expect(result.code).toBe(status.INTERNAL);
    expect(result.details).toMatch(
      /^internal error \(error id [0-9a-f-]{36}\); the server log has the cause$/,
    );
    expect(result.details).not.toContain('secret_table');
    expect(logged[1]).toBe(cause);
    const errorId = /error id ([0-9a-f-]{36})/.exec(result.details)?.[1];
    expect(logged[0]).toBe(`internal error ${errorId}`);
  });
});
