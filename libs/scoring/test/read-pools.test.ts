import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, seedService, startHarness, type Harness } from './harness.js';

// People watching (blue, red, green, the public) read on a pool of their own: however many of
// them read at once, they never take the connections scoring writes use.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ peopleReadPoolSize: 3 });
});
afterAll(() => h.stop());

async function connections(app: string): Promise<number> {
  const { rows } = await h.sql.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE application_name = $1 AND datname = current_database()`,
    [app],
  );
  return rows[0].n as number;
}

describe('read pools', () => {
  it('serves a burst of public reads from the people pool, never the main one', async () => {
    const { service } = await seedService(h, { publicVisibility: true });
    await h.scoring.insertServiceScore({ serviceId: service.id, result: 1 });
    const main = await connections('checkwire-scoring');
    const spectator = connect(h.app.address);
    try {
      const reads = Array.from({ length: 60 }, (_, i) =>
        i % 3 === 0
          ? spectator.status.listScores({ pageSize: 100 })
          : i % 3 === 1
            ? spectator.status.listServiceStatus({})
            : spectator.admin.listServices({}),
      );
      await Promise.all(reads);
      const people = await connections('checkwire-scoring-reads');
      expect(people).toBeGreaterThanOrEqual(1);
      expect(people).toBeLessThanOrEqual(3);
      expect(await connections('checkwire-scoring')).toBe(main);
    } finally {
      spectator.close();
    }
  });
});
