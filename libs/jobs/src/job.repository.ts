import { sql, type ExpressionBuilder } from 'kysely';
import type { AttachmentRecord, Database, Db, JobEntryRow, JobRow } from '@checkwire/db';

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

export async function entriesOf(db: Db, jobId: string, afterSeq = 0): Promise<JobEntryRow[]> {
  return db
    .selectFrom('job_entry')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .execute();
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
  job: JobRow;
  entries: JobEntryRow[];
  isNew: boolean;
  newlyClosed: boolean;
  /** Not new, and the cause LimaCharlie saw is no longer the job's. */
  causeChanged: boolean;
  /** Not new, and sensors were added since LimaCharlie last saw the job. */
  sensorsChanged: boolean;
}

/**
 * Takes what LimaCharlie has not been sent for a route and org, and marks it sent, in one
 * transaction (the caller's). Rows another gateway is taking are skipped, not waited for.
 */
export async function takeUndelivered(
  trx: Db,
  serviceName: string,
  oid: string,
  limit: number,
): Promise<UndeliveredJob[]> {
  const jobs = await trx
    .selectFrom('job')
    .selectAll()
    .where('service_name', '=', serviceName)
    .where('oid', '=', oid)
    .where(hasUndelivered)
    .orderBy('start_time')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  const taken: UndeliveredJob[] = [];
  for (const job of jobs) {
    const entries = await entriesOf(trx, job.id, job.delivered_entries);
    taken.push({
      job,
      entries,
      isNew: !job.start_delivered,
      newlyClosed: job.end_time !== null && !job.end_delivered,
      causeChanged: job.start_delivered && job.cause !== job.delivered_cause,
      sensorsChanged:
        job.start_delivered &&
        job.sensor_ids.join('\u0000') !== job.delivered_sensor_ids.join('\u0000'),
    });
    await trx
      .updateTable('job')
      .set({
        start_delivered: true,
        delivered_entries: job.entry_count,
        end_delivered: job.end_time !== null,
        delivered_cause: job.cause,
        delivered_sensor_ids: job.sensor_ids,
      })
      .where('id', '=', job.id)
      .execute();
  }
  return taken;
}
