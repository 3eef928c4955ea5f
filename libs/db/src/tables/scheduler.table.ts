import type { Generated, Selectable } from 'kysely';
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
