import { randomUUID } from 'node:crypto';
import {
  notifications,
  NotificationsLostError,
  type AttachmentRecord,
  type Db,
  type JobEntryRow,
  type JobRow,
  type NotificationListener,
  type Notifications,
} from '@checkwire/db';
import {
  AlreadyExistsError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  nonEmpty,
  optionalTime,
  text,
  UnavailableError,
} from '@checkwire/errors';
import {
  appendEntries,
  entriesOf,
  findJob,
  insertJob,
  listJobs,
  lockJob,
  confirmDelivery,
  leaseUndelivered,
  undeliveredOrgs,
  updateJob,
  type JobChange,
  type Lease,
  type NewEntry,
} from './job.repository.js';
import { ANSWER_BUDGET_BYTES, entryBytes, MAX_ENTRY_BYTES, MAX_JOB_SENSORS } from './job-size.js';
import { recordConfirmed, recordLeased } from './job-metrics.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface JobView {
  job: JobRow;
  entries: JobEntryRow[];
}

export interface JobUpdateInput {
  id: string;
  cause: string;
  sensorIds: string[];
  narration: NewEntry[];
  closed: boolean;
  startTime?: Date | undefined;
}

export type JobWatchEvent =
  | { kind: 'snapshot'; view: JobView }
  | { kind: 'narrated'; entry: JobEntryRow }
  | { kind: 'changed'; job: JobRow };

function jobId(field: string, id: string): string {
  const lower = id.toLowerCase();
  if (!UUID.test(lower)) throw new InvalidArgumentError(field, `must be a UUID, got "${id}"`);
  return lower;
}

function changeOf(payload: string): JobChange | undefined {
  try {
    return JSON.parse(payload) as JobChange;
  } catch {
    return undefined;
  }
}

function decodeToken(token: string): { startTime: Date; id: string } {
  try {
    const [time, id] = JSON.parse(Buffer.from(token, 'base64url').toString()) as [string, string];
    const startTime = new Date(time);
    if (!Number.isNaN(startTime.getTime()) && UUID.test(id)) return { startTime, id };
  } catch {
    // fall through
  }
  throw new InvalidArgumentError('page_token', 'is not a token this server handed out');
}

/** `prefix.name`, or `name` at the top of a request. */
const path = (prefix: string, name: string) => (prefix === '' ? name : `${prefix}.${name}`);

function validEntry(field: string, e: NewEntry): NewEntry {
  if (e.id !== undefined) nonEmpty(path(field, 'id'), e.id, 200);
  optionalTime(path(field, 'time'), e.ts);
  text(path(field, 'message'), e.message, 100_000);
  e.attachments.forEach((a, i) => validAttachment(path(field, `attachments[${i}]`), a));
  // An entry travels to LimaCharlie whole, in one answer: one that could never fit is refused now.
  const bytes = entryBytes({ ...e, entry_id: e.id ?? null });
  if (bytes > MAX_ENTRY_BYTES) {
    throw new InvalidArgumentError(
      field === '' ? 'narration entry' : field,
      `is ${bytes} bytes with its attachments; an entry may have at most ${MAX_ENTRY_BYTES} ` +
        '(split it into several entries)',
    );
  }
  return e;
}

/** Adding `added` to a job's sensors must leave it at most MAX_JOB_SENSORS. */
function requireSensorRoom(field: string, has: readonly string[], added: readonly string[]): void {
  const total = new Set([...has, ...added]).size;
  if (total > MAX_JOB_SENSORS) {
    throw new InvalidArgumentError(
      field,
      `would give the job ${total} sensors; a job may have at most ${MAX_JOB_SENSORS}`,
    );
  }
}

/** A job's sensors, each a non-empty id, at most MAX_JOB_SENSORS of them. */
function validSensors(field: string, ids: string[]): string[] {
  if (ids.length > MAX_JOB_SENSORS) {
    throw new InvalidArgumentError(
      field,
      `may hold at most ${MAX_JOB_SENSORS} sensors, got ${ids.length}`,
    );
  }
  ids.forEach((s, i) => nonEmpty(`${field}[${i}]`, s, 200));
  return ids;
}

function validAttachment(field: string, a: AttachmentRecord): void {
  text(`${field}.caption`, a.caption, 1000);
  switch (a.type) {
    case 'table':
      a.headers.forEach((h, i) => text(`${field}.table.headers[${i}]`, h, 10_000));
      a.rows.forEach((row, r) =>
        row.forEach((cell, c) => text(`${field}.table.rows[${r}].cells[${c}]`, cell, 100_000)),
      );
      return;
    case 'json':
    case 'yaml':
      text(`${field}.${a.type}.text`, a.text, 10_000_000);
      return;
    case 'hex_dump':
      return;
  }
}

/** LimaCharlie refuses a new job without a cause (lcservice: '"cause" is required for new jobs'). */
function requiredCause(field: string, cause: string): string {
  if (cause.trim() === '') throw new InvalidArgumentError(field, 'is required for a new job');
  return text(field, cause, 10_000);
}

/** Jobs: stored narration, delivery bookkeeping towards LimaCharlie, and live watching. */
export class Jobs {
  constructor(
    private readonly db: Db,
    private readonly listener: NotificationListener,
  ) {}

  async create(input: {
    id: string;
    oid: string;
    serviceName: string;
    cause: string;
    sensorIds: string[];
  }): Promise<JobView> {
    const id = input.id === '' ? randomUUID() : jobId('id', input.id);
    const row = await insertJob(this.db, {
      id,
      oid: text('oid', input.oid, 200),
      service_name: text('service_name', input.serviceName, 200),
      cause: requiredCause('cause', input.cause),
      sensor_ids: validSensors('sensor_ids', input.sensorIds),
    });
    if (row === undefined) throw new AlreadyExistsError(`job ${id} already exists`);
    return { job: row, entries: [] };
  }

  async narrate(id: string, entry: NewEntry): Promise<JobEntryRow> {
    const key = jobId('job_id', id);
    validEntry('', entry);
    return this.db.transaction().execute(async (trx) => {
      const job = await lockJob(trx, key);
      if (job === undefined) throw new NotFoundError('job', key);
      if (job.end_time !== null) throw new FailedPreconditionError(`job ${key} is closed`);
      const [row] = await appendEntries(trx, job, [entry]);
      return row!;
    });
  }

  async change(
    id: string,
    change: { cause?: string; addSensors?: string[]; close?: boolean },
  ): Promise<JobView> {
    const key = jobId('job_id', id);
    // A job's cause is never blank (LimaCharlie shows it): setting one means giving one.
    if (change.cause !== undefined) {
      if (change.cause.trim() === '') throw new InvalidArgumentError('cause', 'must not be blank');
      text('cause', change.cause, 10_000);
    }
    change.addSensors?.forEach((s) => nonEmpty('sensor_id', s, 200));
    const row = await this.db.transaction().execute(async (trx) => {
      const job = await lockJob(trx, key);
      if (job === undefined) throw new NotFoundError('job', key);
      if (change.addSensors !== undefined) {
        requireSensorRoom('sensor_id', job.sensor_ids, change.addSensors);
      }
      return updateJob(trx, key, change);
    });
    return { job: row!, entries: [] };
  }

  async get(id: string): Promise<JobView> {
    const key = jobId('job_id', id);
    const job = await findJob(this.db, key);
    if (job === undefined) throw new NotFoundError('job', key);
    return { job, entries: await entriesOf(this.db, key) };
  }

  /** Newest first, keyset-paged; the page token carries the last job's start time and id. */
  async list(q: {
    oid: string;
    open: boolean | undefined;
    since?: Date | undefined;
    until?: Date | undefined;
    pageSize: number;
    pageToken: string;
  }): Promise<{ jobs: JobRow[]; nextPageToken: string }> {
    const limit = q.pageSize === 0 ? 50 : q.pageSize;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      throw new InvalidArgumentError('page_size', `must be 1..500, got ${q.pageSize}`);
    }
    const jobs = await listJobs(this.db, {
      ...(q.oid === '' ? {} : { oid: text('oid', q.oid, 200) }),
      ...(q.open === undefined ? {} : { open: q.open }),
      ...(q.since === undefined ? {} : { since: optionalTime('since', q.since) }),
      ...(q.until === undefined ? {} : { until: optionalTime('until', q.until) }),
      ...(q.pageToken === '' ? {} : { before: decodeToken(q.pageToken) }),
      limit,
    });
    const last = jobs.at(-1);
    return {
      jobs,
      nextPageToken:
        jobs.length === limit && last !== undefined
          ? Buffer.from(JSON.stringify([last.start_time.toISOString(), last.id])).toString(
              'base64url',
            )
          : '',
    };
  }

  /** A handler's view of its jobs, applied in one transaction (see ApplyJobUpdates). */
  async apply(oid: string, serviceName: string, updates: JobUpdateInput[]): Promise<JobRow[]> {
    text('oid', oid, 200);
    text('service_name', serviceName, 200);
    updates.forEach((u, i) => {
      jobId(`updates[${i}].id`, u.id);
      text(`updates[${i}].cause`, u.cause, 10_000);
      validSensors(`updates[${i}].sensor_ids`, u.sensorIds);
      optionalTime(`updates[${i}].start_time`, u.startTime);
      u.narration.forEach((e, j) => validEntry(`updates[${i}].narration[${j}]`, e));
    });
    return this.db.transaction().execute(async (trx) => {
      const rows: JobRow[] = [];
      for (const [i, u] of updates.entries()) {
        const id = u.id.toLowerCase();
        // A job without a cause may only advance one the store already has.
        if (u.cause.trim() !== '' || (await lockJob(trx, id)) === undefined) {
          await insertJob(trx, {
            id,
            oid,
            service_name: serviceName,
            cause: requiredCause(`updates[${i}].cause`, u.cause),
            sensor_ids: u.sensorIds,
            ...(u.startTime === undefined ? {} : { start_time: u.startTime }),
          });
        }
        const job = (await lockJob(trx, id))!;
        if (job.oid !== oid || job.service_name !== serviceName) {
          throw new FailedPreconditionError(
            // Which org it is stays untold: this answer may reach another org's LimaCharlie.
            `updates[${i}]: job ${id} belongs to another org or service`,
          );
        }
        requireSensorRoom(`updates[${i}].sensor_ids`, job.sensor_ids, u.sensorIds);
        await appendEntries(trx, job, u.narration);
        const row = await updateJob(trx, id, {
          ...(u.cause.trim() !== '' && u.cause !== job.cause ? { cause: u.cause } : {}),
          addSensors: u.sensorIds.filter((s) => !job.sensor_ids.includes(s)),
          close: u.closed,
        });
        rows.push(row!);
      }
      return rows;
    });
  }

  /** See TakeUndeliveredJobUpdates: limit 0 means 100 jobs, leaseSeconds 0 means 60. */
  async takeUndelivered(q: {
    serviceName: string;
    oid: string;
    limit: number;
    leaseSeconds: number;
  }): Promise<Lease> {
    text('service_name', q.serviceName, 200);
    text('oid', q.oid, 200);
    const jobs = q.limit === 0 ? 100 : q.limit;
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 1000) {
      throw new InvalidArgumentError('limit', `must be 1..1000 (0: 100), got ${q.limit}`);
    }
    const leaseSeconds = q.leaseSeconds === 0 ? 60 : q.leaseSeconds;
    if (!Number.isInteger(leaseSeconds) || leaseSeconds < 1 || leaseSeconds > 3600) {
      throw new InvalidArgumentError(
        'lease_seconds',
        `must be 1..3600 (0: 60), got ${q.leaseSeconds}`,
      );
    }
    const limits = { jobs, bytes: ANSWER_BUDGET_BYTES, leaseMs: leaseSeconds * 1000 };
    const lease = await this.db
      .transaction()
      .execute((trx) => leaseUndelivered(trx, q.serviceName, q.oid, limits));
    recordLeased(lease.taken.length);
    return lease;
  }

  /** Marks what a lease carried as delivered; how many jobs it covered (0: taken over). */
  async confirmDelivered(deliveryId: string): Promise<number> {
    const id = deliveryId.toLowerCase();
    if (!UUID.test(id)) {
      throw new InvalidArgumentError('delivery_id', `must be a UUID, got "${deliveryId}"`);
    }
    const rows = await this.db.transaction().execute((trx) => confirmDelivery(trx, id));
    recordConfirmed(rows.length);
    return rows.length;
  }

  /**
   * Orgs with undelivered changes: all of them, then each org whose jobs change. Ends with
   * UNAVAILABLE when the notifications connection is lost (an announcement may have been missed
   * then): the watcher watches again for a fresh snapshot.
   */
  async *watchUndeliveredOrgs(
    serviceName: string,
    signal: AbortSignal,
  ): AsyncGenerator<{ oids: string[]; snapshot: boolean }> {
    text('service_name', serviceName, 200);
    const pings = this.subscribe(signal);
    try {
      yield { oids: await undeliveredOrgs(this.db, serviceName), snapshot: true };
      for await (const payload of pings) {
        const change = changeOf(payload);
        if (change?.s === serviceName) yield { oids: [change.o], snapshot: false };
      }
    } catch (err) {
      throw lostAsUnavailable(err);
    } finally {
      pings.close();
    }
  }

  /** Notifications from now on; UNAVAILABLE while the listener is reconnecting. */
  private subscribe(signal: AbortSignal): Notifications {
    try {
      return notifications(this.listener, signal);
    } catch (err) {
      throw lostAsUnavailable(err);
    }
  }

  /**
   * The job now, then each entry and change, until it closes or `signal` aborts. Ends with
   * UNAVAILABLE when the notifications connection is lost (watch again for a fresh snapshot).
   */
  async *watch(id: string, signal: AbortSignal): AsyncGenerator<JobWatchEvent> {
    const key = jobId('job_id', id);
    // Listen before reading, so nothing falls between the snapshot and the first change.
    const pings = this.subscribe(signal);
    try {
      const view = await this.get(key);
      yield { kind: 'snapshot', view };
      let { job } = view;
      let seq = view.entries.at(-1)?.seq ?? 0;
      if (job.end_time !== null) return;
      for await (const payload of pings) {
        if (changeOf(payload)?.j !== key) continue;
        for (const entry of await entriesOf(this.db, key, seq)) {
          seq = entry.seq;
          yield { kind: 'narrated', entry };
        }
        const now = (await findJob(this.db, key))!;
        if (
          now.cause !== job.cause ||
          now.sensor_ids.join() !== job.sensor_ids.join() ||
          (now.end_time === null) !== (job.end_time === null)
        ) {
          job = now;
          yield { kind: 'changed', job };
        }
        if (job.end_time !== null) return;
      }
    } catch (err) {
      throw lostAsUnavailable(err);
    } finally {
      pings.close();
    }
  }
}

function lostAsUnavailable(err: unknown): unknown {
  if (!(err instanceof NotificationsLostError)) return err;
  return new UnavailableError(
    'job notifications lost their PostgreSQL connection (changes may have been missed); watch again',
    { cause: err },
  );
}
