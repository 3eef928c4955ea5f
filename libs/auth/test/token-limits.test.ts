import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '@checkwire/db';
import { createTestDatabase, tableFingerprint, type TestDatabase } from '@checkwire/testing';
import { Authenticator, TokenAdministration } from '../src/index.js';

let database: TestDatabase;
let handle: DatabaseHandle;
let tokens: TokenAdministration;
let teamId: number;
let serviceIds: number[];
beforeAll(async () => {
  database = await createTestDatabase();
  handle = connectDatabase({ connectionString: database.url, maxConnections: 2 });
  tokens = new TokenAdministration(handle.db, new Authenticator(handle.db));
  const team = await handle.db
    .insertInto('team')
    .values({ name: 'blue-1' })
    .returning('id')
    .executeTakeFirstOrThrow();
  teamId = team.id;
  const services = await handle.db
    .insertInto('service')
    .values([
      { team_id: teamId, subtype: 'dns' },
      { team_id: teamId, subtype: 'http' },
    ])
    .returning('id')
    .execute();
  serviceIds = services.map((s) => s.id);
});
afterAll(async () => {
  await handle.close();
  await database.drop();
});

/** The refusal's message, and that it wrote nothing. */
async function refusal(create: () => Promise<unknown>): Promise<string> {
  const before = await tableFingerprint(handle.pool);
  const message = await create().then(
    () => 'created',
    (err: Error) => `${err.constructor.name}: ${err.message}`,
  );
  expect(await tableFingerprint(handle.pool)).toEqual(before);
  return message;
}

describe('TokenAdministration.create: the services and team a token names must exist', () => {
  it('refuses a check runner limited to a service that does not exist, naming service_ids[i]', async () => {
    const [dns] = serviceIds;
    expect(
      await refusal(() =>
        tokens.create({ name: 'r', role: 'check_runner', serviceIds: [dns!, 999_999] }),
      ),
    ).toBe('NotFoundError: service_ids[1]: service 999999 not found');
    expect(
      await refusal(() => tokens.create({ name: 'r', role: 'check_runner', serviceIds: [999] })),
    ).toBe('NotFoundError: service_ids[0]: service 999 not found');
  });

  it('refuses a blue token for a team that does not exist', async () => {
    expect(await refusal(() => tokens.create({ name: 'b', role: 'blue', teamId: 424_242 }))).toBe(
      'NotFoundError: team 424242 not found',
    );
  });

  it('mints tokens whose services and team exist', async () => {
    const runner = await tokens.create({
      name: 'runner',
      role: 'check_runner',
      serviceIds: [...serviceIds, serviceIds[0]!],
    });
    expect(runner.token.service_ids).toEqual(serviceIds);
    const blue = await tokens.create({ name: 'blue', role: 'blue', teamId });
    expect(blue.token.team_id).toBe(teamId);
    const unlimited = await tokens.create({ name: 'any', role: 'check_runner' });
    expect(unlimited.token.service_ids).toEqual([]);
  });
});
