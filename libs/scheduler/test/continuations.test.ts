import { status } from '@grpc/grpc-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPromiseClient,
  startGrpcServer,
  unary,
  type PromiseClient,
  type RunningGrpcServer,
} from '@checkwire/grpc';
import {
  ContinuationServiceService,
  LcExtensionServiceService,
  type Continuation,
  type ExtensionRequest,
  type LcExtensionServiceServer,
  type OnExtensionRequestRequest,
  type OnExtensionRequestResponse,
} from '@checkwire/proto';
import { MAX_JSON_DEPTH } from '@checkwire/lc-wire';
import { callAnswer, tableFingerprint } from '@checkwire/testing';
import {
  ManualClock,
  SchedulerApp,
  type Clock,
  type ContinuationDeliveryOptions,
} from '../src/index.js';
import { eventually, registry, startWorld, type World } from './harness.js';

// LC extensions' continuations through the real scheduler, on a real database, to a real
// LcExtensionService server: delivered once when due (also across a restart and across two
// replicas), stored once however often they are handed over, retried only when retriable (three
// answers at most; an extension that does not answer is tried again for a time budget instead),
// given up with the reason and put back by RequeueContinuation, chained when an answer asks for
// more, and sent with the registry's fresher JWT. "Exactly once" is read in the database once
// every row is settled (one claim each), or, for a single scheduler, when a sentinel
// continuation due after the others has arrived: the worker claims in due order, so anything due
// before it was claimed by then.

interface Seen {
  id: string;
  attempt: number;
  action: string;
  key: string;
  data: Record<string, unknown>;
  config: Record<string, unknown>;
  org: { oid: string; jwt: string; ident: string };
  dueAt: number;
  at: number;
}

/** A tiny extension: what it answers depends on the action. */
class Extension {
  readonly seen: Seen[] = [];
  /** Calls left unanswered (action `hang`), answered at the end. */
  readonly hanging: (() => void)[] = [];
  answer(
    r: ExtensionRequest,
  ): Continuation[] | { error: string; retriable?: boolean } | 'no response' | 'hang' {
    switch (r.action) {
      case 'unset':
        // lc-extension's Response with Retriable left nil: retriable.
        return { error: 'unset retriable' };
      case 'empty':
        return 'no response';
      case 'hang-thrice':
        return r.continuation!.attempt <= 3 ? 'hang' : [];
      case 'chain':
        return [{ inDelaySec: 0, action: 'chained', state: { from: r.continuation!.id } }];
      case 'flaky':
        return { error: 'try later', retriable: true };
      case 'flaky-once':
        return r.continuation!.attempt === 1 ? { error: 'not yet', retriable: true } : [];
      case 'broken':
        return { error: 'bad state', retriable: false };
      case 'too-many':
        return Array.from({ length: 101 }, () => ({ inDelaySec: 0, action: 'x', state: {} }));
      default:
        return [];
    }
  }
  calls(id: string): Seen[] {
    return this.seen.filter((s) => s.id === id);
  }
  count(id: string): number {
    return this.calls(id).length;
  }
}

async function serveExtension(ext: Extension, port = 0): Promise<RunningGrpcServer> {
  const implementation: Partial<LcExtensionServiceServer> = {
    onExtensionRequest: unary(
      (req: OnExtensionRequestRequest): Promise<OnExtensionRequestResponse> => {
        const r = req.request!;
        ext.seen.push({
          id: r.continuation?.id ?? '',
          attempt: r.continuation?.attempt ?? 0,
          action: r.action,
          key: r.call?.idempotencyKey ?? '',
          data: r.data ?? {},
          config: r.config ?? {},
          org: r.org!,
          dueAt: r.continuation?.dueAt?.getTime() ?? 0,
          at: Date.now(),
        });
        const a = ext.answer(r);
        if (a === 'hang') {
          return new Promise((resolve) => ext.hanging.push(() => resolve({})));
        }
        if (a === 'no response') return Promise.resolve({});
        return Promise.resolve(
          Array.isArray(a)
            ? { response: { error: '', retriable: false, continuations: a, metrics: [] } }
            : { response: { ...a, continuations: [], metrics: [] } },
        );
      },
    ),
  };
  return startGrpcServer({
    port,
    services: [
      {
        name: 'checkwire.lc.v1.LcExtensionService',
        definition: LcExtensionServiceService,
        implementation: implementation as LcExtensionServiceServer,
      },
    ],
  });
}

let world: World;
let server: RunningGrpcServer;
const ext = new Extension();
let sql: pg.Pool;

function startScheduler(
  pollIntervalMs = 60_000,
  extensions = [{ name: 'ext', handler: '' }],
  options: ContinuationDeliveryOptions = {},
  clock?: Clock,
) {
  return SchedulerApp.start({
    clock,
    databaseUrl: world.database.url,
    lcHandlers: [],
    lcExtensions: extensions.map((e) => ({ ...e, handler: e.handler || server.address })),
    scoringAddress: world.scoring.address,
    token: world.schedulerToken,
    roundIntervalMs: 0,
    tickIntervalMs: 3_600_000,
    continuations: { pollIntervalMs, retryBaseMs: 20, deadlineMs: 5000, ...options },
  });
}

/** An address nothing listens on: a server's, once it stopped (the extension may come back). */
async function closedAddress(): Promise<string> {
  const gone = await serveExtension(ext);
  await gone.shutdown(100);
  return gone.address;
}

type Client = PromiseClient<typeof ContinuationServiceService>;
const client = (app: SchedulerApp, token = world.gatewayToken): Client =>
  createPromiseClient(ContinuationServiceService, app.address, { token });

const ORG = { oid: 'org-1', jwt: 'jwt-1', ident: 'ident-1' };
let sourceSeq = 0;
/** Schedules `actions` (each `delay` s ahead) as one answer; their ids. */
async function schedule(
  c: Client,
  actions: string[],
  delay = 0,
  sourceKey = `src-${++sourceSeq}`,
  extensionName = 'ext',
  org = ORG,
): Promise<string[]> {
  const { ids } = await c.scheduleContinuations({
    extensionName,
    sourceKey,
    org,
    config: { mode: 'test' },
    continuations: actions.map((action, i) => ({ inDelaySec: delay, action, state: { i } })),
  });
  return ids;
}

const row = async (id: string) =>
  (
    await sql.query(
      `SELECT attempts, unanswered, outcome, last_error, finished_at, locked_until
       FROM lc_continuation WHERE id = $1`,
      [id],
    )
  ).rows[0] as {
    attempts: number;
    unanswered: number;
    outcome: string | null;
    last_error: string | null;
    locked_until: Date | null;
  };

/** Whether none of `ids` is out to the extension (leased) now. */
const idle = async (ids: readonly string[]) =>
  (
    await sql.query(
      'SELECT count(*)::int AS n FROM lc_continuation WHERE id = ANY($1) AND locked_until IS NOT NULL',
      [ids],
    )
  ).rows[0].n === 0;

beforeAll(async () => {
  world = await startWorld();
  server = await serveExtension(ext);
  sql = new pg.Pool({ connectionString: world.database.url, max: 2 });
  sql.on('error', () => undefined); // the database is dropped at the end
});
afterAll(async () => {
  ext.hanging.splice(0).forEach((answer) => answer());
  await sql?.end();
  await server?.shutdown(100);
  await world?.stop();
});

describe('continuations of LC extensions', () => {
  it('are delivered once when due, with the org, config, state and the id as idempotency key', async () => {
    const app = await startScheduler();
    const c = client(app);
    try {
      const before = Date.now();
      const [id] = await schedule(c, ['hello'], 1);
      const [sentinel] = await schedule(c, ['sentinel'], 2);
      expect((await c.listContinuations({ extensionName: 'ext' })).continuations).toEqual([
        expect.objectContaining({
          id,
          extensionName: 'ext',
          oid: 'org-1',
          action: 'hello',
          attempts: 0,
          lastError: '',
        }),
        expect.objectContaining({ id: sentinel, action: 'sentinel' }),
      ]);
      await eventually(() => ext.count(sentinel!) > 0, 15_000);
      expect(ext.calls(id!)).toEqual([
        {
          id,
          attempt: 1,
          action: 'hello',
          key: id,
          data: { i: 0 },
          config: { mode: 'test' },
          org: ORG,
          dueAt: expect.any(Number) as number,
          at: expect.any(Number) as number,
        },
      ]);
      const [call] = ext.calls(id!);
      // Not before it was due: one second after it was scheduled.
      expect(call!.dueAt).toBeGreaterThanOrEqual(before + 1000);
      expect(call!.at).toBeGreaterThanOrEqual(call!.dueAt);
      expect(await row(id!)).toMatchObject({ attempts: 1, outcome: 'delivered', last_error: null });
      expect((await c.listContinuations({ extensionName: 'ext' })).continuations).toEqual([]);
      const settled = (await c.listContinuations({ extensionName: 'ext', includeSettled: true }))
        .continuations;
      expect(settled.find((l) => l.id === id)).toEqual(
        expect.objectContaining({
          action: 'hello',
          attempts: 1,
          outcome: 'delivered',
          finishedAt: expect.any(Date) as Date,
        }),
      );
    } finally {
      c.close();
      await app.stop();
    }
  });

  it('are stored once however often the same answer is handed over, and the same ids come back', async () => {
    const app = await startScheduler();
    const c = client(app);
    try {
      const first = await schedule(c, ['once-a', 'once-b'], 1, 'resent');
      const again = await schedule(c, ['once-a', 'once-b'], 1, 'resent');
      expect(again).toEqual(first);
      expect(new Set(first).size).toBe(2);
      const listed = (await c.listContinuations({ extensionName: 'ext' })).continuations;
      expect(listed.map((l) => l.id).sort()).toEqual([...first].sort());
      const [sentinel] = await schedule(c, ['sentinel'], 2);
      await eventually(() => ext.count(sentinel!) > 0, 15_000);
      // Handed over again after delivery (LimaCharlie's third attempt): nothing new goes out.
      expect(await schedule(c, ['once-a', 'once-b'], 0, 'resent')).toEqual(first);
      const [sentinel2] = await schedule(c, ['sentinel'], 1);
      await eventually(() => ext.count(sentinel2!) > 0, 15_000);
      expect(first.map((id) => ext.count(id))).toEqual([1, 1]);
    } finally {
      c.close();
      await app.stop();
    }
  });

  it('survive a restart of the scheduler: a new one on the same database delivers them', async () => {
    const first = await startScheduler();
    const c1 = client(first);
    const ids = await schedule(c1, ['after-restart'], 1);
    const [sentinel] = await schedule(c1, ['sentinel'], 2);
    c1.close();
    await first.stop();
    expect(ext.count(ids[0]!)).toBe(0);
    const second = await startScheduler();
    try {
      await eventually(() => ext.count(sentinel!) > 0, 15_000);
      expect(ext.calls(ids[0]!).map((s) => s.attempt)).toEqual([1]);
    } finally {
      await second.stop();
    }
  });

  it('go out exactly once with two replicas on one database', async () => {
    const a = await startScheduler(100);
    const b = await startScheduler(100);
    const ca = client(a);
    const cb = client(b);
    let ids: string[] = [];
    try {
      const thirty = Array.from({ length: 30 }, () => 'replicated');
      ids = [...(await schedule(ca, thirty, 1)), ...(await schedule(cb, thirty, 1))];
      const settled = async () =>
        (
          await sql.query(
            'SELECT count(*)::int AS n FROM lc_continuation WHERE id = ANY($1) AND finished_at IS NOT NULL',
            [ids],
          )
        ).rows[0].n === ids.length;
      await eventually(settled, 15_000);
    } finally {
      ca.close();
      cb.close();
      await a.stop();
      await b.stop();
    }
    // Every row claimed once (a second claim would have bumped attempts, and a settled row is
    // never claimed again), and the extension, both replicas stopped, saw each once.
    const { rows } = await sql.query(
      'SELECT id, attempts, claims, outcome FROM lc_continuation WHERE id = ANY($1) ORDER BY id',
      [ids],
    );
    expect(rows).toEqual(
      [...ids].sort().map((id) => ({ id, attempts: 1, claims: 1, outcome: 'delivered' })),
    );
    expect(ids.map((id) => ext.count(id))).toEqual(ids.map(() => 1));
  });

  it('are retried up to three attempts when retriable, and given up at once when not', async () => {
    // Time is the test's: a retry (a back-off of at most 2 s after the second attempt) goes
    // out once the clock is moved on, which is done only while none is out to the extension,
    // by less than a lease (30 s), so no lease runs out under a call.
    const clock = new ManualClock(new Date());
    const app = await startScheduler(100, undefined, { retryBaseMs: 1000 }, clock);
    const c = client(app);
    try {
      const ids = await schedule(c, ['flaky', 'broken', 'flaky-once', 'unset', 'empty']);
      const [flaky, broken, once, unset, empty] = ids;
      const settled = async () => {
        for (const id of ids) if ((await row(id)).outcome === null) return false;
        return true;
      };
      await eventually(async () => {
        if (await idle(ids)) clock.advance(5000);
        return settled();
      }, 15_000);
      expect(ext.calls(flaky!).map((s) => [s.attempt, s.key])).toEqual([
        [1, flaky],
        [2, flaky],
        [3, flaky],
      ]);
      expect(await row(flaky!)).toMatchObject({
        attempts: 3,
        outcome: 'gave_up',
        last_error: 'try later (attempt 3 of 3)',
      });
      expect(ext.calls(broken!).map((s) => s.attempt)).toEqual([1]);
      expect(await row(broken!)).toMatchObject({
        attempts: 1,
        outcome: 'gave_up',
        last_error: 'bad state',
      });
      expect(ext.calls(once!).map((s) => s.attempt)).toEqual([1, 2]);
      expect(await row(once!)).toMatchObject({ attempts: 2, outcome: 'delivered' });
      // An error without `retriable` is retriable (lc-extension's IsRetriable), and an answer
      // without a response was not delivered.
      expect(ext.calls(unset!).map((s) => s.attempt)).toEqual([1, 2, 3]);
      expect(await row(unset!)).toMatchObject({
        attempts: 3,
        outcome: 'gave_up',
        last_error: 'unset retriable (attempt 3 of 3)',
      });
      expect(ext.calls(empty!).map((s) => s.attempt)).toEqual([1, 2, 3]);
      expect(await row(empty!)).toMatchObject({
        attempts: 3,
        outcome: 'gave_up',
        last_error: 'the extension answered without a response (attempt 3 of 3)',
      });
    } finally {
      c.close();
      await app.stop();
    }
  });

  it('go out again with the next attempt when a lease ran out (a scheduler died mid-call)', async () => {
    const app = await startScheduler(100);
    const c = client(app);
    try {
      const [id] = await schedule(c, ['orphaned'], 3600);
      // What a replica that claimed it and died leaves: attempt 1 leased until a moment ago.
      await sql.query(
        `UPDATE lc_continuation SET attempts = 1, run_after = now() - interval '1 minute',
           locked_until = now() - interval '1 second' WHERE id = $1`,
        [id],
      );
      await eventually(async () => (await row(id!)).outcome !== null, 15_000);
      expect(ext.calls(id!).map((s) => [s.attempt, s.key])).toEqual([[2, id]]);
      // The lost lease counts as a delivery never answered, not one of the extension's three.
      expect(await row(id!)).toMatchObject({ attempts: 2, unanswered: 1, outcome: 'delivered' });
    } finally {
      c.close();
      await app.stop();
    }
  });

  it('get a last call when retried within the budget but due past it; not when a lease ran out past it', async () => {
    const app = await startScheduler(100, undefined, { unansweredBudgetMs: 3_600_000 });
    const c = client(app);
    try {
      const [retried, lost] = await schedule(c, ['hello', 'hello'], 3600);
      // Retried after an unanswered delivery 59 minutes into a run of them, due now: past the hour.
      await sql.query(
        `UPDATE lc_continuation SET attempts = 1, unanswered = 1, last_error = 'UNAVAILABLE: gone',
           unreachable_since = now() - interval '61 minutes', run_after = now() WHERE id = $1`,
        [retried],
      );
      // Claimed in that run and its lease ran out two hours into it: that was its last call.
      await sql.query(
        `UPDATE lc_continuation SET attempts = 1, unanswered = 0, last_error = 'UNAVAILABLE: gone',
           unreachable_since = now() - interval '2 hours', run_after = now() - interval '1 minute',
           locked_until = now() - interval '1 second' WHERE id = $1`,
        [lost],
      );
      for (const id of [retried, lost]) {
        await eventually(async () => (await row(id!)).outcome !== null, 15_000);
      }
      expect(ext.calls(retried!).map((s) => s.attempt)).toEqual([2]);
      expect(await row(retried!)).toMatchObject({ attempts: 2, outcome: 'delivered' });
      expect(ext.count(lost!)).toBe(0);
      const r = await row(lost!);
      expect(r).toMatchObject({ attempts: 2, unanswered: 1, outcome: 'gave_up' });
      expect(r.last_error).toMatch(
        /^UNAVAILABLE: gone \(1 deliveries unanswered since [\d\-T:.]+Z, past the 1 h allowed\)$/,
      );
    } finally {
      c.close();
      await app.stop();
    }
  });

  it("store an answer's own continuations with the continuation's org and config", async () => {
    const app = await startScheduler();
    const c = client(app);
    try {
      const [chain, tooMany] = await schedule(c, ['chain', 'too-many']);
      await eventually(() => ext.seen.some((s) => s.action === 'chained'), 15_000);
      const chained = ext.seen.filter((s) => s.action === 'chained');
      expect(chained).toEqual([
        expect.objectContaining({
          attempt: 1,
          data: { from: chain },
          config: { mode: 'test' },
          org: ORG,
        }),
      ]);
      const { rows } = await sql.query(
        'SELECT source_key, position FROM lc_continuation WHERE id = $1',
        [chained[0]!.id],
      );
      expect(rows).toEqual([{ source_key: chain, position: 0 }]);
      await eventually(async () => (await row(tooMany!)).outcome !== null, 15_000);
      expect(await row(tooMany!)).toMatchObject({
        outcome: 'gave_up',
        last_error:
          'its answer asked for continuations refused: continuations: at most 100 at once, got 101',
      });
    } finally {
      c.close();
      await app.stop();
    }
  });

  it('are listed waiting first (the soonest due first), then settled (the newest first)', async () => {
    const app = await startScheduler(60_000, [{ name: 'listed', handler: '' }]);
    const c = client(app);
    try {
      const [later] = await schedule(c, ['hello'], 7200, 'list-1', 'listed');
      const [sooner] = await schedule(c, ['hello'], 3600, 'list-2', 'listed');
      const [old, recent, gaveUp] = await schedule(c, ['a', 'b', 'c'], 600, 'list-3', 'listed');
      // Settled long ago, lately, and just now; all due before the waiting ones. "Long ago" stays
      // within the scheduler's 7-day retention, or its sweeper (which runs as it starts, and so
      // under load may run after these updates) deletes it before it is listed.
      const settle = (id: string, outcome: string, ago: string) =>
        sql.query(
          `UPDATE lc_continuation SET outcome = $2, finished_at = now() - $3::interval,
             run_after = now() - interval '30 days' WHERE id = $1`,
          [id, outcome, ago],
        );
      await settle(old!, 'delivered', '6 days');
      await settle(recent!, 'delivered', '1 day');
      await settle(gaveUp!, 'gave_up', '1 minute');
      const ids = async (includeSettled: boolean) =>
        (await c.listContinuations({ extensionName: 'listed', includeSettled })).continuations.map(
          (l) => l.id,
        );
      expect(await ids(false)).toEqual([sooner, later]);
      expect(await ids(true)).toEqual([sooner, later, gaveUp, recent, old]);
    } finally {
      c.close();
      await app.stop();
    }
  });

  it('of an extension not configured here wait, and are not dropped', async () => {
    const app = await startScheduler(100, [{ name: 'other', handler: '' }]);
    const c = client(app);
    let id = '';
    try {
      id = (await schedule(c, ['elsewhere']))[0]!;
      const [other] = (
        await c.scheduleContinuations({
          extensionName: 'other',
          sourceKey: 'other-1',
          org: ORG,
          continuations: [{ inDelaySec: 0, action: 'sentinel' }],
        })
      ).ids;
      await eventually(() => ext.count(other!) > 0, 15_000);
      expect(ext.count(id)).toBe(0);
      expect(await row(id)).toMatchObject({ attempts: 0, outcome: null });
    } finally {
      c.close();
      await app.stop();
    }
    // A scheduler that has it delivers it.
    const next = await startScheduler(100);
    try {
      await eventually(async () => (await row(id)).outcome === 'delivered', 15_000);
      expect(ext.calls(id).map((s) => s.attempt)).toEqual([1]);
    } finally {
      await next.stop();
    }
  });
});

describe('continuations whose extension does not answer', () => {
  it('are retried past three attempts while it is unreachable, and delivered once it is back', async () => {
    const down = await closedAddress();
    const app = await startScheduler(60_000, [{ name: 'late', handler: down }], {
      unansweredRetryCapMs: 100,
    });
    const c = client(app);
    let back: RunningGrpcServer | undefined;
    try {
      const [id] = await schedule(c, ['hello'], 0, 'unreachable-1', 'late');
      await eventually(async () => (await row(id!)).attempts >= 5, 15_000);
      expect(await row(id!)).toMatchObject({
        outcome: null,
        last_error: expect.stringMatching(/^UNAVAILABLE: /) as string,
      });
      expect(ext.count(id!)).toBe(0);
      back = await serveExtension(ext, Number(down.split(':').at(-1)));
      await eventually(async () => (await row(id!)).outcome !== null, 15_000);
      const r = await row(id!);
      expect(r).toMatchObject({ outcome: 'delivered', last_error: null });
      expect(r.unanswered).toBe(r.attempts - 1);
      expect(ext.calls(id!).map((s) => s.attempt)).toEqual([r.attempts]);
    } finally {
      c.close();
      await app.stop();
      await back?.shutdown(100);
    }
  });

  it('are given up after three attempts it answers too late (DEADLINE_EXCEEDED): it may have done the work', async () => {
    const app = await startScheduler(60_000, undefined, { deadlineMs: 1000 });
    const c = client(app);
    try {
      const [id] = await schedule(c, ['hang-thrice']);
      await eventually(async () => (await row(id!)).outcome !== null, 30_000);
      expect(ext.calls(id!).map((s) => s.attempt)).toEqual([1, 2, 3]);
      const r = await row(id!);
      expect(r).toMatchObject({ attempts: 3, unanswered: 0, outcome: 'gave_up' });
      expect(r.last_error).toMatch(/^DEADLINE_EXCEEDED: [\s\S]* \(attempt 3 of 3\)$/);
    } finally {
      c.close();
      await app.stop();
    }
  });

  it('are given up past the budget, with the reason; RequeueContinuation puts them back', async () => {
    const down = await closedAddress();
    const extensions = [
      { name: 'gone', handler: down },
      { name: 'ext', handler: '' },
    ];
    // Time is the test's: the first delivery finds the extension gone and is retried in 30 to
    // 60 s of its clock; moved on two hours, the retry is past the hour allowed.
    const clock = new ManualClock(new Date());
    const since = clock.now().toISOString();
    const first = await startScheduler(
      100,
      extensions,
      { unansweredBudgetMs: 3_600_000, retryBaseMs: 60_000, unansweredRetryCapMs: 60_000 },
      clock,
    );
    const c = client(first);
    const admin = client(first, world.adminToken);
    let id = '';
    let given = { attempts: 0, outcome: null as string | null, last_error: null as string | null };
    try {
      id = (await schedule(c, ['hello'], 0, 'budget-1', 'gone'))[0]!;
      const [delivered] = await schedule(c, ['hello']);
      await eventually(async () => {
        const r = await row(id);
        return r.attempts === 1 && r.locked_until === null;
      }, 15_000);
      await eventually(async () => (await row(delivered!)).outcome === 'delivered', 15_000);
      expect(await row(id)).toMatchObject({ unanswered: 1, outcome: null });
      clock.advance(2 * 3_600_000);
      await eventually(async () => (await row(id)).outcome !== null, 15_000);
      given = await row(id);
      expect(given).toMatchObject({ attempts: 2, outcome: 'gave_up' });
      expect(given.last_error).toMatch(/^UNAVAILABLE: /);
      expect(
        given.last_error!.endsWith(
          ` (2 deliveries unanswered since ${since}, past the 1 h allowed)`,
        ),
      ).toBe(true);
      // Settled rows are listed when asked for.
      const listed = await c.listContinuations({ extensionName: 'gone', includeSettled: true });
      expect(listed.continuations.find((l) => l.id === id)).toEqual(
        expect.objectContaining({
          outcome: 'gave_up',
          lastError: given.last_error,
          finishedAt: expect.any(Date) as Date,
        }),
      );
      expect((await c.listContinuations({ extensionName: 'gone' })).continuations).toEqual([]);
      // Refused: other roles, an id that is no UUID, an unknown one, one not given up.
      expect(await callAnswer(c.requeueContinuation({ id }))).toEqual({
        code: status.PERMISSION_DENIED,
        details:
          'an lc_gateway token may not call ContinuationService.RequeueContinuation; it needs admin',
      });
      expect(await callAnswer(admin.requeueContinuation({ id: 'nope' }))).toEqual({
        code: status.INVALID_ARGUMENT,
        details: 'id: must be a continuation\'s id (a UUID), got "nope"',
      });
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect(await callAnswer(admin.requeueContinuation({ id: unknown }))).toEqual({
        code: status.NOT_FOUND,
        details: `continuation ${unknown} not found`,
      });
      expect(await callAnswer(admin.requeueContinuation({ id: delivered! }))).toEqual({
        code: status.FAILED_PRECONDITION,
        details: `continuation ${delivered} was not given up (it was delivered): only a given-up continuation can be requeued`,
      });
    } finally {
      c.close();
      admin.close();
      await first.stop();
    }
    // The extension is back: requeued, it goes out again as a first attempt.
    const back = await serveExtension(ext, Number(down.split(':').at(-1)));
    const second = await startScheduler(60_000, extensions);
    const admin2 = client(second, world.adminToken);
    try {
      const { continuation } = await admin2.requeueContinuation({ id });
      expect(continuation).toEqual(
        expect.objectContaining({
          id,
          extensionName: 'gone',
          action: 'hello',
          attempts: 0,
          outcome: '',
          lastError: given.last_error,
        }),
      );
      expect(continuation!.finishedAt).toBeUndefined();
      expect(await callAnswer(admin2.requeueContinuation({ id }))).toMatchObject({
        code: status.FAILED_PRECONDITION,
      });
      await eventually(async () => (await row(id)).outcome !== null, 15_000);
      expect(await row(id)).toMatchObject({ attempts: 1, outcome: 'delivered', last_error: null });
      expect(ext.calls(id).map((s) => s.attempt)).toEqual([1]);
    } finally {
      admin2.close();
      await second.stop();
      await back.shutdown(100);
    }
  });
});

describe("a continuation's JWT", () => {
  it("is the registry's for ext/<extension> while the org is installed there, else its own", async () => {
    const app = await startScheduler();
    const c = client(app);
    const reg = registry(app.address, world.gatewayToken);
    try {
      await reg.recordOrgInstalled({ serviceName: 'ext/ext', oid: 'org-fresh', jwt: 'fresh' });
      await reg.recordOrgInstalled({ serviceName: 'ext/ext', oid: 'org-gone', jwt: 'fresher' });
      await reg.recordOrgUninstalled({ serviceName: 'ext/ext', oid: 'org-gone' });
      // The same oid under a route of that name is another service: not used.
      await reg.recordOrgInstalled({ serviceName: 'ext', oid: 'org-route', jwt: 'route' });
      const old = (oid: string) => ({ oid, jwt: 'old', ident: '' });
      const [fresh] = await schedule(c, ['chain'], 0, 'jwt-1', 'ext', old('org-fresh'));
      const [gone] = await schedule(c, ['hello'], 0, 'jwt-2', 'ext', old('org-gone'));
      const [route] = await schedule(c, ['hello'], 0, 'jwt-3', 'ext', old('org-route'));
      for (const id of [fresh, gone, route]) {
        await eventually(async () => (await row(id!)).outcome !== null, 15_000);
      }
      expect(ext.calls(fresh!).map((s) => s.org.jwt)).toEqual(['fresh']);
      expect(ext.calls(gone!).map((s) => s.org.jwt)).toEqual(['old']);
      expect(ext.calls(route!).map((s) => s.org.jwt)).toEqual(['old']);
      // What the answer chains is stored with the JWT it was sent.
      const { rows } = await sql.query('SELECT jwt FROM lc_continuation WHERE source_key = $1', [
        fresh,
      ]);
      expect(rows).toEqual([{ jwt: 'fresh' }]);
    } finally {
      reg.close();
      c.close();
      await app.stop();
    }
  });

  it("is whichever expires later, the registry's or its own (RecordOrgJwt records an org it did not know)", async () => {
    const app = await startScheduler();
    const c = client(app);
    const reg = registry(app.address, world.gatewayToken);
    /** A JWT-shaped string with this `exp` (none: a payload without one); never verified. */
    const jwt = (exp?: number) =>
      `h.${Buffer.from(JSON.stringify(exp === undefined ? { sub: 'x' } : { exp })).toString('base64url')}.s`;
    try {
      const cases = [
        { oid: 'org-older', registry: jwt(1000), own: jwt(2000), sent: jwt(2000) },
        { oid: 'org-newer', registry: jwt(3000), own: jwt(2000), sent: jwt(3000) },
        { oid: 'org-no-exp', registry: jwt(), own: jwt(2000), sent: jwt(2000) },
        { oid: 'org-own-no-exp', registry: jwt(1000), own: 'opaque', sent: jwt(1000) },
      ];
      const ids: string[] = [];
      for (const k of cases) {
        // Orgs the registry had no row for: RecordOrgJwt under ext/… records them.
        expect(
          await reg.recordOrgJwt({ serviceName: 'ext/ext', oid: k.oid, jwt: k.registry }),
        ).toEqual({ updated: true });
        const org = { oid: k.oid, jwt: k.own, ident: '' };
        ids.push((await schedule(c, ['hello'], 0, `exp-${k.oid}`, 'ext', org))[0]!);
      }
      for (const id of ids) {
        await eventually(async () => (await row(id)).outcome !== null, 15_000);
      }
      expect(ids.map((id) => ext.calls(id).map((s) => s.org.jwt))).toEqual(
        cases.map((k) => [k.sent]),
      );
    } finally {
      reg.close();
      c.close();
      await app.stop();
    }
  });
});

describe('ScheduleContinuations refuses absurd input, naming the field, and stores nothing', () => {
  const valid = () => ({
    extensionName: 'ext',
    sourceKey: 'refused',
    org: { ...ORG },
    config: {},
    continuations: [{ inDelaySec: 60, action: 'ok', state: {} }],
  });
  let nested: Record<string, unknown> = {};
  // One level past the limit: `{}` is level 1.
  for (let i = 0; i < MAX_JSON_DEPTH; i++) nested = { n: nested };
  const cases: [string, (r: ReturnType<typeof valid>) => unknown, string][] = [
    ['extension_name empty', (r) => (r.extensionName = ' '), 'extension_name: must not be empty'],
    [
      'extension_name long',
      (r) => (r.extensionName = 'e'.repeat(201)),
      'extension_name: must be at most 200 characters, got 201',
    ],
    ['source_key empty', (r) => (r.sourceKey = ''), 'source_key: must not be empty'],
    ['no org', (r) => delete (r as { org?: unknown }).org, 'org: must be set'],
    ['no oid', (r) => (r.org.oid = ''), 'org.oid: must not be empty'],
    [
      '101 continuations',
      (r) => (r.continuations = Array.from({ length: 101 }, () => r.continuations[0]!)),
      'continuations: at most 100 at once, got 101',
    ],
    [
      'negative delay',
      (r) => (r.continuations[0]!.inDelaySec = -1),
      'continuations[0].in_delay_sec: must be 0..2592000 seconds (30 days), got -1',
    ],
    [
      'delay past 30 days',
      (r) => (r.continuations[0]!.inDelaySec = 2_592_001),
      'continuations[0].in_delay_sec: must be 0..2592000 seconds (30 days), got 2592001',
    ],
    [
      'no action',
      (r) => (r.continuations[0]!.action = ''),
      'continuations[0].action: must not be empty',
    ],
    [
      'action with a space',
      (r) => (r.continuations[0]!.action = 'run scan'),
      'continuations[0].action: must be a name of visible ASCII characters without spaces, got "run scan"',
    ],
    [
      'long action',
      (r) => (r.continuations[0]!.action = 'a'.repeat(129)),
      'continuations[0].action: must be at most 128 characters, got 129',
    ],
    [
      'large state',
      (r) => (r.continuations[0]!.state = { big: 'x'.repeat(32 * 1024) }),
      'continuations[0].state: must be at most 32768 bytes as JSON, got 32778',
    ],
    [
      'NUL in state',
      (r) => (r.continuations[0]!.state = { s: 'a\u0000b' }),
      'continuations[0].state: must not contain NUL (\\u0000) characters',
    ],
    [
      'deep state',
      (r) => (r.continuations[0]!.state = nested),
      `continuations[0].state: must not nest deeper than ${MAX_JSON_DEPTH} levels`,
    ],
    [
      'large config',
      (r) => (r.config = { big: 'x'.repeat(64 * 1024) }),
      'config: must be at most 65536 bytes as JSON, got 65546',
    ],
  ];

  it.each(cases)('%s', async (_name, spoil, details) => {
    const app = refusing!;
    const c = client(app);
    try {
      const before = await tableFingerprint(sql);
      const request = valid();
      spoil(request);
      expect(await callAnswer(c.scheduleContinuations(request))).toEqual({
        code: status.INVALID_ARGUMENT,
        details,
      });
      expect(await tableFingerprint(sql)).toEqual(before);
    } finally {
      c.close();
    }
  });

  it('lists nothing for an empty extension name but says why', async () => {
    const c = client(refusing!);
    try {
      expect(await callAnswer(c.listContinuations({ extensionName: '' }))).toEqual({
        code: status.INVALID_ARGUMENT,
        details: 'extension_name: must not be empty',
      });
    } finally {
      c.close();
    }
  });

  let refusing: SchedulerApp | undefined;
  beforeAll(async () => {
    refusing = await startScheduler();
  });
  afterAll(async () => {
    await refusing?.stop();
  });
});
