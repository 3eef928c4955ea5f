import { ROOT_CONTEXT } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '@checkwire/db';
import { CheckTracing } from '../src/check-tracing.js';
import { ScoringActions } from '../src/scoring.service.js';
import { StatusNotifier } from '../src/status-notifier.js';
import { seedService, startHarness, type Harness } from './harness.js';

// Concurrent single calls written in groups (src/group-commit.ts), on a real PostgreSQL: the
// actions are driven in-process here, so that which calls share a statement is known exactly
// (through gRPC it depends on arrival). A statement's now() is its transaction's start, so the
// scores one statement wrote share one created_at.

let h: Harness;
let database: DatabaseHandle;
let actions: ScoringActions;
let notifier: StatusNotifier;

beforeAll(async () => {
  h = await startHarness();
  database = connectDatabase({ connectionString: h.database.url, maxConnections: 4 });
  notifier = new StatusNotifier(database.pool);
  actions = new ScoringActions(
    database.db,
    database.pool,
    notifier,
    new CheckTracing(database.pool, false),
  );
});
afterAll(async () => {
  await notifier?.flush();
  await database?.close();
  await h?.stop();
});

async function seedServices(n: number, overrides = {}): Promise<number[]> {
  const { teamId, service } = await seedService(h, overrides);
  const ids = [service.id];
  for (let i = 1; i < n; i++) {
    const { service: s } = await h.admin.createService({
      service: { ...service, id: 0, name: `svc-${i}`, teamId, ...overrides },
    });
    ids.push(s!.id);
  }
  return ids;
}

const settled = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ value }),
    (err: Error) => ({ error: `${err.constructor.name}: ${err.message}` }),
  );

describe('group commit of single calls', () => {
  it('writes 64 concurrent scores in two statements, each caller getting its own score', async () => {
    const ids = await seedServices(64);
    const results = await Promise.all(
      ids.map((serviceId, i) => actions.insertScore({ serviceId, result: i })),
    );
    results.forEach((r, i) => {
      expect(r.value.replayed).toBe(false);
      expect(r.value.score).toMatchObject({ service_id: ids[i], result: i });
    });
    const { rows } = await h.sql.query<{ statements: number; scores: number }>(
      `SELECT count(DISTINCT created_at)::int AS statements, count(*)::int AS scores
       FROM score WHERE service_id = ANY($1)`,
      [ids],
    );
    // The first call finds the writer free and goes alone; the other 63 wait for it and go
    // together.
    expect(rows[0]).toEqual({ statements: 2, scores: 64 });
    const last = await h.sql.query(
      'SELECT id, last_scan FROM service WHERE id = ANY($1) ORDER BY id',
      [ids],
    );
    expect(last.rows.map((r) => r.last_scan)).toEqual(ids.map((_, i) => i));
  });

  it('answers each call of a mixed group as it would have been answered alone', async () => {
    const [open, capped, keyed, plain] = await seedServices(4);
    await h.admin.updateService({
      service: { ...(await h.admin.getService({ id: capped! })).service!, scoreCap: 50 },
    });
    const [down] = await seedServices(1, { administrativelyDown: true, downReason: 'rebuild' });
    const first = await actions.insertScore({ serviceId: keyed!, result: 7, requestId: 'r-1' });
    const { value: run } = await actions.markInProgress(open!, ROOT_CONTEXT);

    // One call occupies the writer, so the next seven are written as one group.
    const blockers = await seedServices(1);
    const calls = [
      ...blockers.map((serviceId) => actions.insertScore({ serviceId, result: 1 })),
      actions.insertScore({ serviceId: open!, result: 90 }),
      actions.insertScore({ serviceId: capped!, result: 80 }),
      actions.insertScore({ serviceId: keyed!, result: 8, requestId: 'r-1' }),
      actions.insertScore({ serviceId: down!, result: 5 }),
      actions.insertScore({ serviceId: 987_654_321, result: 5 }),
      actions.insertScore({ serviceId: plain!, result: 3, errorMsg: 'slow' }),
      actions.insertScore({ serviceId: plain!, result: 4 }), // same service: the next group
    ].map(settled);
    const [, onRun, cap, replay, refused, unknown, plain1, plain2] = await Promise.all(calls);

    expect(onRun).toMatchObject({ value: { value: { score: { check_run_id: run.run.id } } } });
    expect(cap).toMatchObject({
      value: { value: { score: { result: 50, submitted_result: 80, capped: true } } },
    });
    expect(replay).toMatchObject({
      value: { value: { replayed: true, score: { id: first.value.score.id, result: 7 } } },
    });
    expect(refused).toEqual({
      error: `FailedPreconditionError: service ${down} is administratively down (reason: rebuild); it accepts no scores`,
    });
    expect(unknown).toEqual({ error: 'NotFoundError: service 987654321 not found' });
    expect(plain1).toMatchObject({ value: { value: { score: { result: 3, error_msg: 'slow' } } } });
    expect(plain2).toMatchObject({ value: { value: { score: { result: 4, error_msg: null } } } });

    const { rows } = await h.sql.query(
      `SELECT service_id, count(DISTINCT created_at)::int AS statements, count(*)::int AS n
       FROM score WHERE service_id = ANY($1) AND id > $2 GROUP BY service_id`,
      [[open, capped, keyed, down, plain], first.value.score.id],
    );
    const byService = new Map(rows.map((r) => [Number(r.service_id), r.n]));
    // The group's three written scores (open, capped, the first plain one) share one statement.
    const group = await h.sql.query(
      `SELECT count(DISTINCT created_at)::int AS statements FROM score
       WHERE service_id = ANY($1) AND id > $2 AND result IN (50, 90, 3)`,
      [[open, capped, plain], first.value.score.id],
    );
    expect(group.rows[0].statements).toBe(1);
    // Nothing for the down service, no second row for the replayed key, both plain scores.
    expect(byService).toEqual(
      new Map([
        [open!, 1],
        [capped!, 1],
        [plain!, 2],
      ]),
    );
    const service = (await h.admin.getService({ id: plain! })).service!;
    expect(service.lastScan).toBe(4);
  });

  it('opens one run for concurrent in-progress calls of a service and closes it once', async () => {
    const ids = await seedServices(3);
    const opened = await Promise.all(
      [...ids, ...ids, ...ids].map((id) => actions.markInProgress(id, ROOT_CONTEXT)),
    );
    for (const id of ids) {
      const mine = opened.filter((o) => o.value.run.service_id === id);
      expect(new Set(mine.map((o) => o.value.run.id)).size).toBe(1);
      expect(mine.filter((o) => o.value.created)).toHaveLength(1);
    }
    const unknown = await settled(actions.markInProgress(987_654_321, ROOT_CONTEXT));
    expect(unknown).toEqual({ error: 'NotFoundError: service 987654321 not found' });

    const closed = await Promise.all([...ids, ...ids].map((id) => actions.markDone(id)));
    for (const id of ids) {
      const mine = closed.filter((c) => c.value?.service_id === id);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.value!.finished_at).toBeInstanceOf(Date);
    }
    const flags = await h.sql.query(
      'SELECT count(*)::int AS n FROM service WHERE id = ANY($1) AND in_progress',
      [ids],
    );
    expect(flags.rows[0].n).toBe(0);
    const gone = await settled(actions.markDone(987_654_321));
    expect(gone).toEqual({ error: 'NotFoundError: service 987654321 not found' });
  });

  it('keeps the rest of a group when PostgreSQL refuses one of its scores', async () => {
    const ids = await seedServices(6);
    const poisoned = ids[3]!;
    // A check constraint only this service's score breaks: the group's statement is refused
    // as a whole, and each call is then written alone.
    await h.sql.query(
      `ALTER TABLE score ADD CONSTRAINT test_refuses_one
       CHECK (service_id <> ${poisoned} OR result <> 13)`,
    );
    try {
      const results = await Promise.all(
        ids.map((serviceId) => settled(actions.insertScore({ serviceId, result: 13 }))),
      );
      results.forEach((r, i) => {
        if (ids[i] === poisoned) {
          expect(r).toEqual({
            error: expect.stringContaining('violates check constraint "test_refuses_one"'),
          });
        } else {
          expect(r).toMatchObject({ value: { value: { score: { service_id: ids[i] } } } });
        }
      });
      const { rows } = await h.sql.query(
        'SELECT count(*)::int AS n FROM score WHERE service_id = ANY($1)',
        [ids],
      );
      expect(rows[0].n).toBe(5);
    } finally {
      await h.sql.query('ALTER TABLE score DROP CONSTRAINT test_refuses_one');
    }
  });

  it('does not write the score of a call that ended while it waited for its group', async () => {
    const [held, other] = await seedServices(2);
    // Another transaction holds the first service's row, so the write of its score waits.
    const lock = await h.sql.connect();
    await lock.query('BEGIN');
    await lock.query('SELECT id FROM service WHERE id = $1 FOR UPDATE', [held]);
    let waiting: Promise<unknown>;
    const gone = new AbortController();
    let abandoned: Promise<unknown>;
    try {
      waiting = actions.insertScore({ serviceId: held!, result: 1 });
      abandoned = settled(actions.insertScore({ serviceId: other!, result: 2 }, gone.signal));
      gone.abort(); // its caller's deadline passed while the first write waited
    } finally {
      await lock.query('COMMIT');
      lock.release();
    }
    await waiting;
    expect(await abandoned).toEqual({
      error: 'UnavailableError: the call ended before its write started; nothing was written',
    });
    const { rows } = await h.sql.query(
      'SELECT service_id, count(*)::int AS n FROM score WHERE service_id = ANY($1) GROUP BY 1',
      [[held, other]],
    );
    expect(rows.map((r) => [Number(r.service_id), r.n])).toEqual([[held, 1]]);
  });
});
