/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// The scheduler: who installed which LC service (and their sensors), which periodic firings
// happened (one row per schedule and due time: whoever inserts it fires, so replicas fire each
// once), and two durable queues (periodic callbacks to deliver, check rounds to run) claimed with
// FOR UPDATE SKIP LOCKED under leases.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE lc_org (
      service_name text NOT NULL,
      oid text NOT NULL,
      jwt text NOT NULL DEFAULT '',
      installed_at timestamptz NOT NULL DEFAULT now(),
      uninstalled_at timestamptz,
      PRIMARY KEY (service_name, oid)
    );
    CREATE TABLE lc_sensor (
      service_name text NOT NULL,
      oid text NOT NULL,
      sid text NOT NULL,
      seen_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_name, oid, sid)
    );
    CREATE TABLE schedule_fire (
      schedule text NOT NULL,
      due_at timestamptz NOT NULL,
      fired_at timestamptz NOT NULL DEFAULT now(),
      fired_by text NOT NULL DEFAULT '',
      PRIMARY KEY (schedule, due_at)
    );
    CREATE TABLE lc_delivery (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      service_name text NOT NULL,
      etype text NOT NULL,
      oid text NOT NULL DEFAULT '',
      sid text NOT NULL DEFAULT '',
      due_at timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      run_after timestamptz NOT NULL DEFAULT now(),
      locked_until timestamptz,
      last_error text,
      done_at timestamptz
    );
    CREATE INDEX lc_delivery_ready_idx ON lc_delivery (run_after, id) WHERE done_at IS NULL;
    CREATE TABLE check_task (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      service_id bigint NOT NULL,
      round_at timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      run_after timestamptz NOT NULL,
      locked_until timestamptz,
      locked_by text,
      last_error text,
      finished_at timestamptz,
      outcome text CHECK (outcome IN ('scored', 'gave_up')),
      UNIQUE (service_id, round_at)
    );
    CREATE INDEX check_task_ready_idx ON check_task (run_after, id) WHERE finished_at IS NULL;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE check_task, lc_delivery, schedule_fire, lc_sensor, lc_org`.execute(db);
}
