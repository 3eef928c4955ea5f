/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// Runner pools: a service names the pool of runners that may check it ('' is the default pool),
// each of its check tasks carries that pool from when it is queued, and runners say which pools
// they serve when they claim (runner_presence, one row per runner id, refreshed as they claim).
// A check whose pool has no live runner is scored 0 with a ServiceError of kind 'no_runner'
// instead of waiting in the queue for ever (judged from when it was queued, queued_at: a round
// queued late has tasks due since its start, which no runner could have claimed yet).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE service ADD COLUMN runner_pool text NOT NULL DEFAULT ''
      CONSTRAINT service_runner_pool_check CHECK (runner_pool ~ '^([A-Za-z0-9._-]{1,64})?$');
    ALTER TABLE check_task ADD COLUMN pool text NOT NULL DEFAULT '',
      ADD COLUMN queued_at timestamptz NOT NULL DEFAULT now();
    CREATE TABLE runner_presence (
      runner_id text PRIMARY KEY,
      pools text[] NOT NULL,
      last_seen timestamptz NOT NULL
    );
    ALTER TABLE service_error DROP CONSTRAINT service_error_kind_check;
    ALTER TABLE service_error ADD CONSTRAINT service_error_kind_check
      CHECK (kind IN ('timeout', 'content', 'credentials', 'connection', 'other', 'no_runner'));
    ALTER TABLE check_task DROP CONSTRAINT check_task_verdict_check;
    ALTER TABLE check_task ADD CONSTRAINT check_task_verdict_check CHECK (verdict IN
      ('up', 'skipped', 'timeout', 'connection', 'content', 'credentials', 'other', 'no_runner'));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE check_task SET verdict = 'other' WHERE verdict = 'no_runner';
    UPDATE service_error SET kind = 'other' WHERE kind = 'no_runner';
    ALTER TABLE check_task DROP CONSTRAINT check_task_verdict_check;
    ALTER TABLE check_task ADD CONSTRAINT check_task_verdict_check CHECK (verdict IN
      ('up', 'skipped', 'timeout', 'connection', 'content', 'credentials', 'other'));
    ALTER TABLE service_error DROP CONSTRAINT service_error_kind_check;
    ALTER TABLE service_error ADD CONSTRAINT service_error_kind_check
      CHECK (kind IN ('timeout', 'content', 'credentials', 'connection', 'other'));
    DROP TABLE runner_presence;
    ALTER TABLE check_task DROP COLUMN queued_at, DROP COLUMN pool;
    ALTER TABLE service DROP COLUMN runner_pool;
  `.execute(db);
}
