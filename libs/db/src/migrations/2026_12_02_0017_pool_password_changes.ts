/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// Password change requests for a credential pool entry: a request names either a service (its own
// credentials change) or a pool (the password of the pool's entry `username` changes), never both.
// team_id is NULL only for a pool request of the white team's on a pool no single team's
// services use (a blue team's is always its own team's; a service's, the service's team's).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE password_change
      ALTER COLUMN service_id DROP NOT NULL,
      ALTER COLUMN team_id DROP NOT NULL,
      ADD COLUMN pool_id bigint REFERENCES credential_pool (id),
      ADD CONSTRAINT password_change_one_target CHECK ((service_id IS NULL) <> (pool_id IS NULL)),
      ADD CONSTRAINT password_change_service_team CHECK (service_id IS NULL OR team_id IS NOT NULL);
    CREATE INDEX password_change_pool_id_idx ON password_change (pool_id) WHERE pool_id IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DELETE FROM password_change WHERE pool_id IS NOT NULL;
    DROP INDEX password_change_pool_id_idx;
    ALTER TABLE password_change
      DROP CONSTRAINT password_change_service_team,
      DROP CONSTRAINT password_change_one_target,
      DROP COLUMN pool_id,
      ALTER COLUMN team_id SET NOT NULL,
      ALTER COLUMN service_id SET NOT NULL;
  `.execute(db);
}
