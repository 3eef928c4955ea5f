/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// API tokens. Only a SHA-256 of the secret is kept: the secret is 256 random bits, so a fast hash
// is enough (nothing to brute-force), and lookups stay one index probe per uncached call.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE api_token (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      role text NOT NULL CHECK (role IN ('admin', 'check_runner', 'blue', 'red', 'green')),
      team_id bigint REFERENCES team (id),
      subtypes text[] NOT NULL DEFAULT '{}',
      service_ids bigint[] NOT NULL DEFAULT '{}',
      secret_sha256 bytea NOT NULL UNIQUE CHECK (length(secret_sha256) = 32),
      prefix text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      -- A blue member belongs to a team; nobody else does.
      CHECK ((role = 'blue') = (team_id IS NOT NULL)),
      -- Only a check runner is limited to subtypes or services.
      CHECK (role = 'check_runner' OR (subtypes = '{}' AND service_ids = '{}'))
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE api_token`.execute(db);
}
