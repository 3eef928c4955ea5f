import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { connectDatabase, type DatabaseHandle } from '@checkwire/db';
import { createLogger } from '@checkwire/log';
import { createTestDatabase, type TestDatabase } from '@checkwire/testing';
import { CheckSettings } from '../src/check-settings.js';
import { ManualClock } from '../src/clock.js';
import { readyDeliveryIds } from '../src/delivery.repository.js';
import { ANALYZE_AFTER_ROWS } from '../src/planner-statistics.repository.js';
import { Rounds } from '../src/round.service.js';
import { Ticker, type RoundService } from '../src/ticker.js';

// What a large firing leaves behind for the claims: statistics that know the queue's size, so a
// claim reads the first rows of the ready index in order instead of every ready row and a sort.

const SENSORS = 5000;
const SERVICES = 1500;
let database: TestDatabase;
let handle: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = connectDatabase({ connectionString: database.url });
});

afterAll(async () => {
  await handle.close();
  await database.drop();
});

const lastAnalyze = async (table: string) =>
  (
    await sql<{ last_analyze: Date | null }>`
      SELECT last_analyze FROM pg_stat_user_tables WHERE relname = ${table}`.execute(handle.db)
  ).rows[0]?.last_analyze ?? null;

const countChecks = async () =>
  Number(
    (await sql<{ n: string }>`SELECT count(*) AS n FROM check_task`.execute(handle.db)).rows[0]!.n,
  );

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** The plan's nodes, depth first: node type and the index it scans, if any. */
function planNodes(plan: PlanNode): string[] {
  const here = `${plan['Node Type']}${plan['Index Name'] ? ` ${plan['Index Name']}` : ''}`;
  return [here, ...(plan.Plans ?? []).flatMap(planNodes)];
}

function ticker(clock: ManualClock, services: RoundService[], roundIntervalMs: number): Ticker {
  return new Ticker(handle.db, clock, {
    lcServices: ['svc'],
    settings: new CheckSettings(handle.db, clock, {
      roundIntervalMs,
      roundJitterMs: 0,
      maxAttempts: 3,
      checkTimeoutMs: 0,
    }),
    listServices: () => Promise.resolve(services),
    replicaId: 'planner-test',
    rounds: new Rounds(createLogger('scheduler-test'), false, 'planner-test'),
  });
}

describe('after queueing a large firing', () => {
  it('analyses lc_delivery, and a claim of 500 reads the ready index in order, without a sort', async () => {
    expect(SENSORS).toBeGreaterThanOrEqual(ANALYZE_AFTER_ROWS);
    await sql`INSERT INTO lc_org (service_name, oid) VALUES ('svc', 'org-1')`.execute(handle.db);
    await sql`INSERT INTO lc_sensor (service_name, oid, sid)
              SELECT 'svc', 'org-1', 'sensor-' || g FROM generate_series(1, ${SENSORS}) g`.execute(
      handle.db,
    );
    expect(await lastAnalyze('lc_delivery')).toBeNull();
    const clock = new ManualClock(new Date('2026-11-16T01:00:00Z'));
    const fired = await ticker(clock, [], 0).tick();
    expect(fired).toContain('lc:svc:sensor_per_1h');
    expect(await lastAnalyze('lc_delivery')).not.toBeNull();

    const claim = readyDeliveryIds(handle.db, clock.now(), 500).compile();
    const explained = await handle.db.executeQuery<{
      'QUERY PLAN': [{ Plan: PlanNode }];
    }>({ ...claim, sql: `EXPLAIN (FORMAT JSON) ${claim.sql}` });
    const nodes = planNodes(explained.rows[0]!['QUERY PLAN'][0].Plan);
    expect(nodes).toContain('Index Scan lc_delivery_ready_idx');
    expect(nodes.filter((n) => n.startsWith('Sort'))).toEqual([]);
  });

  it('analyses check_task after queueing a round of many checks, and not after a small one', async () => {
    const clock = new ManualClock(new Date('2026-11-16T02:00:00Z'));
    const services = (n: number, from: number): RoundService[] =>
      Array.from({ length: n }, (_, i) => ({
        id: from + i,
        external: false,
        administrativelyDown: false,
        runnerPool: '',
      }));
    await ticker(clock, services(10, 1), 3_600_000).tick();
    expect(await countChecks()).toBe(10);
    expect(await lastAnalyze('check_task')).toBeNull();
    clock.advance(3_600_000);
    await ticker(clock, services(SERVICES, 1), 3_600_000).tick();
    expect(await countChecks()).toBe(10 + SERVICES);
    expect(await lastAnalyze('check_task')).not.toBeNull();
  });
});
