import { randomUUID } from 'node:crypto';
import { sql, type ExpressionBuilder } from 'kysely';
import type { AttachmentRecord, Database, Db, JobEntryRow, JobRow } from '@checkwire/db';
import { entryBytes, jobHeaderBytes } from './job-size.js';

export const JOBS_CHANNEL = 'checkwire_jobs';

export interface NewJob {
  id: string;
  oid: string;
  service_name: string;
  cause: string;
  sensor_ids: string[];
  start_time?: Date;
}

export interface NewEntry {
  /** The writer's id: an entry sent again under it is stored once. */
  id?: string;
  ts?: Date;
  message: string;
  important: boolean;
  attachments: AttachmentRecord[];
}

/** What a change announcement names: the job, its service and org. */
export interface JobChange {
  j: string;
  s: string;
  o: string;
}

/** Announces a change of the job to watchers, delivered when the transaction commits. */
async function announce(
  db: Db,
  job: { id: string; service_name: string; oid: string },
): Promise<void> {
  const change: JobChange = { j: job.id, s: job.service_name, o: job.oid };
  await sql`SELECT pg_notify(${JOBS_CHANNEL}, ${JSON.stringify(change)})`.execute(db);
}

/** Inserts the job; undefined when the id is taken. */
export async function insertJob(db: Db, job: NewJob): Promise<JobRow | undefined> {
  const row = await db
    .insertInto('job')
    .values({ ...job, sensor_ids: [...new Set(job.sensor_ids)] })
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (row !== undefined) await announce(db, row);
  return row;
}

/** A job with something LimaCharlie has not been sent (the partial index's predicate). */
const hasUndelivered = (eb: ExpressionBuilder<Database, 'job'>) =>
  eb.or([
    eb('start_delivered', '=', false),
    eb('delivered_entries', '<', eb.ref('entry_count')),
    eb.and([eb('end_time', 'is not', null), eb('end_delivered', '=', false)]),
    eb('cause', '<>', eb.ref('delivered_cause')),
    eb('sensor_ids', '<>', eb.ref('delivered_sensor_ids')),
  ]);

/** Orgs of a service with changes LimaCharlie has not been sent. */
export async function undeliveredOrgs(db: Db, serviceName: string): Promise<string[]> {
  const rows = await db
    .selectFrom('job')
    .select('oid')
    .distinct()
    .where('service_name', '=', serviceName)
    .where(hasUndelivered)
    .execute();
  return rows.map((r) => r.oid);
}

/**
 * Jobs with changes LimaCharlie has not been sent, leased to a gateway's answer or not, and how
 * long ago the oldest unleased one last changed (its job's `updated_at`: a job that keeps
 * changing looks younger than its first undelivered change).
 */
export async function undeliveredStats(
  db: Db,
): Promise<{ ready: number; leased: number; lagSeconds: number }> {
  const free = sql<boolean>`(lease_id IS NULL OR lease_until < now())`;
  const row = await db
    .selectFrom('job')
    .where(hasUndelivered)
    .select([
      sql<number>`(count(*) FILTER (WHERE ${free}))::int`.as('ready'),
      sql<number>`(count(*) FILTER (WHERE NOT ${free}))::int`.as('leased'),
      sql<number>`coalesce(extract(epoch FROM now() - min(updated_at) FILTER (WHERE ${free})), 0)::float8`.as(
        'lag',
      ),
    ])
    .executeTakeFirstOrThrow();
  return { ready: row.ready, leased: row.leased, lagSeconds: row.lag };
}

export async function findJob(db: Db, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the job row for a change (so entry numbers are handed out one at a time). */
export async function lockJob(db: Db, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('job').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * Appends entries after the job's last one (the job row must be locked). An entry whose id the
 * job already has (or that repeats an id earlier in `given`) is skipped; entries without an id
 * are always appended.
 */
export async function appendEntries(
  db: Db,
  job: JobRow,
  given: NewEntry[],
): Promise<JobEntryRow[]> {
  const ids = given.flatMap((e) => (e.id === undefined ? [] : [e.id]));
  const seen = new Set(
    ids.length === 0
      ? []
      : (
          await db
            .selectFrom('job_entry')
            .select('entry_id')
            .where('job_id', '=', job.id)
            .where('entry_id', 'in', ids)
            .execute()
        ).map((r) => r.entry_id),
  );
  const entries = given.filter((e) => {
    if (e.id === undefined) return true;
    if (seen.has(e.id)) return false;
    seen.add(e.id);
    return true;
  });
  if (entries.length === 0) return [];
  const rows = await db
    .insertInto('job_entry')
    .values(
      entries.map((e, i) => ({
        job_id: job.id,
        seq: job.entry_count + i + 1,
        ...(e.id === undefined ? {} : { entry_id: e.id }),
        ...(e.ts === undefined ? {} : { ts: e.ts }),
        message: e.message,
        important: e.important,
        attachments: JSON.stringify(e.attachments),
      })),
    )
    .returningAll()
    .execute();
  await db
    .updateTable('job')
    .set({ entry_count: job.entry_count + entries.length, updated_at: sql`now()` })
    .where('id', '=', job.id)
    .execute();
  await announce(db, job);
  return rows;
}

export async function updateJob(
  db: Db,
  id: string,
  change: { cause?: string; addSensors?: string[]; close?: boolean },
): Promise<JobRow | undefined> {
  const row = await db
    .updateTable('job')
    .set((eb) => ({
      ...(change.cause === undefined ? {} : { cause: change.cause }),
      ...(change.addSensors === undefined || change.addSensors.length === 0
        ? {}
        : {
            // New sensors are appended in the order given; known ones change nothing (so the
            // list still equals what LimaCharlie was sent, and no delta is made for it).
            sensor_ids: sql<string[]>`${eb.ref('sensor_ids')} || ARRAY(
              SELECT s FROM unnest(${change.addSensors}::text[]) WITH ORDINALITY AS t(s, n)
              WHERE s <> ALL(${eb.ref('sensor_ids')}) GROUP BY s ORDER BY min(n))`,
          }),
      ...(change.close === true ? { end_time: sql<Date>`coalesce(end_time, now())` } : {}),
      updated_at: sql<Date>`now()`,
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (row !== undefined) await announce(db, row);
  return row;
}

export async function entriesOf(
  db: Db,
  jobId: string,
  afterSeq = 0,
  upToSeq?: number,
): Promise<JobEntryRow[]> {
  let q = db
    .selectFrom('job_entry')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('seq', '>', afterSeq);
  if (upToSeq !== undefined) q = q.where('seq', '<=', upToSeq);
  return q.orderBy('seq').execute();
}

export interface JobFilter {
  oid?: string;
  open?: boolean;
  since?: Date;
  until?: Date;
  /** Keyset: only jobs before this (start_time, id), newest first. */
  before?: { startTime: Date; id: string };
  limit: number;
}

export async function listJobs(db: Db, f: JobFilter): Promise<JobRow[]> {
  let q = db
    .selectFrom('job')
    .selectAll()
    .orderBy('start_time', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit);
  if (f.oid !== undefined) q = q.where('oid', '=', f.oid);
  if (f.open === true) q = q.where('end_time', 'is', null);
  if (f.open === false) q = q.where('end_time', 'is not', null);
  if (f.since !== undefined) q = q.where('start_time', '>=', f.since);
  if (f.until !== undefined) q = q.where('start_time', '<', f.until);
  if (f.before !== undefined) {
    const { startTime, id } = f.before;
    q = q.where((eb) =>
      eb.or([
        eb('start_time', '<', startTime),
        eb.and([eb('start_time', '=', startTime), eb('id', '<', id)]),
      ]),
    );
  }
  return q.execute();
}

export interface UndeliveredJob {
  /** The job; `entries` are the narration this answer carries (oldest undelivered first). */
  job: JobRow;
  entries: JobEntryRow[];
  isNew: boolean;
  /** Closed, its end not delivered, and this answer carries its last entries. */
  newlyClosed: boolean;
  /** Not new, and the cause LimaCharlie saw is no longer the job's. */
  causeChanged: boolean;
  /** Not new, and sensors were added since LimaCharlie last saw the job. */
  sensorsChanged: boolean;
}

export interface Lease {
  /** Names the lease for confirmDelivery; undefined when nothing was taken. */
  id: string | undefined;
  taken: UndeliveredJob[];
  /** Changes of the org are left (limit or budget reached, or leased to someone else). */
  more: boolean;
}

export interface LeaseLimits {
  jobs: number;
  bytes: number;
  leaseMs: number;
}

/** Pending entries of a job, oldest first, as many as may fit `room` bytes (and at least one). */
async function pendingEntries(
  trx: Db,
  job: JobRow,
  room: number,
): Promise<{ entries: JobEntryRow[]; all: boolean }> {
  // Sizes first (small rows), so no more entries are read than could fit: a rough size (their
  // JSON text) picks how many to read, the exact one (entryBytes) how many to send.
  const { rows: sizes } = await sql<{ seq: number; approx: number }>`
    SELECT seq, octet_length(message) + octet_length(attachments::text) AS approx
    FROM job_entry WHERE job_id = ${job.id} AND seq > ${job.delivered_entries} ORDER BY seq
  `.execute(trx);
  let read = 0;
  let approx = 0;
  while (read < sizes.length && (read === 0 || approx + sizes[read]!.approx <= 2 * room)) {
    approx += sizes[read]!.approx;
    read++;
  }
  if (read === 0) return { entries: [], all: true };
  const rows = await entriesOf(trx, job.id, job.delivered_entries, sizes[read - 1]!.seq);
  const entries: JobEntryRow[] = [];
  let used = 0;
  for (const row of rows) {
    const bytes = entryBytes(row);
    if (used + bytes > room) break;
    used += bytes;
    entries.push(row);
  }
  return { entries, all: entries.length === sizes.length };
}

/**
 * Takes what LimaCharlie has not been sent for a route and org and leases it (in the caller's
 * transaction): nothing is marked delivered until confirmDelivery. Jobs leased to another caller,
 * or being taken by one, are skipped, not waited for. The answer stays within `limits.bytes`
 * (exact upper bounds, see job-size.ts); a job whose narration does not fit whole carries its
 * oldest entries, and its end only with its last one.
 */
export async function leaseUndelivered(
  trx: Db,
  serviceName: string,
  oid: string,
  limits: LeaseLimits,
): Promise<Lease> {
  const jobs = await trx
    .selectFrom('job')
    .selectAll()
    .where('service_name', '=', serviceName)
    .where('oid', '=', oid)
    .where(hasUndelivered)
    .where((eb) => eb.or([eb('lease_id', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]))
    .orderBy('start_time')
    .orderBy('id')
    .limit(limits.jobs)
    .forUpdate()
    .skipLocked()
    .execute();
  const leaseId = randomUUID();
  const taken: UndeliveredJob[] = [];
  let used = 0;
  let full = jobs.length === limits.jobs;
  for (const job of jobs) {
    const header = jobHeaderBytes(job);
    if (taken.length > 0 && used + header > limits.bytes) {
      full = true;
      break;
    }
    const { entries, all } = await pendingEntries(trx, job, limits.bytes - used - header);
    const isNew = !job.start_delivered;
    const newlyClosed = all && job.end_time !== null && !job.end_delivered;
    const causeChanged = !isNew && job.cause !== job.delivered_cause;
    const sensorsChanged =
      !isNew && job.sensor_ids.join('\u0000') !== job.delivered_sensor_ids.join('\u0000');
    if (entries.length === 0 && !isNew && !newlyClosed && !causeChanged && !sensorsChanged) {
      // Only narration is pending, and not one entry fits beside what is taken already.
      full = true;
      break;
    }
    used += header + entries.reduce((n, e) => n + entryBytes(e), 0);
    taken.push({ job, entries, isNew, newlyClosed, causeChanged, sensorsChanged });
    await trx
      .updateTable('job')
      .set({
        lease_id: leaseId,
        lease_until: sql<Date>`now() + ${limits.leaseMs} * interval '1 millisecond'`,
        lease_entries: entries.at(-1)?.seq ?? job.delivered_entries,
        lease_end: job.end_time !== null && (job.end_delivered || newlyClosed),
        lease_cause: job.cause,
        lease_sensor_ids: job.sensor_ids,
      })
      .where('id', '=', job.id)
      .execute();
    if (!all) {
      full = true;
      break;
    }
  }
  // Anything of the org this lease does not cover: jobs left over, leased or locked elsewhere.
  const left = await trx
    .selectFrom('job')
    .select('id')
    .where('service_name', '=', serviceName)
    .where('oid', '=', oid)
    .where(hasUndelivered)
    .where((eb) =>
      eb.or([
        eb('lease_id', 'is distinct from', taken.length === 0 ? null : leaseId),
        eb('lease_entries', '<', eb.ref('entry_count')),
        eb.and([eb('end_time', 'is not', null), eb('lease_end', '=', false)]),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return {
    id: taken.length === 0 ? undefined : leaseId,
    taken,
    more: full || left !== undefined,
  };
}

/**
 * Marks what a lease carried as delivered and ends it; a lease taken over by another caller (it
 * ran out) confirms nothing. Jobs still holding undelivered changes (written while leased) are
 * announced again, so watchers of undelivered orgs hear of them.
 */
export async function confirmDelivery(trx: Db, leaseId: string): Promise<JobRow[]> {
  const rows = await trx
    .updateTable('job')
    .set((eb) => ({
      start_delivered: true,
      delivered_entries: sql<number>`greatest(${eb.ref('delivered_entries')}, ${eb.ref('lease_entries')})`,
      end_delivered: sql<boolean>`${eb.ref('end_delivered')} OR coalesce(${eb.ref('lease_end')}, false)`,
      delivered_cause: sql<string>`coalesce(${eb.ref('lease_cause')}, ${eb.ref('delivered_cause')})`,
      delivered_sensor_ids: sql<
        string[]
      >`coalesce(${eb.ref('lease_sensor_ids')}, ${eb.ref('delivered_sensor_ids')})`,
      lease_id: null,
      lease_until: null,
      lease_entries: null,
      lease_end: null,
      lease_cause: null,
      lease_sensor_ids: null,
    }))
    .where('lease_id', '=', leaseId)
    .returningAll()
    .execute();
  for (const row of rows) {
    const pending =
      row.delivered_entries < row.entry_count ||
      (row.end_time !== null && !row.end_delivered) ||
      row.cause !== row.delivered_cause ||
      row.sensor_ids.join('\u0000') !== row.delivered_sensor_ids.join('\u0000');
    if (pending) await announce(trx, row);
  }
  return rows;
}
