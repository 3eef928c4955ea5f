import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '@checkwire/db';
import { createTestDatabase, type TestDatabase } from '@checkwire/testing';
import { Authenticator, TokenAdministration } from '../src/index.js';

let database: TestDatabase;
let handle: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
  handle = connectDatabase({ connectionString: database.url, maxConnections: 2 });
});
afterAll(async () => {
  await handle.close();
  await database.drop();
});

describe('Authenticator', () => {
  it('refuses a token revoked here while its lookup was in flight', async () => {
    const auth = new Authenticator(handle.db, { cacheTtlMs: 60_000 });
    const tokens = new TokenAdministration(handle.db, auth);
    const { token, secret } = await tokens.create({ name: 'in-flight', role: 'red' });
    // Hold the lookup: the table is locked until the revocation has been announced.
    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE api_token IN ACCESS EXCLUSIVE MODE');
      const lookup = auth.authenticate(`Bearer ${secret}`);
      const outcome = lookup.then(
        () => 'accepted',
        (err: Error) => err.message,
      );
      for (;;) {
        const { rows } = await locker.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE wait_event_type = 'Lock' AND query LIKE '%api_token%' AND pid <> pg_backend_pid()`,
        );
        if (rows[0].n > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      // What TokenAdministration.revoke does once its UPDATE committed (on this replica).
      auth.forget(token.id);
      await locker.query('ROLLBACK');
      expect(await outcome).toBe('unknown or revoked token');
    } finally {
      await locker.end();
    }
  });

  it('trusts a verified token for its cache lifetime, then asks the database again', async () => {
    const auth = new Authenticator(handle.db, { cacheTtlMs: 200 });
    const tokens = new TokenAdministration(handle.db, new Authenticator(handle.db));
    const { token, secret } = await tokens.create({ name: 'r', role: 'red' });
    expect(await auth.authenticate(`Bearer ${secret}`)).toEqual({ role: 'red', tokenId: token.id });
    // Revoked behind this authenticator's back (as by another replica).
    await tokens.revoke(token.id);
    expect((await auth.authenticate(`bearer  ${secret}`)).role).toBe('red');
    await new Promise((r) => setTimeout(r, 250));
    await expect(auth.authenticate(`Bearer ${secret}`)).rejects.toThrow('unknown or revoked token');
  });

  it('forgets a token at once when told, and the public needs no token', async () => {
    const auth = new Authenticator(handle.db, { cacheTtlMs: 60_000 });
    const tokens = new TokenAdministration(handle.db, auth);
    const { token, secret } = await tokens.create({
      name: 'b',
      role: 'check_runner',
      subtypes: ['dns'],
    });
    expect(await auth.authenticate(`Bearer ${secret}`)).toEqual({
      role: 'check_runner',
      tokenId: token.id,
      subtypes: ['dns'],
      serviceIds: [],
    });
    await tokens.revoke(token.id);
    await expect(auth.authenticate(`Bearer ${secret}`)).rejects.toThrow('unknown or revoked token');
    expect(await auth.authenticate(undefined)).toEqual({ role: 'public' });
  });

  it('keeps at most cacheSize tokens', async () => {
    const auth = new Authenticator(handle.db, { cacheTtlMs: 60_000, cacheSize: 2 });
    const tokens = new TokenAdministration(handle.db, auth);
    const issued = [];
    for (let i = 0; i < 3; i++) issued.push(await tokens.create({ name: `g${i}`, role: 'green' }));
    for (const { secret } of issued) await auth.authenticate(`Bearer ${secret}`);
    // The oldest was evicted: revoking it in the database is seen at once, the newest is cached.
    await handle.db.updateTable('api_token').set({ revoked_at: new Date() }).execute();
    await expect(auth.authenticate(`Bearer ${issued[0]!.secret}`)).rejects.toThrow(
      'unknown or revoked',
    );
    expect((await auth.authenticate(`Bearer ${issued[2]!.secret}`)).role).toBe('green');
  });
});
