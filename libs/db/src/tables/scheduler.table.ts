import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ServiceErrorKindName } from './service-error.table.js';

export interface LcOrgTable {
  service_name: string;
  oid: string;
  jwt: Generated<string>;
  installed_at: Generated<Date>;
  uninstalled_at: Date | null;
}

export interface LcSensorTable {
  service_name: string;
  oid: string;
  sid: string;
  seen_at: Generated<Date>;
}

/** One row per schedule and due time: the replica that inserts it fires it. */
export interface ScheduleFireTable {
  schedule: string;
  due_at: Date;
  fired_at: Generated<Date>;
  fired_by: Generated<string>;
}

/** A periodic LC callback to deliver to a handler. */
export interface LcDeliveryTable {
  id: Generated<number>;
  service_name: string;
  etype: string;
  oid: Generated<string>;
  sid: Generated<string>;
  due_at: Date;
  attempts: Generated<number>;
  run_after: Generated<Date>;
  locked_until: Date | null;
  last_error: string | null;
  done_at: Date | null;
}

/** A continuation an LC extension asked for, until it is delivered or given up. */
export interface LcContinuationTable {
  id: Generated<string>;
  extension_name: string;
  /** What asked for it: the envelope's idempotency key, or the continuation it answered. */
  source_key: string;
  /** Its place in that answer's list. */
  position: number;
  oid: string;
  jwt: Generated<string>;
  ident: Generated<string>;
  /** JSON objects: written as their JSON text. */
  config: ColumnType<Record<string, unknown>, string | undefined, string>;
  action: string;
  state: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** When the extension asked for it. */
  due_at: Date;
  /** When it goes out next (later than due_at after a retriable failure). */
  run_after: Date;
  /** Deliveries tried since it was stored (or last requeued). */
  attempts: Generated<number>;
  /** Claims ever made: names the lease (never reset, unlike `attempts`). */
  claims: Generated<number>;
  /** Of `attempts`, those the extension never answered (not counted toward its three). */
  unanswered: Generated<number>;
  /** When the current run of unanswered deliveries began; null once the extension answers. */
  unreachable_since: Date | null;
  locked_until: Date | null;
  last_error: string | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
  outcome: 'delivered' | 'gave_up' | null;
}

/** One service's check in one round. */
export interface CheckTaskTable {
  id: Generated<number>;
  service_id: number;
  round_at: Date;
  attempts: Generated<number>;
  run_after: Date;
  locked_until: Date | null;
  locked_by: string | null;
  last_error: string | null;
  finished_at: Date | null;
  outcome: 'scored' | 'gave_up' | null;
  /** How the check went: up, skipped (its service was down), or down for this kind of error. */
  verdict: 'up' | 'skipped' | ServiceErrorKindName | null;
  /** The service's runner pool when the check was queued ('' is the default pool). */
  pool: Generated<string>;
  /** When it was queued (the database's time). */
  queued_at: Generated<Date>;
}

/** A runner, the pools it serves, and when it last claimed checks. */
export interface RunnerPresenceTable {
  runner_id: string;
  pools: string[];
  last_seen: Date;
}

export type LcDeliveryRow = Selectable<LcDeliveryTable>;
export type CheckTaskRow = Selectable<CheckTaskTable>;
export type LcContinuationRow = Selectable<LcContinuationTable>;
