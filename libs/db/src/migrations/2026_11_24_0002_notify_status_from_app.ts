/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// A NOTIFY inside a transaction takes a database-wide lock from pre-commit until the commit
// record is flushed, so every scoring write waited for every other's fsync. Status changes are
// now announced by the writing replica, batched, outside the write transactions.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER service_notify_status ON service;
    DROP FUNCTION service_notify_status;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION service_notify_status() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('checkwire_service_status', NEW.id::text || ':' || NEW.version::text);
      RETURN NULL;
    END $$;
    CREATE TRIGGER service_notify_status AFTER INSERT OR UPDATE ON service
      FOR EACH ROW EXECUTE FUNCTION service_notify_status();
  `.execute(db);
}
