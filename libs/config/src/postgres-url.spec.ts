import { describe, expect, it } from 'vitest';
import { envPostgresUrl, maskPostgresUrl } from './postgres-url.js';

const FIX =
  "set it to postgres://user:password@host:5432/db, or unset it to use npm start's embedded PostgreSQL";
const refusal = (value: string) => {
  try {
    envPostgresUrl({ DATABASE_URL: value }, 'DATABASE_URL');
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
};

describe('envPostgresUrl', () => {
  it('accepts postgres:// and postgresql:// URLs with a host (or a socket folder) and a database', () => {
    for (const url of [
      'postgres://u:p@db.example:5432/checkwire',
      'postgresql://u@127.0.0.1/checkwire?sslmode=require',
      'postgres://u:p@[::1]:5432/checkwire',
      'postgres:///checkwire?host=/var/run/postgresql',
    ]) {
      expect(refusal(url)).toBe('accepted');
    }
  });

  it('refuses anything else, quoting the value without its password', () => {
    expect(refusal('notaurl')).toBe(`DATABASE_URL: "notaurl" is not a postgres:// URL; ${FIX}`);
    expect(refusal('mysql://u:hunter2@h/db')).toBe(
      `DATABASE_URL: "mysql://u:***@h/db" is not a postgres:// URL; ${FIX}`,
    );
    expect(refusal('postgres://u:hunter2@h')).toBe(
      `DATABASE_URL: "postgres://u:***@h" names no database; ${FIX}`,
    );
    expect(refusal('postgres:///db')).toBe(`DATABASE_URL: "postgres:///db" names no host; ${FIX}`);
    expect(refusal('u:hunter2@h/db')).toBe(
      `DATABASE_URL: "u:***@h/db" is not a postgres:// URL; ${FIX}`,
    );
    expect(refusal('postgres://u:hun@ter2@h:99999/db')).toBe(
      `DATABASE_URL: "postgres://u:***@h:99999/db" is not a postgres:// URL; ${FIX}`,
    );
    expect(refusal('')).toMatch(/^DATABASE_URL: is not set; set it to postgres:/);
  });

  it('masks passwords in the user part and in query parameters, and nothing else', () => {
    expect(maskPostgresUrl('postgres://u:p%40ss@h/db?password=x&sslpassword=y&a=b')).toBe(
      'postgres://u:***@h/db?password=***&sslpassword=***&a=b',
    );
    expect(maskPostgresUrl('postgres://h:5432/db')).toBe('postgres://h:5432/db');
    expect(maskPostgresUrl('postgres://u@h:5432/db')).toBe('postgres://u@h:5432/db');
  });
});
