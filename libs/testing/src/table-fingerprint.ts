import type pg from 'pg';

/** Tables that only migrations write. */
const SKIPPED = ['kysely_migration', 'kysely_migration_lock'];

/**
 * An MD5 of every row of every table (each row as text, rows sorted), by table name: two equal
 * fingerprints mean no call wrote anything in between (not even an update that keeps the row
 * count). Compare them with `toEqual` to see which table changed. Tables in `exclude` are left
 * out (ones a background task of the app under test writes).
 */
export async function tableFingerprint(
  pool: pg.Pool,
  exclude: readonly string[] = [],
): Promise<Record<string, string>> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND c.relname <> ALL($1::text[])
     ORDER BY c.relname`,
    [[...SKIPPED, ...exclude]],
  );
  if (tables.length === 0) return {};
  const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const columns = tables.map(
    ({ name }) =>
      `(SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM ${ident(name)} t) AS ${ident(name)}`,
  );
  const { rows } = await pool.query<Record<string, string>>(`SELECT ${columns.join(', ')}`);
  return rows[0] ?? {};
}
