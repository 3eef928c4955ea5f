import { describe, expect, it } from 'vitest';
import { explainStartFailure } from './start-failure.js';

const URL_ = 'postgres://checkwire:hunter2@db.example:6543/scores';
const explain = explainStartFailure({
  database: ['DATABASE_URL', URL_],
  listen: { host: ['X_HOST', '127.0.0.1'], port: ['X_PORT', 50051] },
});
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
const migration = (cause: unknown) => new Error('migration unknown failed', { cause });
const message = (err: unknown): string => {
  try {
    explain(err);
  } catch (thrown) {
    return thrown === err ? 'rethrown as it is' : (thrown as Error).message;
  }
  return 'returned';
};
const SHOWN = 'postgres://checkwire:***@db.example:6543/scores';

describe('explainStartFailure', () => {
  it('names DATABASE_URL, masked, for a database that refuses or cannot be reached', () => {
    expect(message(migration(pgError('28P01', 'password authentication failed')))).toBe(
      `DATABASE_URL: PostgreSQL refused the password of user "checkwire" (${SHOWN}); put that user's password in DATABASE_URL`,
    );
    expect(message(migration(pgError('3D000', 'database "scores" does not exist')))).toBe(
      `DATABASE_URL: PostgreSQL has no database "scores" (${SHOWN}); create it (CREATE DATABASE "scores"), or set an existing database in DATABASE_URL`,
    );
    const refused = new AggregateError([pgError('ECONNREFUSED', 'connect ECONNREFUSED ::1:6543')]);
    expect(message(migration(refused))).toBe(
      `DATABASE_URL: nothing accepts connections at db.example:6543 (${SHOWN}); start PostgreSQL there, or set DATABASE_URL to where it runs`,
    );
    expect(message(pgError('ENOTFOUND', 'getaddrinfo ENOTFOUND db.example'))).toBe(
      `DATABASE_URL: the host "db.example" is not found (${SHOWN}); fix the host in DATABASE_URL`,
    );
    expect(message(migration(new Error('timeout exceeded when trying to connect')))).toMatch(
      /^DATABASE_URL: no answer from db\.example:6543 \(postgres:\/\/checkwire:\*\*\*@/,
    );
  });

  it('names the port or host variable when the server cannot listen', () => {
    const grpc = new Error(
      'No address added out of total 1 resolved errors: [listen EADDRINUSE: address already in use 127.0.0.1:50051]',
    );
    expect(message(grpc)).toBe(
      'X_PORT: 50051 is in use by another program; set it to a free port (0 picks one)',
    );
    const http = Object.assign(new Error('listen EADDRNOTAVAIL'), {
      code: 'EADDRNOTAVAIL',
      syscall: 'listen',
    });
    expect(message(http)).toBe(
      'X_HOST: "127.0.0.1" is not an address of this machine; set it to an address of this machine, e.g. 127.0.0.1, or 0.0.0.0 for every interface',
    );
  });

  it('rethrows anything else as it is', () => {
    expect(message(pgError('42P07', 'relation "x" already exists'))).toBe('rethrown as it is');
    expect(message('a string')).toBe('rethrown as it is');
  });
});
